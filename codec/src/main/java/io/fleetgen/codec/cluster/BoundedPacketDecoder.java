package io.fleetgen.codec.cluster;

import com.hazelcast.internal.networking.HandlerStatus;
import com.hazelcast.internal.nio.IOUtil;
import com.hazelcast.internal.nio.Packet;
import com.hazelcast.internal.nio.PacketIOHelper;
import com.hazelcast.internal.server.ServerConnection;
import com.hazelcast.internal.server.tcp.PacketDecoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * Hazelcast's member-protocol decoder with the size of each packet checked against a {@link PacketBudget} before its
 * payload is allocated. A packet's header is 11 bytes: version (1), flags (2), partition id (4), payload size (4).
 */
final class BoundedPacketDecoder extends PacketDecoder implements PacketBudget.Reader {
    static final int HEADER_SIZE = 11;
    static final int SIZE_OFFSET = 7;

    private static final InetAddress WILDCARD = new InetSocketAddress(0).getAddress();

    private final PacketIOHelper reader = new PacketIOHelper();
    private final PacketBudget budget;
    private boolean reading;

    BoundedPacketDecoder(ServerConnection connection, Consumer<Packet> dispatcher, PacketBudget budget) {
        super(connection, dispatcher);
        this.budget = budget;
    }

    @Override
    public HandlerStatus onRead() throws Exception {
        src.flip();
        try {
            while (src.hasRemaining()) {
                if (!reading) {
                    if (src.remaining() < HEADER_SIZE) {
                        break;
                    }
                    budget.reserve(this, src.getInt(src.position() + SIZE_OFFSET));
                    reading = true;
                }
                Packet packet = reader.readFrom(src);
                if (packet == null) {
                    break;
                }
                reading = false;
                budget.release(this);
                onPacketComplete(packet);
            }
            return HandlerStatus.CLEAN;
        } finally {
            IOUtil.compactOrClear(src);
        }
    }

    @Override
    public boolean alive() {
        return connection.isAlive();
    }

    @Override
    public String peer() {
        return String.valueOf(connection.getRemoteSocketAddress());
    }

    /** The peer's address, or the wildcard address for a connection that has none (it cannot be read from). */
    @Override
    public InetAddress peerAddress() {
        InetSocketAddress a = connection.getRemoteSocketAddress();
        return a == null || a.getAddress() == null ? WILDCARD : a.getAddress();
    }
}
