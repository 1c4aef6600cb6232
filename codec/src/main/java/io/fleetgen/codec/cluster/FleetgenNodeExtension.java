package io.fleetgen.codec.cluster;

import com.hazelcast.instance.EndpointQualifier;
import com.hazelcast.instance.impl.DefaultNodeContext;
import com.hazelcast.instance.impl.DefaultNodeExtension;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.instance.impl.NodeExtension;
import com.hazelcast.internal.cluster.Joiner;
import com.hazelcast.internal.cluster.impl.TcpIpJoiner;
import com.hazelcast.internal.networking.InboundHandler;
import com.hazelcast.internal.server.ServerConnection;
import com.hazelcast.internal.server.ServerContext;

/**
 * Hazelcast's open-source node extension with the member protocol read through a {@link BoundedPacketDecoder}: the
 * one place Hazelcast lets a member choose how its connections decode packets.
 */
final class FleetgenNodeExtension extends DefaultNodeExtension {
    private final PacketBudget budget;

    FleetgenNodeExtension(Node node, PacketBudget budget) {
        super(node);
        this.budget = budget;
    }

    @Override
    @SuppressWarnings("rawtypes") // Hazelcast's signature
    public InboundHandler[] createInboundHandlers(EndpointQualifier qualifier, ServerConnection connection,
            ServerContext serverContext) {
        return new InboundHandler[] {
            new BoundedPacketDecoder(connection, node.nodeEngine.getPacketDispatcher(), budget)};
    }

    /** The node context that gives a member this extension, with a budget of its own, and its joiner. */
    static final class Context extends DefaultNodeContext {
        private final int maxPacket;

        Context(int maxPacket) {
            this.maxPacket = maxPacket;
        }

        @Override
        public NodeExtension createNodeExtension(Node node) {
            return new FleetgenNodeExtension(node, new PacketBudget(maxPacket));
        }

        @Override
        public Joiner createJoiner(Node node) {
            Joiner joiner = super.createJoiner(node);
            return joiner instanceof TcpIpJoiner ? new MasterAnnouncingJoiner(node) : joiner;
        }
    }
}
