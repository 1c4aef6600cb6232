package io.fleetgen.codec;


/** Range checks and the seed-style description of a {@link ProfileSpec}. */
public final class ProfileValues {
    private static final int IFNAMSIZ = 15;
    /** Payload bytes the signature needs (magic, stream id, sequence, time). */
    static final int SIGNATURE_BYTES = 24;

    private ProfileValues() {
    }

    /** Returns {@code v} when {@code min <= v <= max}, else throws naming the field. */
    public static long range(String field, long v, long min, long max) {
        if (v < min || v > max) {
            throw ValidationException.of(field, v, max == Long.MAX_VALUE ? "at least " + min : min + "-" + max);
        }
        return v;
    }

    /** A whole number in text, within {@code lo}-{@code hi}, or the error naming the field and the range. */
    static long integer(String field, String text, long lo, long hi) {
        long v;
        try {
            v = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw ValidationException.of(field, text, lo + "-" + hi);
        }
        return range(field, v, lo, hi);
    }

    /** A Linux interface name: 1-15 characters, no '/', no whitespace, no ':' alias. */
    public static String ifaceName(String name) {
        if (name.isEmpty() || name.length() > IFNAMSIZ || !name.chars().allMatch(c -> c > 32 && c < 127 && c != '/')) {
            throw ValidationException.of("iface", name, "an interface name of 1-15 printable characters");
        }
        return name;
    }

    /** The ranges, how they combine, the seed and the number of flows, as keywords. */
    private static void describeFlows(Flows f, StringBuilder b) {
        if (f.isEmpty()) {
            return;
        }
        b.append(" range=").append(f);
        if (f.ranges().size() > 1) {
            b.append(" combine=").append(f.combine().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (f.seed() != 0) {
            b.append(" seed=").append(f.seed());
        }
        b.append(" (").append(f.cycle()).append(" flows)");
    }

    /**
     * The parameters that differ from the defaults, seed-style: the scalars as {@link ProfileParam} shows them
     * (a type's own always, the others when changed), then the ranges, the other streams, the sizes and the
     * capture's text parameters.
     */
    public static String describe(ProfileSpec p) {
        StringBuilder b = new StringBuilder("stream=[").append(p.stream()).append(']');
        for (ProfileParam s : ProfileParam.values()) {
            if (s.isScalar() && s.shownIn(p.type(), p.get(s))) {
                b.append(' ').append(s.keyword()).append('=').append(s.format(p.get(s)));
            }
        }
        describeFlows(p.flows(), b);
        for (int i = 1; i < p.streams().size(); i++) {
            b.append(" also=[").append(p.streams().get(i)).append("] pps=").append(p.ppsOf(i));
        }
        if (!p.imix().isEmpty()) {
            b.append(" imix=").append(p.imix());
        } else if (p.payload() != null) {
            b.append(" payload=").append(p.payload().length).append("B");
        } else {
            b.append(" size=").append(p.size());
            if (p.size() < SIGNATURE_BYTES) {
                b.append(" (below ").append(SIGNATURE_BYTES).append(" bytes: no signature, so loss, duplicates, order "
                        + "and latency are not measured)");
            }
        }
        if (p.capfilter() != null) {
            b.append(" capfilter=\"").append(p.capfilter()).append('"');
        }
        if (p.iface() != null) {
            b.append(" iface=").append(p.iface());
        }
        if (p.listener() != null) {
            b.append(" listener=").append(p.listenerText());
        }
        return b.toString();
    }
}
