package io.fleetgen.agent.impl.sys;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.reflect.Field;
import org.pcap4j.core.PcapHandle;

/**
 * Direct-mapped libpcap calls on a handle that pcap4j owns (pcap4j opened it and closes it): the socket under
 * it, the next packet without a callback, and the capture statistics. Direct mapping passes pointers and ints
 * straight through, so none of these calls allocates on the Java heap.
 */
public final class NativePcap {
    /** {@code pcap_next_ex}: a packet was read. */
    public static final int PACKET = 1;
    /** {@code pcap_next_ex}: the read timeout expired with no packet. */
    public static final int TIMEOUT = 0;
    /** {@code pcap_next_ex}: no more packets in a savefile. */
    public static final int END_OF_FILE = -2;
    /** {@code pcap_next_ex} on a live handle: {@code pcap_breakloop} was called. */
    public static final int BREAK = -2;
    private static final boolean LIBPCAP;
    private static final Field HANDLE;
    private static final boolean AVAILABLE;

    static {
        Field f;
        try {
            f = PcapHandle.class.getDeclaredField("handle");
            f.setAccessible(true);
        } catch (NoSuchFieldException | RuntimeException e) {
            f = null;
        }
        HANDLE = f;
        boolean lib;
        try {
            Native.register(NativePcap.class, "pcap");
            lib = true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            lib = false;
        }
        LIBPCAP = lib;
        AVAILABLE = HANDLE != null && LIBPCAP && LibC.AVAILABLE && Native.POINTER_SIZE == 8;
    }

    private NativePcap() {
    }

    /** Whether libpcap loaded on a 64-bit platform and pcap4j's handle pointer is reachable. */
    public static boolean available() {
        return AVAILABLE;
    }

    /**
     * Fails loudly when native capture cannot work here: libpcap or libc missing, not 64-bit, or pcap4j's private
     * {@code PcapHandle.handle} pointer gone (a pcap4j upgrade). The agent calls it at start-up, before it joins.
     *
     * @throws IllegalStateException naming what is missing
     */
    public static void requireAvailable() {
        if (AVAILABLE) {
            return;
        }
        throw new IllegalStateException("native capture: " + (HANDLE == null
                ? "pcap4j's PcapHandle has no 'handle' field (expected: pcap4j-core 1.8.2, whose pcap_t* it is)"
                : !LIBPCAP ? "libpcap did not load (expected: libpcap0.8 installed)"
                : !LibC.AVAILABLE ? "libc did not load" : "a 32-bit JVM (expected: 64-bit)"));
    }

    /** The {@code pcap_t*} of a live or offline pcap4j handle. */
    public static Pointer pointer(PcapHandle handle) {
        if (!AVAILABLE) {
            throw new IllegalStateException("native libpcap access is not available on this platform");
        }
        try {
            return (Pointer) HANDLE.get(handle);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("pcap4j's PcapHandle 'handle' pointer: " + e, e);
        }
    }

    /** The socket descriptor under a live pcap handle. */
    public static int fileno(PcapHandle handle) {
        return pcap_fileno(pointer(handle));
    }

    @SuppressWarnings("checkstyle:MethodName")
    static native int pcap_fileno(Pointer pcap);

    /** {@code int pcap_next_ex(pcap_t*, struct pcap_pkthdr**, const u_char**)}. */
    @SuppressWarnings("checkstyle:MethodName")
    static native int pcap_next_ex(Pointer pcap, Pointer header, Pointer data);

    /** {@code int pcap_stats(pcap_t*, struct pcap_stat*)}. */
    @SuppressWarnings("checkstyle:MethodName")
    static native int pcap_stats(Pointer pcap, Pointer stats);

    /** {@code char* pcap_geterr(pcap_t*)}. */
    @SuppressWarnings("checkstyle:MethodName")
    static native String pcap_geterr(Pointer pcap);
}
