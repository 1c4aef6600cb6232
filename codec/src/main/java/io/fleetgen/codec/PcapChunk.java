package io.fleetgen.codec;

import java.util.Arrays;
import java.util.Objects;

/**
 * One piece of the pcap file an ended receiver recorded, as its agent serves it: at most {@link #MAX_BYTES} from
 * {@link #offset()}, with the file's size, answering the fetch command of nonce {@link #inReplyTo()}. A file is
 * fetched piece by piece, so that neither end holds it whole (issue 11). Immutable; the array is not copied.
 */
public final class PcapChunk {
    /** Largest piece, in bytes. */
    public static final int MAX_BYTES = 512 << 10;

    private final long offset;
    private final long total;
    private final byte[] data;
    private final byte[] inReplyTo;

    public PcapChunk(long offset, long total, byte[] data, byte[] inReplyTo) {
        if (offset < 0 || total < 0 || offset > total) {
            throw ValidationException.of("offset", offset, "0-" + total);
        }
        this.data = Objects.requireNonNull(data, "data");
        if (data.length > MAX_BYTES || offset + data.length > total) {
            throw ValidationException.of("data", data.length + " bytes", "at most " + Math.min(MAX_BYTES,
                    total - offset));
        }
        this.offset = offset;
        this.total = total;
        this.inReplyTo = inReplyTo == null ? new byte[0] : inReplyTo;
    }

    public long offset() {
        return offset;
    }

    /** The whole file's size in bytes. */
    public long total() {
        return total;
    }

    public byte[] data() {
        return data;
    }

    public byte[] inReplyTo() {
        return inReplyTo;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PcapChunk)) {
            return false;
        }
        PcapChunk c = (PcapChunk) o;
        return offset == c.offset && total == c.total && Arrays.equals(data, c.data)
                && Arrays.equals(inReplyTo, c.inReplyTo);
    }

    @Override
    public int hashCode() {
        return Objects.hash(offset, total, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "pcap " + offset + "+" + data.length + "/" + total;
    }
}
