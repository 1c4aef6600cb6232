package io.fleetgen.codec.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bytes a member may hold for Hazelcast member-protocol packets it is reading. Hazelcast allocates a packet's
 * whole payload as soon as it has read the 11-byte header, whatever size the header claims (up to 2 GiB), before the
 * sender has said who it is: a few connections to port 5701 claiming 50 MB each filled an agent's heap. Here a packet
 * may claim at most {@code maxPacket} bytes; the packets being read from one peer address at once hold at most
 * {@link #PACKETS_PER_PEER} times that, and those from every peer together {@link #PACKETS_IN_FLIGHT} times that,
 * however many connections are open. A connection that asks for more is closed. A peer that holds its own share
 * therefore does not starve the other members' connections. The event bus's connections have a budget of their own,
 * with the bus's message limit ({@link BusFrameGuard}).
 */
final class PacketBudget {
    /** Whoever reads a packet against the budget: one connection. */
    interface Reader {
        /** Whether its connection is still open (a closed one's share is given back when the budget runs out). */
        boolean alive();

        /** The peer, as the refusals name it. */
        String peer();

        /** The peer's address, whose share it draws from. */
        InetAddress peerAddress();
    }

    /** How many packets of the largest size may be read at once from one peer address. */
    static final int PACKETS_PER_PEER = 2;
    /** How many packets of the largest size may be read at once from all peers together. */
    static final int PACKETS_IN_FLIGHT = 8;

    private final int maxPacket;
    private final int packetsInFlight;
    private final long maxPerPeer;
    private final long maxInFlight;
    private final String what;
    private final String limit;
    private final Map<InetAddress, Long> perPeer = new ConcurrentHashMap<>();
    private final Map<Reader, Integer> holders = new ConcurrentHashMap<>();
    private long inFlight;

    /** The member protocol's budget: packets of at most {@code maxPacket} bytes (--max-cluster-packet-kib). */
    PacketBudget(int maxPacket) {
        this(maxPacket, PACKETS_IN_FLIGHT, "a member-protocol packet", "--max-cluster-packet-kib");
    }

    /**
     * @param what what a packet is, as refusals name it
     * @param limit the setting {@code maxPacket} comes from, as refusals name it
     */
    PacketBudget(int maxPacket, int packetsInFlight, String what, String limit) {
        this.maxPacket = maxPacket;
        this.packetsInFlight = packetsInFlight;
        this.maxPerPeer = (long) maxPacket * PACKETS_PER_PEER;
        this.maxInFlight = (long) maxPacket * packetsInFlight;
        this.what = what;
        this.limit = limit;
    }

    int maxPacket() {
        return maxPacket;
    }

    synchronized long inFlight() {
        return inFlight;
    }

    /**
     * Reserves {@code size} bytes for the packet {@code reader} starts reading; when the budget is spent, the shares
     * of connections closed half way through a packet are given back first.
     *
     * @throws IOException naming the size, the peer and the option when the packet is too large or a budget is
     *     spent: the connection is then closed
     */
    void reserve(Reader reader, int size) throws IOException {
        if (size < 0 || size > maxPacket) {
            throw new IOException(what + " of " + Integer.toUnsignedString(size) + " bytes from " + reader.peer()
                    + ": expected at most " + maxPacket + " (" + limit + ")");
        }
        String refused = tryReserve(reader, size);
        if (refused != null) {
            holders.keySet().forEach(r -> {
                if (!r.alive()) {
                    release(r);
                }
            });
            refused = tryReserve(reader, size);
        }
        if (refused != null) {
            throw new IOException(what + " of " + size + " bytes from " + reader.peer() + ": the packets being read "
                    + refused);
        }
    }

    /** Gives back what {@code reader} reserved (its packet is read, or its connection is gone). */
    void release(Reader reader) {
        Integer size = holders.remove(reader);
        if (size != null) {
            synchronized (this) {
                inFlight -= size;
                perPeer.computeIfPresent(reader.peerAddress(), (k, v) -> v == size.longValue() ? null : v - size);
            }
        }
    }

    /** Reserves, or says which budget is spent. */
    private synchronized String tryReserve(Reader reader, int size) {
        InetAddress peer = reader.peerAddress();
        long fromPeer = perPeer.getOrDefault(peer, 0L);
        if (fromPeer + size > maxPerPeer) {
            return "from " + peer.getHostAddress() + " already hold " + fromPeer + " of " + maxPerPeer + " bytes ("
                    + PACKETS_PER_PEER + " x " + limit + ")";
        }
        if (inFlight + size > maxInFlight) {
            return "from all peers already hold " + inFlight + " of " + maxInFlight + " bytes (" + packetsInFlight
                    + " x " + limit + ")";
        }
        inFlight += size;
        perPeer.put(peer, fromPeer + size);
        holders.put(reader, size);
        return null;
    }
}
