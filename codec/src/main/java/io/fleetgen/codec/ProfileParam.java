package io.fleetgen.codec;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Every profile parameter in one table, as {@link StreamField} is for streams: its seed keyword, wire field, unit,
 * range, default, meaning, and when {@code describe} shows it. A number, seconds or flag parameter is a scalar:
 * {@link ProfileSpec} keeps it in one array, its builder checks it against this table, {@code ProfileSchema}
 * writes and reads it by its wire id, and the keyword parser, {@code describe}, the REPL's {@code help profile}
 * and its completion read the same entry. Adding a scalar is one entry here plus the code that uses its value
 * ({@link ProfileSpec#get}). Text parameters (a payload, a filter, ranges, an IMIX) have a parser of their own.
 */
public enum ProfileParam {
    COUNT(number("count", 10, "packets (bursts for burst)", 1, ProfileSpec.MAX_COUNT, 10)
            .shown(Shown.ALWAYS, ProfileType.STANDARD, ProfileType.BURST),
            "standard: packets to send; burst: number of bursts"),
    BURST_COUNT(number("burst_count", 11, "packets", 1, Integer.MAX_VALUE, 10).shown(Shown.ALWAYS, ProfileType.BURST),
            "burst: packets per burst"),
    BURST_INTERVAL(seconds("burst_interval", 12, 1000).shown(Shown.ALWAYS, ProfileType.BURST),
            "burst: time between bursts"),
    STARTPORT(number("startport", 13, "port", 0, 65535, 0).shown(Shown.ALWAYS, ProfileType.SPORT_RANGE),
            "sportrange: first source port"),
    ENDPORT(number("endport", 14, "port", 0, 65535, 0).shown(Shown.ALWAYS, ProfileType.SPORT_RANGE),
            "sportrange: last source port (inclusive)"),
    PPS(number("pps", 15, "packets/s", 0, ProfileSpec.MAX_PPS, 0).dflt("unpaced (sportrange: 500)"),
            "send rate; one of pps or bps"),
    BPS(number("bps", 18, "bits/s", 0, 100_000_000_000L, 0).dflt("unpaced"),
            "send rate over whole Ethernet frames; one of pps or bps"),
    THREADS(number("threads", 16, "threads", 1, ProfileSpec.MAX_THREADS, 1), "transmit threads of a sender"),
    DURATION(seconds("duration", 17, 0).dflt("none"),
            "a sender stops this long after its first packet; a receiver 1 s later than that"),
    DELAY(seconds("delay", 26, 0).dflt("none"),
            "a sender's first packet this long after its start (staggered starts); a receiver's duration grows by it"),
    SIZE(number("size", 3, "bytes", 0, ProfileSpec.MAX_SIZE, 100).shown(Shown.SPECIAL),
            "random payload bytes per packet (at least 24 carry the signature: loss, order, latency)"),
    PAYLOAD(text("payload", "text", "at most 65000 bytes", "none", (b, f, v) -> b.payload(v instanceof byte[]
            ? (byte[]) v : String.valueOf(v).getBytes(StandardCharsets.UTF_8))), "a fixed payload; wins over size"),
    IMIX(text("imix", "SIZE:WEIGHT,...", "sizes 64-9216 (Ethernet frames with FCS), weights adding up to at most "
            + "1000", "none", (b, f, v) -> b.imix(String.valueOf(v))),
            "weighted frame sizes instead of size, e.g. 64:7,570:4,1518:1 (the simple IMIX)"),
    RANGE(text("range", "FIELD=MIN..MAX[/STEP][@MODE],...", "src, dst, sport, dport, id, ttl, dscp; mode inc, dec "
            + "or random", "none", (b, f, v) -> b.ranges(String.valueOf(v))),
            "vary header fields per packet, e.g. src=198.18.0.10..198.18.0.73,dport=9000..9063"),
    COMBINE(text("combine", "cross or lockstep", "cross, lockstep", "cross", (b, f, v) -> b.combine(
            String.valueOf(v))),
            "several ranges: every combination (the first range fastest) or all advancing together"),
    SEED(text("seed", "number", "any 64-bit integer", "0", (b, f, v) -> b.seed(integer(f, v, Long.MIN_VALUE,
            Long.MAX_VALUE))), "the order of random ranges: the same seed, the same packets"),
    CAPFILTER(text("capfilter", "BPF", "a pcap filter", "from the stream, e.g. udp port 8000",
            (b, f, v) -> b.capfilter(String.valueOf(v))), "what a receiver captures"),
    IFACE(text("iface", "interface", "1-15 characters", "the listener's interface",
            (b, f, v) -> b.iface(String.valueOf(v))),
            "where a receiver captures (the agent's capture interfaces only)"),
    LISTENER(text("listener", "address", "an address of the receiver's host", "the stream's dst",
            (b, f, v) -> b.listener(String.valueOf(v))),
            "where a receiver listens (the floating-IP case: send to the FIP, listen here)"),
    TIMEOUT(seconds("timeout", 6, 0).dflt("none"), "a receiver stops capturing after it"),
    CHKSUM(flag("chksum", 9), "verify checksums; failures count as corrupt"),
    PCAP(number("pcap", 19, "frames", 0, ProfileSpec.MAX_PCAP_PACKETS, 0),
            "a receiver records its first N frames to a pcap file (pcap HOST RUN FILE fetches it)");

    /** When {@code describe} shows a parameter: always, when it is not its default, or by code of its own. */
    enum Shown { ALWAYS, CHANGED, SPECIAL }

    private enum Kind { NUMBER, SECONDS, FLAG, TEXT }

    /** How a text parameter's value reaches the builder. */
    @FunctionalInterface
    interface Applier {
        void apply(ProfileBuilder b, String field, Object value);
    }

    /** The longest time a keyword may give, seconds. */
    private static final long MAX_KEYWORD_SECONDS = 1_000_000_000L;
    /** The largest wire id of a scalar. */
    private static final int MAX_WIRE_ID = 31;
    private static final ProfileParam[] BY_WIRE_ID = new ProfileParam[MAX_WIRE_ID + 1];

    static {
        for (ProfileParam p : values()) {
            if (p.def.kind != Kind.TEXT) {
                if (BY_WIRE_ID[p.def.wireId] != null) {
                    throw new ExceptionInInitializerError("wire id " + p.def.wireId + " twice");
                }
                BY_WIRE_ID[p.def.wireId] = p;
            }
        }
    }

    private final Def def;
    private final String description;

    ProfileParam(Def def, String description) {
        this.def = def;
        this.description = description;
    }

    /** The seed's keyword, e.g. {@code burst_interval}. */
    public String keyword() {
        return def.keyword;
    }

    /** Whether the value is a number kept in {@link ProfileSpec}'s table (milliseconds for seconds, 1 for true). */
    public boolean isScalar() {
        return def.kind != Kind.TEXT;
    }

    /** The protobuf field of a scalar in {@code ProfileSchema}. */
    public int wireId() {
        return def.wireId;
    }

    /** The scalar of a wire field, or {@code null}. */
    public static ProfileParam ofWireId(int id) {
        return id >= 0 && id <= MAX_WIRE_ID ? BY_WIRE_ID[id] : null;
    }

    /** A scalar's default for a profile type (a ContinuousSportRange paces at 500 pps, as in the seed). */
    public long defaultFor(ProfileType type) {
        return this == PPS && type == ProfileType.SPORT_RANGE ? ProfileSpec.DEFAULT_SPORT_RANGE_PPS : def.dflt;
    }

    /** Every scalar's default for a profile type, indexed by ordinal. */
    static long[] defaults(ProfileType type) {
        long[] v = new long[values().length];
        for (ProfileParam p : values()) {
            v[p.ordinal()] = p.defaultFor(type);
        }
        return v;
    }

    /** Returns a scalar value when it is in range, else throws naming the keyword, the value and the range. */
    public long check(long v) {
        if (def.kind == Kind.TEXT) {
            throw new IllegalArgumentException(def.keyword + " is not a number");
        }
        if (v < def.min || v > def.max) {
            throw ValidationException.of(def.keyword, def.kind == Kind.SECONDS ? v + " ms" : v,
                    def.kind == Kind.SECONDS ? def.min + "-" + def.max + " ms" : def.min + "-" + def.max);
        }
        return v;
    }

    /** A scalar from a keyword's value (text or a number; seconds become milliseconds), checked. */
    public long parse(String field, Object v) {
        switch (def.kind) {
            case SECONDS:
                return millis(field, v, MAX_KEYWORD_SECONDS);
            case FLAG:
                return bool(field, v) ? 1 : 0;
            case NUMBER:
                return integer(field, v, def.min, def.max);
            default:
                throw new IllegalArgumentException(def.keyword + " is not a number");
        }
    }

    /** A scalar as its keyword's value: seconds for milliseconds, True for a set flag. */
    String format(long v) {
        switch (def.kind) {
            case SECONDS:
                return String.valueOf(v / 1000.0);
            case FLAG:
                return v != 0 ? "True" : "False";
            default:
                return String.valueOf(v);
        }
    }

    /** Whether {@code describe} shows this scalar's value {@code v} for a profile type. */
    boolean shownIn(ProfileType type, long v) {
        if (def.kind == Kind.TEXT || def.shown == Shown.SPECIAL || def.types != null && !def.types.contains(type)) {
            return false;
        }
        return def.shown == Shown.ALWAYS || v != defaultFor(type);
    }

    /** The parameter of a keyword (case and underscores ignored), or {@code null}. */
    public static ProfileParam of(String keyword) {
        String k = keyword.toLowerCase(Locale.ROOT).replace("_", "");
        for (ProfileParam p : values()) {
            if (p.def.keyword.replace("_", "").equals(k)) {
                return p;
            }
        }
        return null;
    }

    /** Applies a keyword's value to a builder, naming the field on bad input. */
    static void apply(ProfileBuilder b, String keyword, Object value) {
        ProfileParam p = of(keyword);
        if (p == null) {
            StringBuilder all = new StringBuilder();
            for (ProfileParam x : values()) {
                all.append(all.length() == 0 ? "" : ", ").append(x.def.keyword);
            }
            throw new ValidationException(keyword, keyword + ": unknown profile parameter (expected: one of " + all
                    + ")");
        }
        if (p.isScalar()) {
            b.set(p, p.parse(keyword, value));
        } else {
            p.def.applier.apply(b, keyword, value);
        }
    }

    /** Every keyword with its unit, range, default and meaning, for {@code help profile}. */
    public static String help() {
        StringBuilder b = new StringBuilder("profile NAME TYPE stream=S key=value ...   TYPE: standard, continuous, "
                + "burst, sportrange\n");
        for (ProfileParam p : values()) {
            b.append(String.format("  %-15s %-26s %-40s default %s%n", p.def.keyword + "=", p.def.unit,
                    p.def.rangeText(), p.def.dfltText()));
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

    private static long millis(String field, Object v, long maxSeconds) {
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
        if (!(s >= 0) || s > maxSeconds) {
            throw ValidationException.of(field, v, "seconds, 0-" + maxSeconds);
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

    private static Def number(String keyword, int wireId, String unit, long min, long max, long dflt) {
        return new Def(keyword, Kind.NUMBER, wireId, unit, min, max, dflt, null);
    }

    /**
     * Seconds in keywords (up to 10^9) and {@code describe}, milliseconds in the table and on the wire (up to what
     * nanoseconds hold in a long).
     */
    private static Def seconds(String keyword, int wireId, long dfltMillis) {
        return new Def(keyword, Kind.SECONDS, wireId, "seconds", 0, Long.MAX_VALUE / 1_000_000, dfltMillis, null)
                .range("0-" + MAX_KEYWORD_SECONDS);
    }

    private static Def flag(String keyword, int wireId) {
        return new Def(keyword, Kind.FLAG, wireId, "boolean", 0, 1, 0, null);
    }

    private static Def text(String keyword, String unit, String range, String dflt, Applier applier) {
        return new Def(keyword, Kind.TEXT, -1, unit, 0, 0, 0, applier).range(range).dflt(dflt);
    }

    /** One row of the table, built by {@link #number}, {@link #seconds}, {@link #flag} or {@link #text}. */
    private static final class Def {
        final String keyword;
        final Kind kind;
        final int wireId;
        final String unit;
        final long min;
        final long max;
        final long dflt;
        final Applier applier;
        Shown shown = Shown.CHANGED;
        /** The profile types it applies to; {@code null} for all. */
        Set<ProfileType> types;
        String rangeText;
        String dfltText;

        Def(String keyword, Kind kind, int wireId, String unit, long min, long max, long dflt, Applier applier) {
            this.keyword = keyword;
            this.kind = kind;
            this.wireId = wireId;
            this.unit = unit;
            this.min = min;
            this.max = max;
            this.dflt = dflt;
            this.applier = applier;
        }

        Def shown(Shown how, ProfileType... only) {
            this.shown = how;
            this.types = only.length == 0 ? null : EnumSet.of(only[0], only);
            return this;
        }

        Def range(String text) {
            this.rangeText = text;
            return this;
        }

        Def dflt(String text) {
            this.dfltText = text;
            return this;
        }

        String rangeText() {
            if (rangeText != null) {
                return rangeText;
            }
            switch (kind) {
                case SECONDS:
                    return min / 1000 + "-" + max / 1000;
                case FLAG:
                    return "true or false";
                default:
                    return min + "-" + max;
            }
        }

        String dfltText() {
            if (dfltText != null) {
                return dfltText;
            }
            switch (kind) {
                case SECONDS:
                    return String.valueOf(dflt / 1000);
                case FLAG:
                    return dflt != 0 ? "true" : "false";
                default:
                    return String.valueOf(dflt);
            }
        }
    }
}
