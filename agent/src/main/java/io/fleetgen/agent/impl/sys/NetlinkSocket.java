package io.fleetgen.agent.impl.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.Closeable;
import java.io.IOException;

/** A netlink socket of one protocol, with a receive timeout; unprivileged. Closed by its owner. */
public final class NetlinkSocket implements Closeable {
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;

    private final int fd;

    /** Opens a socket of {@code protocol} (0: {@code NETLINK_ROUTE}) whose reads wait at most {@code seconds}. */
    public NetlinkSocket(int protocol, long seconds) throws IOException {
        try {
            fd = LibC.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
        } catch (LastErrorException e) {
            throw new IOException("netlink socket: errno " + e.getErrorCode(), e);
        }
        try {
            Memory timeout = new Memory(Abi.TIMESPEC_BYTES);
            timeout.setLong(0, seconds);
            timeout.setLong(8, 0);
            LibC.setsockopt(fd, Abi.SOL_SOCKET, Abi.SO_RCVTIMEO, timeout, Abi.TIMESPEC_BYTES);
        } catch (LastErrorException e) {
            LibC.close(fd);
            throw new IOException("netlink socket: errno " + e.getErrorCode(), e);
        }
    }

    /** Whether libc loaded, so that a socket can be opened. */
    public static boolean available() {
        return LibC.AVAILABLE;
    }

    /** Sends one message. */
    public void send(byte[] message, String what) throws IOException {
        try {
            LibC.send(fd, message, message.length, 0);
        } catch (LastErrorException e) {
            throw new IOException(what + ": netlink errno " + e.getErrorCode(), e);
        }
    }

    /** Reads one datagram into {@code into}; returns its length. */
    public int recv(byte[] into, String what) throws IOException {
        try {
            return (int) LibC.recv(fd, into, into.length, 0);
        } catch (LastErrorException e) {
            throw new IOException(what + ": netlink errno " + e.getErrorCode(), e);
        }
    }

    @Override
    public void close() {
        LibC.close(fd);
    }
}
