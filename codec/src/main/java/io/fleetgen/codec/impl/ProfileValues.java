package io.fleetgen.codec.impl;

import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ValidationException;
import java.nio.charset.StandardCharsets;

/** Range checks and seed-keyword conversion for {@link ProfileSpec.Builder}. */
public final class ProfileValues {
    private static final int IFNAMSIZ = 15;

    private ProfileValues() {
    }

    /** Returns {@code v} when {@code min <= v <= max}, else throws naming the field. */
    public static long range(String field, long v, long min, long max) {
        if (v < min || v > max) {
            throw ValidationException.of(field, v, max == Long.MAX_VALUE ? "at least " + min : min + "-" + max);
        }
        return v;
    }

    /** A Linux interface name: 1-15 characters, no '/', no whitespace, no ':' alias. */
    public static String ifaceName(String name) {
        if (name.isEmpty() || name.length() > IFNAMSIZ || !name.chars().allMatch(c -> c > 32 && c < 127 && c != '/')) {
            throw ValidationException.of("iface", name, "an interface name of 1-15 printable characters");
        }
        return name;
    }

    /** Applies one seed keyword ({@code key} lower-cased, underscores removed) to the builder. */
    public static void apply(ProfileSpec.Builder b, String key, String field, Object value) {
        switch (key) {
            case "size":
                b.size((int) integer(field, value, 0, ProfileSpec.MAX_SIZE));
                break;
            case "payload":
                b.payload(value instanceof byte[] ? (byte[]) value : text(value).getBytes(StandardCharsets.UTF_8));
                break;
            case "capfilter":
                b.capfilter(text(value));
                break;
            case "timeout":
                b.timeoutMillis(millis(field, value));
                break;
            case "iface":
                b.iface(text(value));
                break;
            case "listener":
                b.listener(text(value));
                break;
            case "chksum":
                b.chksum(bool(field, value));
                break;
            case "count":
                b.count(integer(field, value, 1, Long.MAX_VALUE / 65536));
                break;
            case "burstcount":
                b.burstCount(integer(field, value, 1, Integer.MAX_VALUE));
                break;
            case "burstinterval":
                b.burstIntervalMillis(millis(field, value));
                break;
            case "startport":
                b.startport((int) integer(field, value, 0, 65535));
                break;
            case "endport":
                b.endport((int) integer(field, value, 0, 65535));
                break;
            case "pps":
                b.pps(integer(field, value, 0, 100_000_000));
                break;
            case "bps":
                b.bps(integer(field, value, 0, 100_000_000_000L));
                break;
            case "pcap":
                b.pcap(integer(field, value, 0, ProfileSpec.MAX_PCAP_PACKETS));
                break;
            case "threads":
                b.threads((int) integer(field, value, 1, ProfileSpec.MAX_THREADS));
                break;
            case "duration":
                b.durationMillis(millis(field, value));
                break;
            default:
                throw new ValidationException(field, field + ": unknown profile parameter (expected: one of size, "
                        + "payload, capfilter, timeout, iface, listener, chksum, count, burst_count, burst_interval, "
                        + "startport, endport, pps, bps, pcap, threads, duration)");
        }
    }

    /** The parameters that differ from the defaults, seed-style. */
    public static String describe(ProfileSpec p) {
        StringBuilder b = new StringBuilder("stream=[").append(p.stream()).append(']');
        switch (p.type()) {
            case STANDARD:
                b.append(" count=").append(p.count());
                break;
            case BURST:
                b.append(" count=").append(p.count()).append(" burst_count=").append(p.burstCount())
                        .append(" burst_interval=").append(p.burstIntervalMillis() / 1000.0);
                break;
            case SPORT_RANGE:
                b.append(" startport=").append(p.startport()).append(" endport=").append(p.endport());
                break;
            default:
                break;
        }
        if (p.payload() != null) {
            b.append(" payload=").append(p.payload().length).append("B");
        } else {
            b.append(" size=").append(p.size());
        }
        if (p.bps() > 0) {
            b.append(" bps=").append(p.bps());
        }
        if (p.pcap() > 0) {
            b.append(" pcap=").append(p.pcap());
        }
        if (p.pps() > 0) {
            b.append(" pps=").append(p.pps());
        }
        if (p.capfilter() != null) {
            b.append(" capfilter=\"").append(p.capfilter()).append('"');
        }
        if (p.listener() != null) {
            b.append(" listener=").append(p.listenerText());
        }
        if (p.timeoutMillis() > 0) {
            b.append(" timeout=").append(p.timeoutMillis() / 1000.0);
        }
        if (p.chksum()) {
            b.append(" chksum=True");
        }
        if (p.threads() > 1) {
            b.append(" threads=").append(p.threads());
        }
        return b.toString();
    }

    private static String text(Object v) {
        if (v == null) {
            return null;
        }
        return String.valueOf(v);
    }

    private static long integer(String field, Object v, long min, long max) {
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
        return range(field, n, min, max);
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
        String t = String.valueOf(v).trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("true") || t.equals("1") || t.equals("yes") || t.equals("on")) {
            return true;
        }
        if (t.equals("false") || t.equals("0") || t.equals("no") || t.equals("off")) {
            return false;
        }
        throw ValidationException.of(field, v, "true or false");
    }
}
