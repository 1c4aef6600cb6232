package io.fleetgen.agent.impl.rx;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes captured frames to a pcap file with nanosecond timestamps (magic {@code a1b23c4d}, what
 * {@code tcpdump -r} and Wireshark read), at most a number of packets and bytes; nothing is allocated per packet.
 * Owned by one capture thread.
 */
public final class PcapWriter implements Closeable {
    /** Largest file written, whatever the packet limit. */
    static final long MAX_BYTES = 64L << 20;
    private static final int NANO_MAGIC = 0xA1B23C4D;

    private final OutputStream out;
    private final long maxPackets;
    private final byte[] record = new byte[16];
    private long packets;
    private long bytes;

    private PcapWriter(OutputStream out, long maxPackets) {
        this.out = out;
        this.maxPackets = maxPackets;
    }

    /** Creates (or replaces) {@code file} and writes the global header. */
    public static PcapWriter create(Path file, int linkType, int snaplen, long maxPackets) throws IOException {
        // In the agent's private directory; a file left by an earlier run of the name is replaced, never followed.
        Files.deleteIfExists(file);
        PcapWriter w = new PcapWriter(new BufferedOutputStream(Files.newOutputStream(file,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), 1 << 16),
                maxPackets);
        byte[] h = new byte[24];
        le32(h, 0, NANO_MAGIC);
        le16(h, 4, 2);
        le16(h, 6, 4);
        le32(h, 16, snaplen);
        le32(h, 20, linkType);
        w.out.write(h);
        w.bytes = h.length;
        return w;
    }

    /** Appends one frame, unless the file already holds its packets or bytes; false then. */
    public boolean write(byte[] frame, int len, int wireLen, long tsNanos) throws IOException {
        if (packets >= maxPackets || bytes + record.length + len > MAX_BYTES) {
            return false;
        }
        le32(record, 0, (int) (tsNanos / 1_000_000_000L));
        le32(record, 4, (int) (tsNanos % 1_000_000_000L));
        le32(record, 8, len);
        le32(record, 12, wireLen);
        out.write(record);
        out.write(frame, 0, len);
        packets++;
        bytes += record.length + len;
        return true;
    }

    /** Packets written. */
    public long packets() {
        return packets;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private static void le32(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    private static void le16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }
}
