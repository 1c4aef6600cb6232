package io.fleetgen.agent.impl.net;

import io.fleetgen.codec.impl.InetText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a destination to a {@link Route}: {@code ip route get} for the interface, source and next hop, then
 * the neighbour table for the next hop's MAC, triggering ARP/NDP with one datagram to the discard port when the
 * entry is missing. Blocking: call it off the event loop.
 */
public final class RouteResolver {
    private static final Set<String> USABLE = Set.of("REACHABLE", "STALE", "DELAY", "PROBE", "PERMANENT", "NOARP");
    private static final long RESOLVE_MILLIS = 3000;
    private static final int DISCARD_PORT = 9;
    /** How long a resolved route is reused: starts come in bursts, and each lookup runs two processes. */
    private static final long CACHE_NANOS = 2_000_000_000L;
    private static final Map<String, Cached> CACHE = new ConcurrentHashMap<>();

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
        CACHE.put(dstText, new Cached(r, System.nanoTime() + CACHE_NANOS));
        return r;
    }

    private static Route lookup(byte[] dst, String dstText) throws IOException, UnreachableException {
        JsonArray r;
        try {
            r = IpCommand.json("route", "get", dstText);
        } catch (IOException e) {
            throw new UnreachableException(dstText + ": no route (" + e.getMessage() + ")");
        }
        if (r.isEmpty()) {
            throw new UnreachableException(dstText + ": no route");
        }
        JsonObject route = r.getJsonObject(0);
        String type = route.getString("type", "unicast");
        String dev = route.getString("dev");
        if (!"unicast".equals(type) || dev == null || "lo".equals(dev)) {
            throw new UnreachableException(dstText + ": route is " + type + (dev == null ? "" : " via " + dev)
                    + " (expected: a unicast route out of an interface)");
        }
        byte[] nextHop = route.containsKey("gateway") ? InetText.parse("gateway", route.getString("gateway")) : dst;
        byte[] src = InetText.parse("prefsrc", route.getString("prefsrc"));
        byte[] mac = neighbour(dev, nextHop);
        return new Route(dev, linkMac(dev), src, nextHop, mac, mtu(dev));
    }

    private static byte[] neighbour(String dev, byte[] nextHop) throws IOException, UnreachableException {
        String nh = InetText.format(nextHop);
        byte[] mac = lookup(dev, nh);
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
            mac = lookup(dev, nh);
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

    private static byte[] lookup(String dev, String nh) throws IOException {
        JsonArray n = IpCommand.json("neigh", "show", "to", nh, "dev", dev);
        for (int i = 0; i < n.size(); i++) {
            JsonObject e = n.getJsonObject(i);
            String mac = e.getString("lladdr");
            JsonArray state = e.getJsonArray("state", new JsonArray());
            for (int j = 0; j < state.size(); j++) {
                if (mac != null && USABLE.contains(state.getString(j))) {
                    return parseMac(mac);
                }
            }
        }
        return null;
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
