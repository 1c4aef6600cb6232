package io.fleetgen.agent.impl.sys;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.netty.util.internal.PlatformDependent;
import org.pcap4j.core.PcapHandle;

/**
 * Reads packets from a pcap handle one {@code pcap_next_ex} at a time into one reused buffer, with no Java
 * allocation per packet (pcap4j's {@code dispatch} allocates a byte array, a timestamp and boxed values for each
 * packet). Owned by one capture thread; the handle stays pcap4j's, and is closed by its owner. The packet header
 * and bytes are read with Netty's {@code PlatformDependent} (intrinsic memory reads through {@code Unsafe}), so
 * that the only native crossing per packet is {@code pcap_next_ex} itself.
 */
public final class PacketReader {
    private static final int CAPLEN_OFFSET = Abi.PCAP_PKTHDR_CAPLEN;
    private static final int WIRELEN_OFFSET = Abi.PCAP_PKTHDR_LEN;
    /** Offset of the timestamp's fraction: microseconds, or nanoseconds on a handle opened with nano precision. */
    private static final int FRACTION_OFFSET = 8;

    private final Pointer pcap;
    private final Memory headerSlot = new Memory(Long.BYTES);
    private final Memory dataSlot = new Memory(Long.BYTES);
    private final Memory stats = new Memory(Abi.PCAP_STAT_BYTES);
    /** One {@code struct pollfd}: int fd, short events, short revents. */
    private final Memory pollfd = new Memory(Abi.POLLFD_BYTES);
    private final long headerSlotAddress = Pointer.nativeValue(headerSlot);
    private final long dataSlotAddress = Pointer.nativeValue(dataSlot);
    private final byte[] buffer;
    private int length;
    private int wireLength;
    private long timestampSeconds;
    private long timestampFraction;
    private final long fractionToNanos;

    /**
     * @param snaplen the largest capture length the handle returns; longer captures are cut to it
     */
    public PacketReader(PcapHandle handle, int snaplen) {
        if (!PlatformDependent.hasUnsafe()) {
            throw new IllegalStateException("capture needs sun.misc.Unsafe (Netty's PlatformDependent): "
                    + PlatformDependent.getUnsafeUnavailabilityCause());
        }
        this.pcap = NativePcap.pointer(handle);
        this.fractionToNanos = handle.getTimestampPrecision() == PcapHandle.TimestampPrecision.NANO ? 1 : 1000;
        this.buffer = new byte[snaplen];
        pollfd.setInt(0, NativePcap.pcap_fileno(pcap));
        pollfd.setShort(Abi.POLLFD_EVENTS, Abi.POLLIN);
    }

    /**
     * Reads the next packet into {@link #buffer()}.
     *
     * @return {@link NativePcap#PACKET}, {@link NativePcap#TIMEOUT}, or a negative libpcap code (-1 error,
     *     -2 end of a savefile or {@code pcap_breakloop})
     */
    public int next() {
        int r = NativePcap.pcap_next_ex(pcap, headerSlot, dataSlot);
        if (r != NativePcap.PACKET) {
            return r;
        }
        long hdr = PlatformDependent.getLong(headerSlotAddress);
        length = Math.min(PlatformDependent.getInt(hdr + CAPLEN_OFFSET), buffer.length);
        wireLength = PlatformDependent.getInt(hdr + WIRELEN_OFFSET);
        timestampSeconds = PlatformDependent.getLong(hdr);
        timestampFraction = PlatformDependent.getLong(hdr + FRACTION_OFFSET);
        PlatformDependent.copyMemory(PlatformDependent.getLong(dataSlotAddress), buffer, 0, length);
        return r;
    }

    /**
     * Waits until the capture socket has packets to read (for a handle in non-blocking mode, after
     * {@link #next()} returned {@link NativePcap#TIMEOUT}), at most {@code timeoutMillis}.
     */
    public void await(int timeoutMillis) {
        pollfd.setShort(Abi.POLLFD_EVENTS + 2, (short) 0);
        LibC.poll(pollfd, 1, timeoutMillis);
    }

    /** The buffer holding the last packet's captured bytes, from 0 to {@link #length()}. */
    public byte[] buffer() {
        return buffer;
    }

    /** Captured length of the last packet. */
    public int length() {
        return length;
    }

    /** Length of the last packet on the wire. */
    public int wireLength() {
        return wireLength;
    }

    /** Capture timestamp of the last packet, in nanoseconds since the epoch (microsecond precision or better). */
    public long timestampNanos() {
        return timestampSeconds * 1_000_000_000L + timestampFraction * fractionToNanos;
    }

    /** Packets the kernel dropped because the capture buffer was full ({@code ps_drop}), or -1 if unknown. */
    public long dropped() {
        if (NativePcap.pcap_stats(pcap, stats) != 0) {
            return -1;
        }
        return stats.getInt(Integer.BYTES) & 0xFFFF_FFFFL;
    }

    /** libpcap's message for the last error on this handle. */
    public String error() {
        return NativePcap.pcap_geterr(pcap);
    }
}
