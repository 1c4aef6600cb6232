package io.fleetgen.codec.cluster;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * How many inbound connections one of a node's ports (the member port or the event bus) holds open: at most
 * {@code maxPerPeer} from one peer address and {@code maxTotal} from all. Every accepted connection costs a file
 * descriptor and buffers before its peer has said anything: in the lab, 20,000 idle connections to an agent's event
 * bus took every descriptor it had, and Hazelcast, which could then accept nothing, shut its member down. A
 * connection beyond a limit is closed as it is accepted; refusals are logged at most every 10 s, with their count.
 * An attacker with many addresses can still fill the total, which keeps the node's descriptors and memory for the
 * connections it has.
 */
final class ConnectionLimit {
    private static final Logger LOG = Logger.getLogger(ConnectionLimit.class.getName());

    private final String port;
    private final int maxPerPeer;
    private final int maxTotal;
    private final Map<InetAddress, Integer> perPeer = new HashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final LogThrottle logs = new LogThrottle();
    private int total;

    /** @param port the port's name, as the refusals name it */
    ConnectionLimit(String port, int maxPerPeer, int maxTotal) {
        this.port = port;
        this.maxPerPeer = maxPerPeer;
        this.maxTotal = maxTotal;
    }

    /** The limits of a node's {@code port} from its options (--max-peer-connections, --max-connections). */
    static ConnectionLimit of(String port, ClusterOptions o) {
        return new ConnectionLimit(port, o.getMaxPeerConnections(), o.getMaxConnections());
    }

    /**
     * Takes a place for a connection accepted from {@code peer}; give it back with {@link #release} when the
     * connection closes.
     *
     * @return whether the connection may stay open; when not, the refusal is counted (and logged, throttled)
     */
    boolean admit(SocketAddress peer) {
        InetAddress a = address(peer);
        String why;
        synchronized (this) {
            int fromPeer = perPeer.getOrDefault(a, 0);
            if (fromPeer >= maxPerPeer) {
                why = fromPeer + " already open from that address (--max-peer-connections " + maxPerPeer + ")";
            } else if (total >= maxTotal) {
                why = total + " already open in all (--max-connections " + maxTotal + ")";
            } else {
                perPeer.put(a, fromPeer + 1);
                total++;
                return true;
            }
        }
        long n = refused.incrementAndGet();
        if (logs.due()) {
            LOG.warning(port + ": a connection from " + a.getHostAddress() + " refused, " + why + "; " + n
                    + " refused since the start");
        }
        return false;
    }

    /** Gives back the place of a connection from {@code peer} that {@link #admit} let in. */
    synchronized void release(SocketAddress peer) {
        InetAddress a = address(peer);
        Integer fromPeer = perPeer.get(a);
        if (fromPeer == null) {
            return;
        }
        if (fromPeer == 1) {
            perPeer.remove(a);
        } else {
            perPeer.put(a, fromPeer - 1);
        }
        total--;
    }

    /** Connections open now. */
    synchronized int open() {
        return total;
    }

    /** Connections refused since this limit was made. */
    long refused() {
        return refused.get();
    }

    private static InetAddress address(SocketAddress peer) {
        return peer instanceof InetSocketAddress s && s.getAddress() != null ? s.getAddress()
                : InetAddress.getLoopbackAddress();
    }
}
