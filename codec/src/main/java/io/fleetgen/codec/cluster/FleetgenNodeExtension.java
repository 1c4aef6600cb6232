package io.fleetgen.codec.cluster;

import com.hazelcast.instance.EndpointQualifier;
import com.hazelcast.instance.impl.DefaultNodeContext;
import com.hazelcast.instance.impl.DefaultNodeExtension;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.instance.impl.NodeExtension;
import com.hazelcast.internal.cluster.Joiner;
import com.hazelcast.internal.cluster.impl.JoinMessage;
import com.hazelcast.internal.cluster.impl.JoinRequest;
import com.hazelcast.internal.cluster.impl.TcpIpJoiner;
import com.hazelcast.internal.networking.Channel;
import com.hazelcast.internal.networking.ChannelInitializer;
import com.hazelcast.internal.networking.InboundHandler;
import com.hazelcast.internal.server.ServerConnection;
import com.hazelcast.internal.server.ServerContext;
import io.fleetgen.codec.security.AuthException;
import io.fleetgen.codec.security.Identity;
import io.fleetgen.codec.security.Keyring;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.function.Function;
import java.util.logging.Filter;
import java.util.logging.Logger;

/**
 * Hazelcast's open-source node extension with the member protocol read through a {@link BoundedPacketDecoder} whose
 * connections speak only for their own address ({@link MemberClaims}), the inbound connections it holds bounded by
 * a {@link ConnectionLimit}, and (with credentials) a joining member admitted only with a {@link MemberProof}: the
 * places Hazelcast lets a member choose how its connections decode packets and are set up, and which join requests
 * it accepts. A connection beyond the limit is closed as it is set up, and Hazelcast's lines for that close and for
 * a refused join are left out of the log (Fleetgen logs them, throttled), so that a flood of connections or join
 * requests does not become a flood of log lines.
 */
final class FleetgenNodeExtension extends DefaultNodeExtension {
    /** The reason Hazelcast's close of a refused connection gives. */
    static final String REFUSED = "over Fleetgen's connection limit";
    /** How Fleetgen's refusal of a join request starts (Hazelcast logs it, and tells the member). */
    static final String REFUSED_JOIN = "Fleetgen refused the member at ";
    private static final Logger LOG = Logger.getLogger(FleetgenNodeExtension.class.getName());
    private static final LogThrottle JOIN_THROTTLE = new LogThrottle();
    /** Held: the filter lives as long as its logger, which the logging keeps weakly. */
    private static final Logger CONNECTION_LOG = Logger.getLogger(
            "com.hazelcast.internal.server.tcp.TcpServerConnection");
    /** Held: as above. */
    private static final Logger JOIN_LOG = Logger.getLogger("com.hazelcast.internal.cluster.impl.ClusterJoinManager");

    static {
        Filter hazelcast = CONNECTION_LOG.getFilter();
        CONNECTION_LOG.setFilter(r -> !(r.getMessage() != null && (r.getMessage().endsWith("Reason: " + REFUSED)
                || r.getMessage().contains("Reason: " + MemberClaims.CLAIMS)
                || r.getMessage().contains("Reason: " + MemberClaims.EARLY)))
                && (hazelcast == null || hazelcast.isLoggable(r)));
        Filter joins = JOIN_LOG.getFilter();
        JOIN_LOG.setFilter(r -> !(r.getMessage() != null && r.getMessage().contains(REFUSED_JOIN))
                && (joins == null || joins.isLoggable(r)));
    }

    private final PacketBudget budget;
    private final ConnectionLimit limit;
    private final Keyring keyring;

    FleetgenNodeExtension(Node node, PacketBudget budget, ConnectionLimit limit, Keyring keyring) {
        super(node);
        this.budget = budget;
        this.limit = limit;
        this.keyring = keyring;
    }

    /**
     * Hazelcast's check (the member's version) and, when this node holds a credential, the member's
     * {@link MemberProof}; the master calls it for each join request it handles. The proof is removed from the
     * request once checked: the member list would otherwise carry it to every member at every change.
     */
    @Override
    public void validateJoinRequest(JoinMessage message) {
        super.validateJoinRequest(message);
        if (!keyring.secure() || !(message instanceof JoinRequest request)) {
            return;
        }
        try {
            Identity who = MemberProof.check(keyring, request.getAttributes(), node.getConfig().getClusterName(),
                    request.getUuid(), String.valueOf(request.getAddress()), request.isLiteMember(), Instant.now());
            request.getAttributes().remove(MemberProof.ATTRIBUTE);
            LOG.info("admitted the member at " + request.getAddress() + " (" + who + ")");
        } catch (AuthException e) {
            String refused = REFUSED_JOIN + request.getAddress() + ": " + e.getMessage();
            if (JOIN_THROTTLE.due()) {
                LOG.warning(refused + " (at most one such line every 10 s)");
            }
            throw new IllegalStateException(refused);
        }
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
        return new InboundHandler[] {new BoundedPacketDecoder(connection, new MemberClaims(
                node.nodeEngine.getPacketDispatcher(), node.getSerializationService(), connection), budget)};
    }

    /** The node context that gives a member this extension, with a budget of its own, and its joiner. */
    static final class Context extends DefaultNodeContext {
        private final int maxPacket;
        private final ConnectionLimit limit;
        private final Keyring keyring;

        Context(int maxPacket, ConnectionLimit limit, Keyring keyring) {
            this.maxPacket = maxPacket;
            this.limit = limit;
            this.keyring = keyring;
        }

        @Override
        public NodeExtension createNodeExtension(Node node) {
            return new FleetgenNodeExtension(node, new PacketBudget(maxPacket), limit, keyring);
        }

        @Override
        public Joiner createJoiner(Node node) {
            Joiner joiner = super.createJoiner(node);
            return joiner instanceof TcpIpJoiner ? new MasterAnnouncingJoiner(node, keyring) : joiner;
        }
    }
}
