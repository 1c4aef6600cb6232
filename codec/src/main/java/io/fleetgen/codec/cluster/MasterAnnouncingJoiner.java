package io.fleetgen.codec.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.cluster.impl.MemberImpl;
import com.hazelcast.instance.EndpointQualifier;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.internal.cluster.impl.TcpIpJoiner;
import com.hazelcast.internal.cluster.impl.operations.MasterResponseOp;
import com.hazelcast.internal.server.ServerConnection;
import com.hazelcast.internal.server.ServerConnectionManager;
import io.fleetgen.codec.security.Keyring;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Hazelcast's TCP-IP join, with a member that becomes master telling the listed members it is connected to at once.
 *
 * <p>When members start together, none is master: each asks the others ("who is master?"), nobody can answer, and
 * each waits a second (Hazelcast's fixed join round) before it asks again. The one that then claims mastership wins
 * the others' votes, but they learn of it only when their round ends and they ask again: up to a second later, each
 * of them (issue 15: four agents started at once joined 0.7-0.8 s after their master had been elected). Hazelcast's
 * own answer to that question, sent unasked as soon as this member is master, lets them send their join requests at
 * once. A member that already has another master ignores it and asks its own; one that is joined only notes the
 * address.
 */
final class MasterAnnouncingJoiner extends TcpIpJoiner {
    /** How often a new master tells the listed members that have not joined yet, and for how many times at most. */
    static final long ANNOUNCE_MILLIS = 100;
    static final int ANNOUNCEMENTS = 20;

    private final Keyring keyring;

    MasterAnnouncingJoiner(Node node, Keyring keyring) {
        super(node);
        this.keyring = keyring;
    }

    @Override
    public void doJoin() {
        prove();
        super.doJoin();
        announce(ANNOUNCEMENTS);
    }

    /**
     * Puts this member's {@link MemberProof} among its attributes, for the join requests it is about to send: made
     * again before each join, since a split-brain merge gives the member a new UUID.
     */
    private void prove() {
        if (keyring.secure()) {
            MemberImpl self = node.getLocalMember();
            self.setAttribute(MemberProof.ATTRIBUTE, MemberProof.make(keyring, node.getConfig().getClusterName(),
                    self.getUuid(), String.valueOf(node.getThisAddress()), self.isLiteMember(),
                    self.getAttribute(FleetgenCluster.ROLE_ATTRIBUTE), Instant.now()));
        }
    }

    /**
     * Tells the unjoined peers, again every {@link #ANNOUNCE_MILLIS} while any is left (at most {@code left} more
     * times): the master handles one join at a time and drops the requests that come meanwhile, and a member whose
     * request was dropped would otherwise ask again only at the end of its round (four agents at once: the third
     * and fourth joined 1 and 2 s after the second).
     */
    private void announce(int left) {
        List<Address> peers = clusterService.isMaster() ? unjoinedPeers() : List.of();
        for (Address peer : peers) {
            node.getNodeEngine().getOperationService().send(new MasterResponseOp(node.getThisAddress()), peer);
        }
        if (!peers.isEmpty() && left > 1) {
            node.getNodeEngine().getExecutionService().schedule(() -> announce(left - 1), ANNOUNCE_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
    }

    /** The listed members this member is connected to that are not (yet) in its cluster. */
    private List<Address> unjoinedPeers() {
        ServerConnectionManager connections = node.getServer().getConnectionManager(EndpointQualifier.MEMBER);
        List<Address> peers = new ArrayList<>();
        for (Address address : getPossibleAddresses()) {
            ServerConnection connection = connections.get(address);
            if (!address.equals(node.getThisAddress()) && connection != null && connection.isAlive()
                    && clusterService.getMember(address) == null) {
                peers.add(address);
            }
        }
        return peers;
    }
}
