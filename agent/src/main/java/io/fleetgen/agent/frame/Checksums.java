package io.fleetgen.agent.frame;

/**
 * The Internet checksum (RFC 1071) and its incremental update (RFC 1624, eqn. 3). Allocation-free; safe on the
 * transmit and capture paths.
 */
public final class Checksums {
    private Checksums() {
    }

    /** The 32-bit running one's-complement sum of {@code len} bytes at {@code off}, added to {@code sum}. */
    public static long sum(byte[] b, int off, int len, long sum) {
        int end = off + len;
        int i = off;
        for (; i + 1 < end; i += 2) {
            sum += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
        }
        if (i < end) {
            // An odd trailing byte is padded with a zero byte (RFC 1071 §4.1).
            sum += (b[i] & 0xFF) << 8;
        }
        return sum;
    }

    /** Folds a running sum to 16 bits and complements it: the checksum to write. */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    /** The checksum of a byte range. */
    public static int of(byte[] b, int off, int len) {
        return finish(sum(b, off, len, 0));
    }

    /**
     * The checksum after 16-bit words changed from {@code oldSum} to {@code newSum} (their one's-complement
     * sums): {@code HC' = ~(~HC + ~m + m')}, RFC 1624 eqn. 3.
     */
    public static int adjust(int checksum, long oldSum, long newSum) {
        long s = (~checksum & 0xFFFF) + fold(~fold(oldSum) & 0xFFFF) + fold(newSum);
        return finish(s);
    }

    /** Folds a running sum to 16 bits without complementing it. */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** Reads a big-endian 16-bit value. */
    public static int u16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    /** Writes a big-endian 16-bit value. */
    public static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    /** Writes a big-endian 32-bit value. */
    public static void put32(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    /** Writes a big-endian 64-bit value. */
    public static void put64(byte[] b, int off, long v) {
        put32(b, off, v >>> 32);
        put32(b, off + 4, v);
    }

    /** Reads a big-endian 32-bit value as unsigned. */
    public static long u32(byte[] b, int off) {
        return ((long) u16(b, off) << 16) | u16(b, off + 2);
    }

    /** Reads a big-endian 64-bit value. */
    public static long u64(byte[] b, int off) {
        return (u32(b, off) << 32) | u32(b, off + 4);
    }
}
