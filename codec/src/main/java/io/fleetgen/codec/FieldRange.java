package io.fleetgen.codec;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Locale;

/**
 * One header field varied over a range, per packet: {@code FIELD=MIN..MAX[/STEP][@MODE]}, e.g.
 * {@code src=198.18.0.10..198.18.0.73}, {@code dport=9000..9063/1@random}, {@code src=2001:2::100..2001:2::13f}.
 * The values are {@code MIN, MIN+STEP, ...} up to {@code MAX}; {@code inc} walks them up, {@code dec} down,
 * {@code random} in an order drawn from the profile's seed (each value once per cycle, as the others). At most
 * 2^32 values. Immutable.
 */
public final class FieldRange {
    /** The fields a range can vary, by keyword. */
    public enum Field {
        SRC("src", "an IPv4 or IPv6 address"),
        DST("dst", "an IPv4 or IPv6 address"),
        SPORT("sport", "0-65535"),
        DPORT("dport", "0-65535"),
        IP_ID("id", "0-65535 (IPv4)"),
        TTL("ttl", "0-255 (the hop limit on IPv6)"),
        DSCP("dscp", "0-63 (the top six bits of the IPv4 TOS or IPv6 traffic class)");

        private final String keyword;
        private final String values;

        Field(String keyword, String values) {
            this.keyword = keyword;
            this.values = values;
        }

        public String keyword() {
            return keyword;
        }

        public boolean address() {
            return this == SRC || this == DST;
        }

        long max() {
            switch (this) {
                case TTL:
                    return 255;
                case DSCP:
                    return 63;
                default:
                    return 65535;
            }
        }

        static Field of(String keyword) {
            for (Field f : values()) {
                if (f.keyword.equals(keyword)) {
                    return f;
                }
            }
            StringBuilder b = new StringBuilder();
            for (Field f : values()) {
                b.append(b.length() == 0 ? "" : ", ").append(f.keyword);
            }
            throw ValidationException.of("range", keyword, "one of " + b);
        }
    }

    /** The order a range walks its values in. */
    public enum Mode { INC, DEC, RANDOM }

    /** Most values one range may have. */
    public static final long MAX_VALUES = 1L << 32;

    private final Field field;
    private final BigInteger min;
    private final BigInteger max;
    private final long step;
    private final Mode mode;
    /** Address bytes (4 or 16) for src and dst; 0 for numbers. */
    private final int addressBytes;

    private FieldRange(Field field, BigInteger min, BigInteger max, long step, Mode mode, int addressBytes) {
        this.field = field;
        this.min = min;
        this.max = max;
        this.step = step;
        this.mode = mode;
        this.addressBytes = addressBytes;
    }

    /** Parses {@code FIELD=MIN..MAX[/STEP][@MODE]}; a bad part is named with what was expected. */
    public static FieldRange parse(String text) {
        String t = text.trim();
        int eq = t.indexOf('=');
        if (eq < 0) {
            throw ValidationException.of("range", text, "FIELD=MIN..MAX[/STEP][@inc|dec|random], e.g. "
                    + "dport=9000..9063");
        }
        Field field = Field.of(t.substring(0, eq).trim().toLowerCase(Locale.ROOT));
        String rest = t.substring(eq + 1).trim();
        Mode mode = Mode.INC;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            mode = mode(field, rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        long step = 1;
        int slash = rest.lastIndexOf('/');
        if (slash >= 0) {
            step = ProfileValues.integer(field.keyword + " step", rest.substring(slash + 1), 1, 0xFFFF_FFFFL);
            rest = rest.substring(0, slash);
        }
        int dots = rest.indexOf("..");
        if (dots < 0) {
            throw ValidationException.of(field.keyword + " range", rest, "MIN..MAX");
        }
        String lo = rest.substring(0, dots).trim();
        String hi = rest.substring(dots + 2).trim();
        if (field.address()) {
            byte[] a = InetText.parse(field.keyword, lo);
            byte[] b = InetText.parse(field.keyword, hi);
            if (a.length != b.length) {
                throw ValidationException.of(field.keyword, hi, "an address of the same family as " + lo);
            }
            return checked(new FieldRange(field, new BigInteger(1, a), new BigInteger(1, b), step, mode, a.length),
                    hi);
        }
        long a = ProfileValues.integer(field.keyword, lo, 0, field.max());
        long b = ProfileValues.integer(field.keyword, hi, 0, field.max());
        return checked(new FieldRange(field, BigInteger.valueOf(a), BigInteger.valueOf(b), step, mode, 0), hi);
    }

    private static FieldRange checked(FieldRange r, String hi) {
        if (r.max.compareTo(r.min) < 0) {
            throw ValidationException.of(r.field.keyword, hi, "at least the range's first value "
                    + r.text(r.min));
        }
        if (r.max.subtract(r.min).divide(BigInteger.valueOf(r.step)).compareTo(BigInteger.valueOf(MAX_VALUES)) >= 0) {
            throw ValidationException.of(r.field.keyword + " range", r, "at most " + MAX_VALUES + " values");
        }
        return r;
    }

    private static Mode mode(Field field, String text) {
        try {
            return Mode.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ValidationException.of(field.keyword + " mode", text, "inc, dec or random");
        }
    }


    public Field field() {
        return field;
    }

    public Mode mode() {
        return mode;
    }

    public long step() {
        return step;
    }

    /** How many values the range has: {@code (max - min) / step + 1}. */
    public long count() {
        return max.subtract(min).divide(BigInteger.valueOf(step)).longValueExact() + 1;
    }

    /** 4 or 16 for an address range, 0 for a number. */
    public int addressBytes() {
        return addressBytes;
    }

    /** The first value as a number (ports, id, ttl, dscp; the low 64 bits of an address). */
    public long minLong() {
        return min.longValue();
    }

    /** The first value of an address range: its bytes. */
    public byte[] minAddress() {
        return bytes(min);
    }

    /** The {@code i}-th value of an address range ({@code 0 <= i < count()}): its bytes. */
    public byte[] address(long i) {
        return bytes(min.add(BigInteger.valueOf(step).multiply(BigInteger.valueOf(i))));
    }

    /** The last value the range produces ({@code min + (count - 1) * step}), as an address or a number. */
    public String lastText() {
        return text(min.add(BigInteger.valueOf(step).multiply(BigInteger.valueOf(count() - 1))));
    }

    private byte[] bytes(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[addressBytes];
        int n = Math.min(raw.length, addressBytes);
        System.arraycopy(raw, raw.length - n, out, addressBytes - n, n);
        return out;
    }

    private String text(BigInteger v) {
        return addressBytes == 0 ? v.toString() : InetText.format(bytes(v));
    }

    @Override
    public String toString() {
        return field.keyword + "=" + text(min) + ".." + text(max) + (step == 1 ? "" : "/" + step)
                + (mode == Mode.INC ? "" : "@" + mode.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldRange && toString().equals(o.toString());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new Object[] {field, min, max, step, mode});
    }
}
