package io.fleetgen.agent.impl.net;

import io.fleetgen.codec.InetText;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a destination to a {@link Route}: the kernel's route lookup for the interface, source and next hop,
 * then its neighbour entry for the next hop's MAC (both over rtnetlink, as {@code ip route get} and
 * {@code ip neigh get} ask), triggering ARP/NDP with one datagram to the discard port when the entry is missing.
 * Blocking: call it off the event loop.
 */
public final class RouteResolver {
    private static final String[] RTN_TYPES = {"unspec", "unicast", "local", "broadcast", "anycast", "multicast",
        "blackhole", "unreachable", "prohibit", "throw", "nat"};
    private static final long RESOLVE_MILLIS = 3000;
    private static final int DISCARD_PORT = 9;
    /** How long a resolved route is reused: starts come in bursts. */
    private static final long CACHE_NANOS = 2_000_000_000L;
    private static final Map<String, Cached> CACHE = new ConcurrentHashMap<>();
    /** Most destinations cached; beyond it expired entries go, then all (issue 11: it grew without bound). */
    static final int CACHE_ENTRIES = 1024;

    private static final class Cached {
        final Route route;
        final long expires;

        Cached(Route route, long expires) {
            this.route = route;
            this.expires = expires;
        }
    }

    private RouteResolver() {
    }

    /**
     * The route to {@code dst}.
     *
     * @throws UnreachableException when there is no route or no neighbour answers
     */
    public static Route resolve(byte[] dst) throws IOException, UnreachableException {
        String dstText = InetText.format(dst);
        Cached c = CACHE.get(dstText);
        if (c != null && System.nanoTime() < c.expires) {
            return c.route;
        }
        Route r = lookup(dst, dstText);
        if (CACHE.size() >= CACHE_ENTRIES) {
            long now = System.nanoTime();
            CACHE.values().removeIf(x -> now >= x.expires);
            if (CACHE.size() >= CACHE_ENTRIES) {
                CACHE.clear();
            }
        }
        CACHE.put(dstText, new Cached(r, System.nanoTime() + CACHE_NANOS));
        return r;
    }

    private static Route lookup(byte[] dst, String dstText) throws IOException, UnreachableException {
        try (Netlink nl = new Netlink()) {
            Netlink.RouteReply r;
            try {
                r = nl.route(dst);
            } catch (Netlink.KernelError e) {
                throw new UnreachableException(dstText + ": no route (errno " + e.errno + ")");
            }
            NetworkInterface nif = r.ifindex() > 0 ? NetworkInterface.getByIndex(r.ifindex()) : null;
            String dev = nif == null ? null : nif.getName();
            if (r.type() != Netlink.RTN_UNICAST || dev == null || "lo".equals(dev)) {
                throw new UnreachableException(dstText + ": route is " + typeName(r.type())
                        + (dev == null ? "" : " via " + dev) + " (expected: a unicast route out of an interface)");
            }
            if (r.prefsrc() == null) {
                throw new UnreachableException(dstText + ": the route via " + dev + " has no source address");
            }
            byte[] nextHop = r.gateway() != null ? r.gateway() : dst;
            byte[] mac = neighbour(nl, dev, r.ifindex(), nextHop);
            return new Route(dev, linkMac(dev), r.prefsrc(), nextHop, mac, mtu(dev));
        }
    }

    private static String typeName(int rtnType) {
        return rtnType >= 0 && rtnType < RTN_TYPES.length ? RTN_TYPES[rtnType] : "type " + rtnType;
    }

    private static byte[] neighbour(Netlink nl, String dev, int ifindex, byte[] nextHop)
            throws IOException, UnreachableException {
        String nh = InetText.format(nextHop);
        byte[] mac = usable(nl, nextHop, ifindex);
        if (mac != null) {
            return mac;
        }
        // An empty datagram to the discard port makes the kernel resolve the neighbour (ARP or NDP).
        try (DatagramSocket s = new DatagramSocket()) {
            s.send(new DatagramPacket(new byte[0], 0, InetAddress.getByAddress(nextHop), DISCARD_PORT));
        } catch (IOException e) {
            throw new UnreachableException(nh + ": cannot trigger neighbour resolution (" + e.getMessage() + ")");
        }
        long deadline = System.nanoTime() + RESOLVE_MILLIS * 1_000_000;
        while (System.nanoTime() < deadline) {
            mac = usable(nl, nextHop, ifindex);
            if (mac != null) {
                return mac;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        throw new UnreachableException(nh + ": no neighbour answered on " + dev + " within " + RESOLVE_MILLIS
                + " ms (ARP/NDP)");
    }

    /** The neighbour's MAC when its entry is usable (reachable, stale, permanent...), else null. */
    private static byte[] usable(Netlink nl, byte[] addr, int ifindex) throws IOException {
        try {
            Netlink.NeighbourReply n = nl.neighbour(addr, ifindex);
            return (n.state() & Netlink.NUD_USABLE) != 0 && n.lladdr() != null && n.lladdr().length == 6
                    ? n.lladdr() : null;
        } catch (Netlink.KernelError e) {
            if (e.errno == Netlink.ENOENT) {
                return null;
            }
            throw e;
        }
    }

    /** The MAC address of an interface. */
    public static byte[] linkMac(String dev) throws IOException {
        return parseMac(Files.readString(Path.of("/sys/class/net", dev, "address"), StandardCharsets.US_ASCII)
                .trim());
    }

    private static int mtu(String dev) throws IOException {
        return Integer.parseInt(Files.readString(Path.of("/sys/class/net", dev, "mtu"), StandardCharsets.US_ASCII)
                .trim());
    }

    private static byte[] parseMac(String text) {
        return HexFormat.ofDelimiter(":").parseHex(text);
    }

    /** No route, or no neighbour. */
    public static final class UnreachableException extends Exception {
        private static final long serialVersionUID = 1L;

        public UnreachableException(String message) {
            super(message);
        }
    }
}
