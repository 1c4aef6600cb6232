package io.fleetgen.codec;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Every profile keyword in one table, as {@link StreamField} is for streams: its seed name, unit, range, default,
 * what it does, and how its value reaches {@link ProfileSpec.Builder}. The keyword parser, the REPL's
 * {@code help profile}, its completion and the unknown-keyword message all read this table.
 */
public enum ProfileParam {
    COUNT("count", "packets (bursts for burst)", "1-" + ProfileSpec.MAX_COUNT, "10",
            "standard: packets to send; burst: number of bursts",
            (b, f, v) -> b.count(integer(f, v, 1, ProfileSpec.MAX_COUNT))),
    SIZE("size", "bytes", "0-" + ProfileSpec.MAX_SIZE, "100",
            "random payload bytes per packet (at least 24 carry the signature: loss, order, latency)",
            (b, f, v) -> b.size((int) integer(f, v, 0, ProfileSpec.MAX_SIZE))),
    PAYLOAD("payload", "text", "at most 65000 bytes", "none", "a fixed payload; wins over size",
            (b, f, v) -> b.payload(v instanceof byte[] ? (byte[]) v : String.valueOf(v).getBytes(
                    StandardCharsets.UTF_8))),
    CAPFILTER("capfilter", "BPF", "a pcap filter", "from the stream, e.g. udp port 8000",
            "what a receiver captures", (b, f, v) -> b.capfilter(String.valueOf(v))),
    TIMEOUT("timeout", "seconds", "0-1000000000", "none", "a receiver stops capturing after it",
            (b, f, v) -> b.timeoutMillis(millis(f, v))),
    IFACE("iface", "interface", "1-15 characters", "the listener's interface",
            "where a receiver captures (the agent's capture interfaces only)", (b, f, v) -> b.iface(String.valueOf(v))),
    LISTENER("listener", "address", "an address of the receiver's host", "the stream's dst",
            "where a receiver listens (the floating-IP case: send to the FIP, listen here)",
            (b, f, v) -> b.listener(String.valueOf(v))),
    CHKSUM("chksum", "boolean", "true or false", "false", "verify checksums; failures count as corrupt",
            (b, f, v) -> b.chksum(bool(f, v))),
    BURST_COUNT("burst_count", "packets", "1-" + Integer.MAX_VALUE, "10", "burst: packets per burst",
            (b, f, v) -> b.burstCount(integer(f, v, 1, Integer.MAX_VALUE))),
    BURST_INTERVAL("burst_interval", "seconds", "0-1000000000", "1", "burst: time between bursts",
            (b, f, v) -> b.burstIntervalMillis(millis(f, v))),
    STARTPORT("startport", "port", "0-65535", "none", "sportrange: first source port",
            (b, f, v) -> b.startport((int) integer(f, v, 0, 65535))),
    ENDPORT("endport", "port", "0-65535", "none", "sportrange: last source port (inclusive)",
            (b, f, v) -> b.endport((int) integer(f, v, 0, 65535))),
    PPS("pps", "packets/s", "0-100000000", "unpaced (sportrange: 500)", "send rate; one of pps or bps",
            (b, f, v) -> b.pps(integer(f, v, 0, 100_000_000))),
    BPS("bps", "bits/s", "0-100000000000", "unpaced", "send rate over whole Ethernet frames; one of pps or bps",
            (b, f, v) -> b.bps(integer(f, v, 0, 100_000_000_000L))),
    PCAP("pcap", "frames", "0-" + ProfileSpec.MAX_PCAP_PACKETS, "0",
            "a receiver records its first N frames to a pcap file (pcap HOST RUN FILE fetches it)",
            (b, f, v) -> b.pcap(integer(f, v, 0, ProfileSpec.MAX_PCAP_PACKETS))),
    THREADS("threads", "threads", "1-" + ProfileSpec.MAX_THREADS, "1", "transmit threads of a sender",
            (b, f, v) -> b.threads((int) integer(f, v, 1, ProfileSpec.MAX_THREADS))),
    RANGE("range", "FIELD=MIN..MAX[/STEP][@MODE],...", "src, dst, sport, dport, id, ttl, dscp; mode inc, dec or "
            + "random", "none", "vary header fields per packet, e.g. src=198.18.0.10..198.18.0.73,dport=9000..9063",
            (b, f, v) -> b.ranges(String.valueOf(v))),
    COMBINE("combine", "cross or lockstep", "cross, lockstep", "cross",
            "several ranges: every combination (the first range fastest) or all advancing together",
            (b, f, v) -> b.combine(String.valueOf(v))),
    SEED("seed", "number", "any 64-bit integer", "0", "the order of random ranges: the same seed, the same packets",
            (b, f, v) -> b.seed(integer(f, v, Long.MIN_VALUE, Long.MAX_VALUE))),
    IMIX("imix", "SIZE:WEIGHT,...", "sizes 64-9216 (Ethernet frames with FCS), weights adding up to at most 1000",
            "none", "weighted frame sizes instead of size, e.g. 64:7,570:4,1518:1 (the simple IMIX)",
            (b, f, v) -> b.imix(String.valueOf(v))),
    DURATION("duration", "seconds", "0-1000000000", "none",
            "a sender stops this long after its first packet; a receiver 1 s later than that",
            (b, f, v) -> b.durationMillis(millis(f, v)));

