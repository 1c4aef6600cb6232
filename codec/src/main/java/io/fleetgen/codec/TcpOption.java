package io.fleetgen.codec;

import java.util.Arrays;
import java.util.Locale;

/**
 * One TCP option by the seed's (Scapy's) name: {@code EOL}, {@code NOP}, {@code MSS}, {@code WScale},
 * {@code SAckOK}, {@code SAck}, {@code Timestamp}, {@code AltChkSum}, {@code AltChkSumOpt}. Immutable.
 */
public final class TcpOption {

    /** The option kinds, with their RFC 793/7323/2018/1146 kind numbers. */
    public enum Kind {
        EOL(0, "EOL", 0, 0, 0),
        NOP(1, "NOP", 0, 0, 0),
        MSS(2, "MSS", 1, 1, 0xFFFF),
        WSCALE(3, "WScale", 1, 1, 0xFF),
        SACKOK(4, "SAckOK", 0, 0, 0),
        SACK(5, "SAck", 2, 8, 0xFFFF_FFFFL),
        TIMESTAMP(8, "Timestamp", 2, 2, 0xFFFF_FFFFL),
        ALTCHKSUM(14, "AltChkSum", 1, 1, 0xFF),
        ALTCHKSUMOPT(15, "AltChkSumOpt", 0, 16, 0xFF);

        private final int number;
        private final String seedName;
        private final int minValues;
        private final int maxValues;
        private final long maxValue;

        Kind(int number, String seedName, int minValues, int maxValues, long maxValue) {
            this.number = number;
            this.seedName = seedName;
            this.minValues = minValues;
            this.maxValues = maxValues;
            this.maxValue = maxValue;
        }

        public int number() {
            return number;
        }

        public String seedName() {
            return seedName;
        }

        /** The kind by its seed name, case-insensitive, or {@code null}. */
        public static Kind bySeedName(String name) {
            for (Kind k : values()) {
                if (k.seedName.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    return k;
                }
            }
            return null;
        }

        /** The kind by its number, or {@code null}. */
        public static Kind byNumber(int number) {
            for (Kind k : values()) {
                if (k.number == number) {
                    return k;
                }
            }
            return null;
        }
    }

    private final Kind kind;
    private final long[] values;

    private TcpOption(Kind kind, long[] values) {
        this.kind = kind;
        this.values = values;
    }

    /**
     * An option with its values: none for EOL/NOP/SAckOK, one for MSS/WScale/AltChkSum, two for Timestamp
     * (value, echo reply), an even number of edges for SAck, option bytes for AltChkSumOpt.
     *
     * @throws ValidationException naming the option when the number or range of values is wrong
     */
    public static TcpOption of(Kind kind, long... values) {
        String field = kind.seedName;
        if (values.length < kind.minValues || values.length > kind.maxValues
                || (kind == Kind.SACK && values.length % 2 != 0)) {
            String expected = kind.minValues == kind.maxValues ? kind.minValues + " value(s)"
                    : kind == Kind.SACK ? "1 to 4 left:right pairs" : kind.minValues + "-" + kind.maxValues + " values";
            throw ValidationException.of(field, Arrays.toString(values), expected);
        }
        for (long v : values) {
            if (v < 0 || v > kind.maxValue) {
                throw ValidationException.of(field, v, "0-" + kind.maxValue);
            }
        }
        return new TcpOption(kind, values.clone());
    }

    public Kind kind() {
        return kind;
    }

    /** A copy of the option's values. */
    public long[] values() {
        return values.clone();
    }

    /** Bytes the option takes in the TCP header. */
    public int encodedLength() {
        switch (kind) {
            case EOL:
            case NOP:
                return 1;
            case SACK:
                return 2 + 4 * values.length;
            case TIMESTAMP:
                return 10;
            case MSS:
                return 4;
            case WSCALE:
            case ALTCHKSUM:
                return 3;
            case SACKOK:
                return 2;
            case ALTCHKSUMOPT:
                return 2 + values.length;
            default:
                throw new IllegalStateException(kind.name());
        }
    }

    /** Writes the option at {@code off} and returns the offset after it. */
    public int encode(byte[] dst, int off) {
        int len = encodedLength();
        dst[off] = (byte) kind.number;
        if (len == 1) {
            return off + 1;
        }
        dst[off + 1] = (byte) len;
        int p = off + 2;
        if (kind == Kind.MSS) {
            dst[p++] = (byte) (values[0] >>> 8);
            dst[p++] = (byte) values[0];
        } else if (kind == Kind.SACK || kind == Kind.TIMESTAMP) {
            for (long v : values) {
                dst[p++] = (byte) (v >>> 24);
                dst[p++] = (byte) (v >>> 16);
                dst[p++] = (byte) (v >>> 8);
                dst[p++] = (byte) v;
            }
        } else {
            for (long v : values) {
                dst[p++] = (byte) v;
            }
        }
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TcpOption && ((TcpOption) o).kind == kind && Arrays.equals(((TcpOption) o).values, values);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Arrays.hashCode(values);
    }

    /** The seed form, e.g. {@code MSS=1460}, {@code Timestamp=1:0}, {@code NOP}. */
    @Override
    public String toString() {
        if (values.length == 0) {
            return kind.seedName;
        }
        StringBuilder b = new StringBuilder(kind.seedName).append('=');
        for (int i = 0; i < values.length; i++) {
            b.append(i == 0 ? "" : ":").append(values[i]);
        }
        return b.toString();
    }
}
