package io.fleetgen.codec.cluster;

import com.hazelcast.instance.EndpointQualifier;
import com.hazelcast.instance.impl.DefaultNodeContext;
import com.hazelcast.instance.impl.DefaultNodeExtension;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.instance.impl.NodeExtension;
import com.hazelcast.internal.cluster.Joiner;
import com.hazelcast.internal.cluster.impl.TcpIpJoiner;
import com.hazelcast.internal.networking.Channel;
import com.hazelcast.internal.networking.ChannelInitializer;
import com.hazelcast.internal.networking.InboundHandler;
import com.hazelcast.internal.server.ServerConnection;
import com.hazelcast.internal.server.ServerContext;
import java.net.SocketAddress;
import java.util.function.Function;
import java.util.logging.Filter;
import java.util.logging.Logger;

/**
 * Hazelcast's open-source node extension with the member protocol read through a {@link BoundedPacketDecoder}, and
 * the inbound connections it holds bounded by a {@link ConnectionLimit}: the places Hazelcast lets a member choose
 * how its connections decode packets and are set up. A connection beyond the limit is closed as it is set up, and
 * Hazelcast's line for that close is left out of the log (the limit logs its refusals, throttled), so that a flood
 * of connections does not become a flood of log lines.
 */
final class FleetgenNodeExtension extends DefaultNodeExtension {
    /** The reason Hazelcast's close of a refused connection gives. */
    static final String REFUSED = "over Fleetgen's connection limit";
    /** Held: the filter lives as long as its logger, which the logging keeps weakly. */
    private static final Logger CONNECTION_LOG = Logger.getLogger(
            "com.hazelcast.internal.server.tcp.TcpServerConnection");

    static {
        Filter hazelcast = CONNECTION_LOG.getFilter();
        CONNECTION_LOG.setFilter(r -> !(r.getMessage() != null && r.getMessage().endsWith("Reason: " + REFUSED))
                && (hazelcast == null || hazelcast.isLoggable(r)));
    }

    private final PacketBudget budget;
    private final ConnectionLimit limit;

    FleetgenNodeExtension(Node node, PacketBudget budget, ConnectionLimit limit) {
        super(node);
        this.budget = budget;
        this.limit = limit;
    }

    @Override
    public Function<EndpointQualifier, ChannelInitializer> createChannelInitializerFn(ServerContext serverContext) {
        Function<EndpointQualifier, ChannelInitializer> hazelcast = super.createChannelInitializerFn(serverContext);
        return qualifier -> {
            ChannelInitializer init = hazelcast.apply(qualifier);
            return init == null ? null : channel -> {
                init.initChannel(channel);
                admit(channel);
            };
        };
    }

    /** Admits an inbound channel or closes its connection (set up, so that Hazelcast forgets it as any other). */
    private void admit(Channel channel) {
        if (channel.isClientMode()) {
            return;
        }
        SocketAddress peer = channel.remoteSocketAddress();
        if (limit.admit(peer)) {
            channel.addCloseListener(c -> limit.release(peer));
        } else {
            ((ServerConnection) channel.attributeMap().get(ServerConnection.class)).close(REFUSED, null);
        }
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
        private final ConnectionLimit limit;

        Context(int maxPacket, ConnectionLimit limit) {
            this.maxPacket = maxPacket;
            this.limit = limit;
        }

        @Override
        public NodeExtension createNodeExtension(Node node) {
            return new FleetgenNodeExtension(node, new PacketBudget(maxPacket), limit);
        }

        @Override
        public Joiner createJoiner(Node node) {
            Joiner joiner = super.createJoiner(node);
            return joiner instanceof TcpIpJoiner ? new MasterAnnouncingJoiner(node) : joiner;
        }
    }
}
