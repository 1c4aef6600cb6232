package io.fleetgen.codec.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.internal.nio.Packet;
import com.hazelcast.internal.nio.PacketIOHelper;
import com.hazelcast.internal.server.ServerConnection;
import com.hazelcast.internal.util.counters.SwCounter;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Hazelcast's packets, as its own writer frames them, through {@link BoundedPacketDecoder}; no network. */
class BoundedPacketDecoderTest {
    private static final int MAX = 64 * 1024;

    private final List<Packet> dispatched = new ArrayList<>();

    @Test
    void packetsSplitAnywhereAreReadWholeAndGiveTheirBytesBack() throws Exception {
        PacketBudget budget = new PacketBudget(MAX);
        BoundedPacketDecoder d = decoder(budget, new AtomicBoolean(true));
        byte[] one = payload(1_000, 1);
        byte[] two = payload(MAX, 2);
        ByteBuffer wire = ByteBuffer.allocate(3 * MAX);
        write(wire, new Packet(one, 7));
        write(wire, new Packet(two, -1));
        wire.flip();
        // Fed 5 bytes, then 3,000 at a time: headers and payloads cut at every place a socket read may cut them.
        for (int chunk = 5; wire.hasRemaining(); chunk = 3_000) {
            int n = Math.min(chunk, wire.remaining());
            d.src().put(wire.array(), wire.position(), n);
            wire.position(wire.position() + n);
            d.onRead();
            assertTrue(budget.inFlight() <= MAX, "one packet in flight at most: " + budget.inFlight());
        }
        assertEquals(2, dispatched.size());
        assertArrayEquals(one, dispatched.get(0).toByteArray());
        assertEquals(7, dispatched.get(0).getPartitionId());
        assertArrayEquals(two, dispatched.get(1).toByteArray());
        assertEquals(0, budget.inFlight(), "bytes still reserved once both packets are read");
    }

    @Test
    void aHeaderClaimingMoreThanTheLimitIsRefusedBeforeAnythingIsAllocated() {
        PacketBudget budget = new PacketBudget(MAX);
        BoundedPacketDecoder d = decoder(budget, new AtomicBoolean(true));
        // What an attacker sends to port 5701 after "HZC": version 4, no flags, partition -1, 150,000,000 bytes.
        d.src().put(Packet.VERSION).putChar((char) 0).putInt(-1).putInt(150_000_000);
        IOException e = assertThrows(IOException.class, d::onRead);
        assertEquals("a member-protocol packet of 150000000 bytes from /198.19.0.9:40000: expected at most 65536 "
                + "(--max-cluster-packet-kib)", e.getMessage());
        assertEquals(0, budget.inFlight());
        assertTrue(dispatched.isEmpty());
        d.src().clear();
        d.src().put(Packet.VERSION).putChar((char) 0).putInt(-1).putInt(-2);
        assertTrue(assertThrows(IOException.class, d::onRead).getMessage().contains("of 4294967294 bytes"));
    }

    @Test
    void onePeerHoldsItsShareAtMostAllPeersTheBudgetAndAClosedConnectionGivesItsShareBack() throws Exception {
        PacketBudget budget = new PacketBudget(MAX);
        List<AtomicBoolean> fromA = new ArrayList<>();
        for (int i = 0; i < PacketBudget.PACKETS_PER_PEER; i++) {
            fromA.add(new AtomicBoolean(true));
            startPacket(decoder(budget, fromA.get(i), "198.19.0.9"), MAX);
        }
        IOException e = assertThrows(IOException.class,
                () -> startPacket(decoder(budget, new AtomicBoolean(true), "198.19.0.9"), 16));
        assertEquals("a member-protocol packet of 16 bytes from /198.19.0.9:40000: the packets being read from "
                + "198.19.0.9 already hold 131072 of 131072 bytes (2 x --max-cluster-packet-kib)", e.getMessage());
        // The other members are not starved by that peer: three more fill the rest, and then nobody gets more.
        for (String peer : List.of("198.19.0.2", "198.19.0.3", "198.19.0.4")) {
            for (int i = 0; i < PacketBudget.PACKETS_PER_PEER; i++) {
                startPacket(decoder(budget, new AtomicBoolean(true), peer), MAX);
            }
        }
        assertEquals((long) MAX * PacketBudget.PACKETS_IN_FLIGHT, budget.inFlight());
        e = assertThrows(IOException.class,
                () -> startPacket(decoder(budget, new AtomicBoolean(true), "198.19.0.5"), 16));
        assertTrue(e.getMessage().endsWith("the packets being read from all peers already hold 524288 of 524288 "
                + "bytes (8 x --max-cluster-packet-kib)"), e.getMessage());
        fromA.get(1).set(false); // that connection was closed half way through its packet
        startPacket(decoder(budget, new AtomicBoolean(true), "198.19.0.5"), 16);
        assertEquals((long) MAX * (PacketBudget.PACKETS_IN_FLIGHT - 1) + 16, budget.inFlight());
    }

    /** Sends a header (and no payload yet) announcing {@code size} bytes. */
    private static void startPacket(BoundedPacketDecoder d, int size) throws Exception {
        d.src().put(Packet.VERSION).putChar((char) 0).putInt(0).putInt(size);
        d.onRead();
    }

    private BoundedPacketDecoder decoder(PacketBudget budget, AtomicBoolean alive) {
        return decoder(budget, alive, "198.19.0.9");
    }

    private BoundedPacketDecoder decoder(PacketBudget budget, AtomicBoolean alive, String peer) {
        ServerConnection connection = (ServerConnection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServerConnection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "isAlive" -> alive.get();
                    case "getRemoteSocketAddress" -> new InetSocketAddress(peer, 40000);
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
        BoundedPacketDecoder d = new BoundedPacketDecoder(connection, dispatched::add, budget);
        d.setNormalPacketsRead(SwCounter.newSwCounter());
        d.setPriorityPacketsRead(SwCounter.newSwCounter());
        d.src(ByteBuffer.allocate(2 * MAX));
        return d;
    }

    private static void write(ByteBuffer dst, Packet p) {
        assertTrue(new PacketIOHelper().writeTo(p, dst), "the packet fits the buffer");
    }

    private static byte[] payload(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }
}