    /** How a keyword's value reaches the builder. */
    @FunctionalInterface
    interface Applier {
        void apply(ProfileSpec.Builder b, String field, Object value);
    }

    private final String keyword;
    private final String unit;
    private final String range;
    private final String dflt;
    private final String description;
    private final Applier applier;

    ProfileParam(String keyword, String unit, String range, String dflt, String description, Applier applier) {
        this.keyword = keyword;
        this.unit = unit;
        this.range = range;
        this.dflt = dflt;
        this.description = description;
        this.applier = applier;
    }

    /** The seed's keyword, e.g. {@code burst_interval}. */
    public String keyword() {
        return keyword;
    }

    /** The parameter of a keyword (case and underscores ignored), or {@code null}. */
    public static ProfileParam of(String keyword) {
        String k = keyword.toLowerCase(Locale.ROOT).replace("_", "");
        for (ProfileParam p : values()) {
            if (p.keyword.replace("_", "").equals(k)) {
                return p;
            }
        }
        return null;
    }

    /** Applies a keyword's value to a builder, naming the field on bad input. */
    static void apply(ProfileSpec.Builder b, String keyword, Object value) {
        ProfileParam p = of(keyword);
        if (p == null) {
            StringBuilder all = new StringBuilder();
            for (ProfileParam x : values()) {
                all.append(all.length() == 0 ? "" : ", ").append(x.keyword);
            }
            throw new ValidationException(keyword, keyword + ": unknown profile parameter (expected: one of " + all
                    + ")");
        }
        p.applier.apply(b, keyword, value);
    }

    /** Every keyword with its unit, range, default and meaning, for {@code help profile}. */
    public static String help() {
        StringBuilder b = new StringBuilder("profile NAME TYPE stream=S key=value ...   TYPE: standard, continuous, "
                + "burst, sportrange\n");
        for (ProfileParam p : values()) {
            b.append(String.format("  %-15s %-26s %-40s default %s%n", p.keyword + "=", p.unit, p.range, p.dflt));
            b.append(String.format("  %-15s %s%n", "", p.description));
        }
        return b.toString();
    }

    /** A whole number of the keyword {@code field} within {@code min}-{@code max}, or the error naming it. */
    public static long integer(String field, Object v, long min, long max) {
        long n;
        if (v instanceof Long || v instanceof Integer || v instanceof Short) {
            n = ((Number) v).longValue();
        } else {
            try {
                n = Long.parseLong(String.valueOf(v).trim());
            } catch (NumberFormatException e) {
                throw ValidationException.of(field, "\"" + v + "\"", "an integer " + min + "-" + max);
            }
        }
        if (n < min || n > max) {
            throw ValidationException.of(field, n, min + "-" + max);
        }
        return n;
    }

    private static long millis(String field, Object v) {
        double s;
        if (v instanceof Number) {
            s = ((Number) v).doubleValue();
        } else {
            try {
                s = Double.parseDouble(String.valueOf(v).trim());
            } catch (NumberFormatException e) {
                throw ValidationException.of(field, "\"" + v + "\"", "seconds, e.g. 1.5");
            }
        }
        if (!(s >= 0) || s > 1e9) {
            throw ValidationException.of(field, v, "seconds, 0-1000000000");
        }
        return Math.round(s * 1000);
    }

    private static boolean bool(String field, Object v) {
        if (v instanceof Boolean) {
            return (Boolean) v;
        }
        String t = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
        if (t.equals("true") || t.equals("1") || t.equals("yes") || t.equals("on")) {
            return true;
        }
        if (t.equals("false") || t.equals("0") || t.equals("no") || t.equals("off")) {
            return false;
        }
        throw ValidationException.of(field, v, "true or false");
    }
}
