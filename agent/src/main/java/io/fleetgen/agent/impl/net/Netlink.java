package io.fleetgen.agent.impl.net;

import io.fleetgen.agent.impl.sys.Abi;
import io.fleetgen.agent.impl.sys.NetlinkSocket;
import io.fleetgen.codec.InetText;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Route and neighbour lookups over an rtnetlink socket (what {@code ip route get} and {@code ip neigh get} send),
 * through direct-mapped libc calls: no process per lookup. One socket per lookup, closed by the caller;
 * unprivileged. Linux only.
 */
final class Netlink implements Closeable {
    static final int RTN_UNICAST = 1;
    /** NUD_REACHABLE | STALE | DELAY | PROBE | NOARP | PERMANENT: a neighbour entry whose address can be used. */
    static final int NUD_USABLE = 0x02 | 0x04 | 0x08 | 0x10 | 0x40 | 0x80;
    static final int ENOENT = Abi.ENOENT;

    private static final int NETLINK_ROUTE = 0;
    private static final int NLMSG_ERROR = 2;
    private static final int RTM_NEWROUTE = 24;
    private static final int RTM_GETROUTE = 26;
    private static final int RTM_NEWNEIGH = 28;
    private static final int RTM_GETNEIGH = 30;
    private static final int NLM_F_REQUEST = 1;
    private static final int NLMSG_HDR = 16;
    private static final int RTMSG = 12;
    private static final int NDMSG = 12;
    private static final int RTA_DST = 1;
    private static final int RTA_OIF = 4;
    private static final int RTA_GATEWAY = 5;
    private static final int RTA_PREFSRC = 7;
    private static final int NDA_DST = 1;
    private static final int NDA_LLADDR = 2;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;

    private final NetlinkSocket socket;
    private final byte[] in = new byte[8192];
    private int seq;

    /** What the kernel answered to a route lookup. */
    record RouteReply(int type, int ifindex, byte[] gateway, byte[] prefsrc) {
    }

    /** A neighbour entry: its NUD state bits and link-layer address (null when it has none yet). */
    record NeighbourReply(int state, byte[] lladdr) {
    }

    /** A lookup the kernel refused, with its errno (ENETUNREACH, ENOENT...). */
    static final class KernelError extends IOException {
        private static final long serialVersionUID = 1L;
        final int errno;

        KernelError(int errno, String what) {
            super(what + ": errno " + errno);
            this.errno = errno;
        }
    }

    static boolean available() {
        return NetlinkSocket.available();
    }

    Netlink() throws IOException {
        socket = new NetlinkSocket(NETLINK_ROUTE, 2);
    }

    /** {@code ip route get DST}: the kernel's route for one destination (policy routing included). */
    RouteReply route(byte[] dst) throws IOException {
        ByteBuffer b = header(RTM_GETROUTE, RTMSG, dst);
        b.put((byte) family(dst)).put((byte) (dst.length * 8)).put(new byte[10]);
        attr(b, RTA_DST, dst);
        ByteBuffer r = exchange(b, RTM_NEWROUTE, "route to " + InetText.format(dst));
        int type = r.get(NLMSG_HDR + 7) & 0xFF;
        int ifindex = 0;
        byte[] gateway = null;
        byte[] prefsrc = null;
        for (int off = NLMSG_HDR + RTMSG; (off = nextAttr(r, off)) >= 0; off += align(r.getShort(off) & 0xFFFF)) {
            int kind = r.getShort(off + 2) & 0x3FFF;
            if (kind == RTA_OIF) {
                ifindex = r.getInt(off + 4);
            } else if (kind == RTA_GATEWAY) {
                gateway = value(r, off);
            } else if (kind == RTA_PREFSRC) {
                prefsrc = value(r, off);
            }
        }
        return new RouteReply(type, ifindex, gateway, prefsrc);
    }

    /** {@code ip neigh get ADDR dev IFINDEX}; {@link KernelError} with ENOENT when there is no entry. */
    NeighbourReply neighbour(byte[] addr, int ifindex) throws IOException {
        ByteBuffer b = header(RTM_GETNEIGH, NDMSG, addr);
        b.put((byte) family(addr)).put((byte) 0).putShort((short) 0).putInt(ifindex).putShort((short) 0)
                .put((byte) 0).put((byte) 0);
        attr(b, NDA_DST, addr);
        ByteBuffer r = exchange(b, RTM_NEWNEIGH, "neighbour " + InetText.format(addr));
        int state = r.getShort(NLMSG_HDR + 8) & 0xFFFF;
        byte[] lladdr = null;
        for (int off = NLMSG_HDR + NDMSG; (off = nextAttr(r, off)) >= 0; off += align(r.getShort(off) & 0xFFFF)) {
            if ((r.getShort(off + 2) & 0x3FFF) == NDA_LLADDR) {
                lladdr = value(r, off);
            }
        }
        return new NeighbourReply(state, lladdr);
    }

    private static int family(byte[] addr) {
        return addr.length == 4 ? AF_INET : AF_INET6;
    }

    private ByteBuffer header(int type, int bodyLen, byte[] addr) {
        int len = NLMSG_HDR + bodyLen + 4 + addr.length;
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
        return b.putInt(len).putShort((short) type).putShort((short) NLM_F_REQUEST).putInt(++seq).putInt(0);
    }

    private static void attr(ByteBuffer b, int type, byte[] value) {
        b.putShort((short) (4 + value.length)).putShort((short) type).put(value);
    }

    /** {@code off} when a whole attribute (rtattr: u16 length, u16 type, value) starts there, else -1. */
    private static int nextAttr(ByteBuffer r, int off) {
        if (off + 4 > r.limit()) {
            return -1;
        }
        int len = r.getShort(off) & 0xFFFF;
        return len < 4 || off + len > r.limit() ? -1 : off;
    }

    private static int align(int len) {
        return (len + 3) & ~3;
    }

    /** The value of the attribute at {@code off}. */
    private static byte[] value(ByteBuffer r, int off) {
        byte[] out = new byte[(r.getShort(off) & 0xFFFF) - 4];
        r.get(off + 4, out);
        return out;
    }

    private ByteBuffer exchange(ByteBuffer request, int expected, String what) throws IOException {
        socket.send(request.array(), what);
        while (true) {
            int n = socket.recv(in, what);
            ByteBuffer r = ByteBuffer.wrap(in, 0, n).order(ByteOrder.nativeOrder());
            if (n < NLMSG_HDR || r.getInt(8) != seq) {
                continue;
            }
            int type = r.getShort(4) & 0xFFFF;
            if (type == NLMSG_ERROR) {
                int err = -r.getInt(NLMSG_HDR);
                throw new KernelError(err, what);
            }
            if (type == expected) {
                return r.slice(0, Math.min(n, r.getInt(0))).order(ByteOrder.nativeOrder());
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
