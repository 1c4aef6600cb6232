package io.fleetgen.agent.impl.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Native access to the AF_PACKET socket that a pcap4j handle owns (pcap4j stays the owner: it opened the socket
 * and closes it; {@link NativePcap#fileno} finds it). Direct-mapped JNA calls: {@code sendmmsg} to hand
 * the kernel a whole batch of frames in one system call, {@code setsockopt(PACKET_QDISC_BYPASS)} as trafgen
 * does. Linux only; {@link #available()} says whether it loaded.
 */
public final class PacketSocket {
    private static final boolean AVAILABLE;

    static {
        AVAILABLE = LibC.AVAILABLE && NativePcap.available();
    }

    private PacketSocket() {
    }

    /** Whether the native calls are usable here (64-bit Linux with libc and libpcap). */
    public static boolean available() {
        return AVAILABLE;
    }

    /** Lets frames skip the qdisc layer (Linux 3.14+); false when the kernel refuses. */
    public static boolean bypassQdisc(int fd) {
        Pointer one = new com.sun.jna.Memory(4);
        one.setInt(0, 1);
        try {
            return LibC.setsockopt(fd, Abi.SOL_PACKET, Abi.PACKET_QDISC_BYPASS, one, 4) == 0;
        } catch (LastErrorException e) {
            return false;
        }
    }

    /**
     * Sends up to {@code vlen} prepared messages.
     *
     * @return messages sent, or -1 with the errno in {@link Native#getLastError()} (no exception is made)
     */
    public static int sendmmsg(int fd, Pointer msgvec, int vlen) {
        return LibC.sendmmsg(fd, msgvec, vlen, 0);
    }
}
