package io.fleetgen.codec.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.cluster.Address;
import com.hazelcast.internal.cluster.impl.ClusterDataSerializerHook;
import com.hazelcast.instance.ProtocolType;
import com.hazelcast.internal.cluster.impl.JoinMessage;
import com.hazelcast.internal.cluster.impl.MemberHandshake;
import com.hazelcast.internal.cluster.impl.operations.MasterResponseOp;
import com.hazelcast.internal.cluster.impl.operations.WhoisMasterOp;
import com.hazelcast.internal.nio.Packet;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import com.hazelcast.internal.serialization.impl.HeapData;
import com.hazelcast.internal.server.ServerConnection;
import com.hazelcast.version.MemberVersion;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Which claimed member addresses are on a connection's peer (the same IP literal only, never a host name), and which
 * packets are decoded to look at the join message they carry.
 */
class MemberClaimsTest {
    @Test
    void onlyTheSameIpLiteralIsThePeersAddress() throws Exception {
        InetAddress peer = InetAddress.getByName("198.19.0.2");
        assertTrue(MemberClaims.on(new Address("198.19.0.2", 5701), peer));
        assertTrue(MemberClaims.on(new Address("198.19.0.2", 5999), peer), "any port of the peer's own address");
        assertFalse(MemberClaims.on(new Address("198.19.0.1", 5701), peer));
        assertFalse(MemberClaims.on(new Address("198.19.0.2", 5701), null), "a connection without a peer");
        InetAddress v6 = InetAddress.getByName("2001:2::2");
        assertTrue(MemberClaims.on(new Address("2001:2:0:0:0:0:0:2", 5701), v6));
        assertFalse(MemberClaims.on(new Address("2001:2::3", 5701), v6));
    }

    @Test
    void onlyTheOperationsThatCarryAJoinMessageAreDecoded() throws Exception {
        // The cluster's factory comes from codec's list of serialization families (META-INF/services).
        InternalSerializationService ser = new DefaultSerializationServiceBuilder().build();
        JoinMessage m = new JoinMessage(Packet.VERSION, 0, MemberVersion.of("5.3.8"), new Address("198.19.0.2", 5701),
                UUID.randomUUID(), false, null);
        Packet whois = packet(ser, new WhoisMasterOp(m));
        assertTrue(MemberClaims.mayCarryJoin(whois));
        assertTrue(MemberClaims.mayCarryJoin(withClass(whois, ClusterDataSerializerHook.JOIN_REQUEST_OP)));
        assertTrue(MemberClaims.mayCarryJoin(withClass(whois, ClusterDataSerializerHook.SPLIT_BRAIN_MERGE_VALIDATION)));
        Packet answer = packet(ser, new MasterResponseOp(new Address("198.19.0.1", 5701)));
        assertFalse(MemberClaims.mayCarryJoin(answer), "a master's answer passes undecoded");
        assertFalse(MemberClaims.mayCarryJoin(withClass(whois, ClusterDataSerializerHook.HEARTBEAT)));
        byte[] named = answer.toByteArray().clone();
        named[HeapData.DATA_OFFSET] = 0;
        assertTrue(MemberClaims.mayCarryJoin(new Packet(named)), "a class named instead of identified is decoded");
        assertFalse(MemberClaims.mayCarryJoin(new Packet(new byte[12])), "too short to be one");
    }

    /** The packet with another class id of the cluster's factory (after the data header, flags and factory id). */
    private static Packet withClass(Packet p, int classId) {
        byte[] b = p.toByteArray().clone();
        java.nio.ByteBuffer.wrap(b).putInt(HeapData.DATA_OFFSET + 1 + Integer.BYTES, classId);
        return new Packet(b);
    }

    /** An operation's packet (a handshake's once its type is set). */
    private static Packet packet(InternalSerializationService ser, Object op) {
        return new Packet(ser.toData(op).toByteArray()).setPacketType(Packet.Type.OPERATION);
    }

    /** A connection from 198.19.0.2 as far as the check sees it: its handshake's UUID, whether it was closed. */
    private static final class Peer implements InvocationHandler {
        UUID uuid;
        String closed;

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Exception {
            return switch (m.getName()) {
                case "getRemoteUuid" -> uuid;
                case "getRemoteSocketAddress" -> new InetSocketAddress(InetAddress.getByName("198.19.0.2"), 40_000);
                case "isAlive" -> closed == null;
                case "close" -> {
                    closed = (String) args[0];
                    yield null;
                }
                default -> throw new UnsupportedOperationException(m.getName());
            };
        }
    }

    @Test
    void aJoinMessageBeforeTheHandshakeIsHeldUntilItComesThenChecked() throws Exception {
        InternalSerializationService ser = new DefaultSerializationServiceBuilder().build();
        Address own = new Address("198.19.0.2", 5701);
        UUID id = UUID.randomUUID();
        for (UUID claimed : new UUID[] {id, UUID.randomUUID()}) {
            Peer peer = new Peer();
            List<Packet> passed = new ArrayList<>();
            ServerConnection c = (ServerConnection) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ServerConnection.class}, peer);
            MemberClaims claims = new MemberClaims(p -> {
                passed.add(p);
                if (p.getPacketType() == Packet.Type.SERVER_CONTROL) {
                    peer.uuid = id; // as Hazelcast files the connection
                }
            }, ser, c);
            Packet join = packet(ser, new WhoisMasterOp(new JoinMessage(Packet.VERSION, 0, MemberVersion.of("5.3.8"),
                    own, claimed, false, null)));
            claims.accept(join);
            assertTrue(passed.isEmpty(), "held until the handshake");
            Packet handshake = packet(ser, new MemberHandshake((byte) 2, Map.of(ProtocolType.MEMBER, List.of(own)),
                    new Address("198.19.0.1", 5701), true, id)).setPacketType(Packet.Type.SERVER_CONTROL);
            claims.accept(handshake);
            if (claimed == id) {
                assertEquals(List.of(handshake, join), passed, "the handshake, then the join message");
                assertNull(peer.closed);
            } else {
                assertEquals(List.of(handshake), passed);
                assertTrue(peer.closed.startsWith("it claims member address [198.19.0.2]:5701 and UUID " + claimed),
                        peer.closed);
            }
        }
        Peer flood = new Peer();
        MemberClaims claims = new MemberClaims(p -> { }, ser, (ServerConnection) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ServerConnection.class}, flood));
        for (int i = 0; i <= MemberClaims.MAX_EARLY; i++) {
            claims.accept(packet(ser, new WhoisMasterOp(new JoinMessage(Packet.VERSION, 0, MemberVersion.of("5.3.8"),
                    own, id, false, null))));
        }
        assertEquals("it sent more than 16 join messages or 256 KiB of them before its handshake", flood.closed);
    }

    @Test
    void aHostNameIsRefusedWithoutALookUp() throws Exception {
        Address named = new Address("localhost", InetAddress.getByName("127.0.0.1"), 5701);
        assertFalse(MemberClaims.on(named, InetAddress.getByName("127.0.0.1")),
                "a name would need a look-up on the I/O thread, and may resolve to anything");
    }
}
