package io.fleetgen.codec.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.internal.cluster.impl.ClusterDataSerializerHook;
import com.hazelcast.internal.cluster.impl.JoinMessage;
import com.hazelcast.internal.cluster.impl.MemberHandshake;
import com.hazelcast.internal.nio.Bits;
import com.hazelcast.internal.nio.Packet;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.serialization.impl.HeapData;
import com.hazelcast.internal.serialization.impl.SerializationConstants;
import com.hazelcast.internal.server.ServerConnection;
import com.hazelcast.internal.util.AddressUtil;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Lets a member connection speak only for itself. Hazelcast believes what a connection says of its member:
 *
 * <ul>
 *   <li>its handshake (a connection's first packet) lists the member addresses it has, and Hazelcast files the
 *       connection under them without a check ({@code TcpServerControl}: "without any spoofing or other validation
 *       checks"): every operation that then comes over it counts as from the member at that address;
 *   <li>a join message (in a join request, a "who is master?" question or a split-brain merge check) names the
 *       address and UUID of the member that sends it, and a master that gets one naming an address of its cluster
 *       with another UUID takes the member there for restarted: it removes it, closes its connection and files the
 *       sender's connection under its address ({@code ClusterJoinManager.checkIfJoinRequestFromAnExistingMember}),
 *       before any check of who is joining.
 * </ul>
 *
 * So a process that reached port 5701 could act as any member, or split any member off the cluster, with one
 * packet. A handshake that names an address not on the connection's peer IP (or a host name, which would need a
 * look-up), and a join message whose address is not on the peer IP or whose UUID is not the one the connection's
 * handshake gave, close the connection before Hazelcast reads the packet. Only the three operations that carry a
 * join message are decoded here (told by the first bytes of the packet, or decoded when those are not the
 * identified form Hazelcast writes); the other packets pass untouched.
 */
final class MemberClaims implements Consumer<Packet> {
    private static final Logger LOG = Logger.getLogger(MemberClaims.class.getName());
    private static final LogThrottle HANDSHAKES = new LogThrottle();
    private static final LogThrottle JOINS = new LogThrottle();
    /** How the reasons for a close start (Hazelcast's own line for it is left out of the log). */
    static final String CLAIMS = "it claims ";
    static final String EARLY = "it sent more than ";
    /** The offset of an identified object's factory id in a packet: after the data header and the flags byte. */
    private static final int FACTORY_OFFSET = HeapData.DATA_OFFSET + 1;
    private static final int CLASS_OFFSET = FACTORY_OFFSET + Integer.BYTES;
    /** The flag of the identified form in that byte (Hazelcast's {@code DataSerializableSerializer.IDS_FLAG}). */
    private static final int IDENTIFIED = 1;
    private static final ClassValue<List<Field>> JOIN_MESSAGE_FIELDS = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            List<Field> fields = new ArrayList<>();
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (JoinMessage.class.isAssignableFrom(f.getType())) {
                        f.setAccessible(true);
                        fields.add(f);
                    }
                }
            }
            return fields;
        }
    };

    /** Join messages that came before the connection's handshake, held until it comes: at most this many... */
    static final int MAX_EARLY = 16;
    /** ... and bytes. A member's join request (its pre-join operations included) is a few KiB. */
    static final int MAX_EARLY_BYTES = 256 * 1024;

    private final Consumer<Packet> next;
    private final SerializationService serialization;
    private final ServerConnection connection;
    /** Read by the connection's one I/O thread only. */
    private final List<Packet> early = new ArrayList<>();
    private int earlyBytes;

    MemberClaims(Consumer<Packet> next, SerializationService serialization, ServerConnection connection) {
        this.next = next;
        this.serialization = serialization;
        this.connection = connection;
    }

    /**
     * Passes the packet on, holds it, or closes the connection. A join message may come before the handshake: the
     * operations that carry one are urgent, which a sender writes ahead of the handshake when both wait to be
     * written. It is held until the handshake has come and been checked, then checked in its turn.
     */
    @Override
    public void accept(Packet packet) {
        if (packet.getPacketType() == Packet.Type.SERVER_CONTROL) {
            String wrong = wrongHandshake(packet);
            if (wrong != null) {
                close(claim(wrong, ""), HANDSHAKES);
                return;
            }
            next.accept(packet);
            List<Packet> held = new ArrayList<>(early);
            early.clear();
            earlyBytes = 0;
            held.forEach(this::join);
        } else if (packet.getPacketType() == Packet.Type.OPERATION
                && !packet.isFlagRaised(Packet.FLAG_OP_RESPONSE | Packet.FLAG_OP_CONTROL) && mayCarryJoin(packet)) {
            if (connection.getRemoteUuid() != null) {
                join(packet);
            } else if (early.size() < MAX_EARLY && earlyBytes + packet.totalSize() <= MAX_EARLY_BYTES) {
                early.add(packet);
                earlyBytes += packet.totalSize();
            } else {
                close(EARLY + MAX_EARLY + " join messages or " + MAX_EARLY_BYTES / 1024 + " KiB of them before its "
                        + "handshake", JOINS);
            }
        } else {
            next.accept(packet);
        }
    }

    private void join(Packet packet) {
        String wrong = wrongJoin(packet);
        if (wrong == null) {
            next.accept(packet);
        } else {
            close(claim(wrong, ", and the UUID of its handshake"), JOINS);
        }
    }

    private String claim(String wrong, String alsoExpected) {
        return CLAIMS + wrong + " (expected: an address on " + peerIp() + ", the connection's peer" + alsoExpected
                + "; a member speaks only for itself)";
    }

    private void close(String why, LogThrottle throttle) {
        if (!connection.isAlive()) {
            return;
        }
        if (throttle.due()) {
            LOG.warning("closed the member connection from " + connection.getRemoteSocketAddress() + ": " + why
                    + " (at most one such line every 10 s)");
        }
        connection.close(why, null);
    }

    /**
     * Whether a packet may hold an operation with a join message: an identified object of the cluster's join
     * request, "who is master?" or merge check, or anything not in the identified form (a class named instead).
     */
    static boolean mayCarryJoin(Packet packet) {
        byte[] b = packet.toByteArray();
        if (b == null || b.length < CLASS_OFFSET + Integer.BYTES) {
            return false;
        }
        if (Bits.readIntB(b, HeapData.TYPE_OFFSET) != SerializationConstants.CONSTANT_TYPE_DATA_SERIALIZABLE
                || (b[HeapData.DATA_OFFSET] & IDENTIFIED) == 0) {
            return true;
        }
        int id = Bits.readIntB(b, CLASS_OFFSET);
        return Bits.readIntB(b, FACTORY_OFFSET) == ClusterDataSerializerHook.F_ID
                && (id == ClusterDataSerializerHook.JOIN_REQUEST_OP || id == ClusterDataSerializerHook.WHOIS_MASTER
                || id == ClusterDataSerializerHook.SPLIT_BRAIN_MERGE_VALIDATION);
    }

    /** The first claimed address that is not on the peer's IP, or {@code null} when every one is. */
    private String wrongHandshake(Packet packet) {
        Object o = decode(packet);
        if (!(o instanceof MemberHandshake handshake)) {
            return "(nothing: a " + (o == null ? "null" : o.getClass().getSimpleName()) + " for a handshake)";
        }
        InetAddress peer = peerIp();
        for (Collection<Address> addresses : handshake.getLocalAddresses().values()) {
            for (Address a : addresses) {
                if (!on(a, peer)) {
                    return "member address " + a + " in its handshake";
                }
            }
        }
        return null;
    }

    /** What a join message in the packet claims wrongly, or {@code null} when it claims this connection's own. */
    private String wrongJoin(Packet packet) {
        Object o = decode(packet);
        if (o == null) {
            return null; // unreadable: Hazelcast refuses it as it reads it, and it carries no claim
        }
        for (Field f : JOIN_MESSAGE_FIELDS.get(o.getClass())) {
            JoinMessage m;
            try {
                m = (JoinMessage) f.get(o);
            } catch (IllegalAccessException e) {
                return "(unknown: a join message that cannot be read, " + e + ")";
            }
            if (m != null && !(on(m.getAddress(), peerIp()) && Objects.equals(m.getUuid(),
                    connection.getRemoteUuid()))) {
                return "member address " + m.getAddress() + " and UUID " + m.getUuid() + " in a "
                        + o.getClass().getSimpleName() + " (its handshake: UUID " + connection.getRemoteUuid() + ")";
            }
        }
        return null;
    }

    private Object decode(Packet packet) {
        try {
            return serialization.toObject(packet);
        } catch (RuntimeException e) {
            return null;
        }
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
