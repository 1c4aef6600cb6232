package io.fleetgen.codec.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.internal.cluster.impl.MemberHandshake;
import com.hazelcast.internal.nio.Packet;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.server.ServerConnection;
import com.hazelcast.internal.util.AddressUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Lets a member connection speak only for its own address. A member's first packet on a connection (its handshake)
 * lists the member addresses it has, and Hazelcast files the connection under them: every operation that then comes
 * over it counts as from the member at that address, which may run whatever a member may. Hazelcast checks nothing
 * there ({@code TcpServerControl}: "without any spoofing or other validation checks"), so a process that reached
 * port 5701 could name an agent's address and act as that agent without ever joining. A handshake that names an
 * address not on the connection's peer IP (or a host name, which would need a look-up) closes the connection before
 * Hazelcast reads it; the other packets pass untouched.
 */
final class HandshakeCheck implements Consumer<Packet> {
    private static final Logger LOG = Logger.getLogger(HandshakeCheck.class.getName());
    private static final LogThrottle THROTTLE = new LogThrottle();
    /** How the reason for such a close starts (Hazelcast's own line for it is left out of the log). */
    static final String CLAIMS = "its handshake claims member address ";

    private final Consumer<Packet> next;
    private final SerializationService serialization;
    private final ServerConnection connection;

    HandshakeCheck(Consumer<Packet> next, SerializationService serialization, ServerConnection connection) {
        this.next = next;
        this.serialization = serialization;
        this.connection = connection;
    }

    @Override
    public void accept(Packet packet) {
        if (packet.getPacketType() == Packet.Type.SERVER_CONTROL) {
            String wrong = wrongAddress(packet);
            if (wrong != null) {
                String why = CLAIMS + wrong + " (expected: an address on "
                        + peerIp() + ", the connection's peer; a member speaks only for its own address)";
                if (THROTTLE.due()) {
                    LOG.warning("closed the member connection from " + connection.getRemoteSocketAddress() + ": "
                            + why + " (at most one such line every 10 s)");
                }
                connection.close(why, null);
                return;
            }
        }
        next.accept(packet);
    }

    /** The first claimed address that is not on the peer's IP, or {@code null} when every one is. */
    private String wrongAddress(Packet packet) {
        Object o;
        try {
            o = serialization.toObject(packet);
        } catch (RuntimeException e) {
            return "(none: an unreadable handshake, " + e.getClass().getSimpleName() + ")";
        }
        if (!(o instanceof MemberHandshake handshake)) {
            return "(none: a " + (o == null ? "null" : o.getClass().getSimpleName()) + " instead of a handshake)";
        }
        InetAddress peer = peerIp();
        for (Collection<Address> addresses : handshake.getLocalAddresses().values()) {
            for (Address a : addresses) {
                if (!on(a, peer)) {
                    return String.valueOf(a);
                }
            }
        }
        return null;
    }

    static boolean on(Address a, InetAddress peer) {
        if (a == null || peer == null || !AddressUtil.isIpAddress(a.getHost())) {
            return false;
        }
        try {
            return InetAddress.getByName(a.getHost()).equals(peer);
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private InetAddress peerIp() {
        InetSocketAddress s = connection.getRemoteSocketAddress();
        return s == null ? null : s.getAddress();
    }
}
