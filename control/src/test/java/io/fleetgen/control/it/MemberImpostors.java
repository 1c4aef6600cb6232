package io.fleetgen.control.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.cluster.Address;
import com.hazelcast.config.Config;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.EndpointQualifier;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.internal.cluster.impl.JoinMessage;
import com.hazelcast.internal.cluster.impl.operations.WhoisMasterOp;
import com.hazelcast.internal.nio.Packet;
import io.fleetgen.codec.cluster.ClusterOptions;
import io.fleetgen.codec.cluster.FleetgenCluster;
import io.fleetgen.codec.security.CredentialRole;
import io.fleetgen.control.Fleet;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Members that cannot prove who they are, run from an address of the management network that is no member's
 * (198.19.0.249). Open-source Hazelcast authenticates no member: until a member had to prove a fleet credential to
 * join, a process with the cluster name joined (the rogue of {@link MapTampering} did, and rewrote the maps); and
 * until a connection could speak only for itself, one could claim any member's address and act as that member, or
 * split it off the cluster with one join message.
 */
final class MemberImpostors {
    private static final String STRANGER = "198.19.0.249";

    private MemberImpostors() {
    }

    /**
     * A stranger with the cluster name and the member list but no credential is refused by the master, which says
     * why (and so does the REPL run without a credential); an impostor that claims h2's member address (and holds
     * h2's credential, so that the claim alone is wrong) has its connections closed as they say so. The fleet's
     * cluster stays as it was.
     */
    static void strangersAndImpostorsDoNotJoin(Fleet fleet) throws Exception {
        int members = fleet.hazelcast().getCluster().getMembers().size();
        ControlLab.asAddress(STRANGER, () -> {
            ClusterOptions stranger = ControlLab.cluster(2).setBind(STRANGER).setLiteMember(true).setCredentials(null)
                    .setInsecure(true);
            HazelcastInstance m = started(() -> Hazelcast.newHazelcastInstance(quick(FleetgenCluster.hazelcastConfig(
                    stranger, CredentialRole.AGENT))));
            assertAlone(m, "the stranger");
            ControlLab.await("the master's refusal of the stranger in its log", 10, () -> agentLogs().contains(
                    "Fleetgen refused the member at [" + STRANGER + "]:5701: no proof of a fleet credential"));
            assertEquals(members, fleet.hazelcast().getCluster().getMembers().size(), "members of the fleet");

            ClusterOptions impostor = ControlLab.cluster(2).setBind(STRANGER).setLiteMember(true)
                    .setCredentials(ControlLab.STATE.resolve("creds/nodes/h2").toString());
            Config cfg = quick(FleetgenCluster.hazelcastConfig(impostor, CredentialRole.AGENT));
            ((ServerSocketEndpointConfig) cfg.getAdvancedNetworkConfig().getEndpointConfigs()
                    .get(EndpointQualifier.MEMBER)).setPublicAddress("198.19.0.2:5701");
            // Its connections leave from an address of this host (198.19.0.2 is h2's, in h2's namespace).
            cfg.setProperty("hazelcast.socket.client.bind.any", "true");
            HazelcastInstance i = started(() -> FleetgenCluster.member(cfg, impostor, CredentialRole.AGENT, "h2"));
            assertAlone(i, "the impostor");
            assertTrue(agentLogs().contains("it claims member address [198.19.0.2]:5701 in its handshake (expected: "
                    + "an address on /198.19.0."), "an agent's log names the claim");
            assertEquals(members, fleet.hazelcast().getCluster().getMembers().size(), "members of the fleet");

            aJoinMessageForAnotherMemberSplitsNobodyOff(fleet, stranger, members);
        });
        // The REPL run without a credential against this fleet says why it cannot join (after the stranger: the
        // master logs one refusal every 10 s).
        ControlLab.Result cli = ControlLab.run(List.of(ControlLab.ROOT.resolve("deploy/fleetgen").toString(),
                "--members", ControlLab.members(2), "--bind", "198.19.0.254", "--insecure", "--no-service", "-c",
                "hosts"), null);
        assertEquals(1, cli.code, cli.out + cli.err);
        assertTrue(cli.err.contains("the cluster refused this member: Fleetgen refused the member at [198.19.0.254]:")
                && cli.err.contains("no proof of a fleet credential"), cli.err);
    }

    /**
     * A member of its own (it lists only itself) asks each agent "who is master?" in the name of the other: its
     * address and a new UUID, as a restarted agent would. Hazelcast's master removes the member at that address for
     * it (and files the asker's connection under its address); the connection is now closed as it says so.
     */
    private static void aJoinMessageForAnotherMemberSplitsNobodyOff(Fleet fleet, ClusterOptions stranger, int members)
            throws Exception {
        Config cfg = quick(FleetgenCluster.hazelcastConfig(stranger, CredentialRole.AGENT));
        cfg.getAdvancedNetworkConfig().getJoin().getTcpIpConfig().setMembers(List.of(STRANGER));
        HazelcastInstance asker = Hazelcast.newHazelcastInstance(cfg);
        try {
            Node node = ((HazelcastInstanceProxy) asker).getOriginal().node;
            for (int[] pair : new int[][] {{1, 2}, {2, 1}}) {
                node.getNodeEngine().getOperationService().send(new WhoisMasterOp(new JoinMessage(Packet.VERSION,
                        node.getBuildInfo().getBuildNumber(), node.getVersion(), new Address("198.19.0." + pair[1],
                        5701), UUID.randomUUID(), false, node.createConfigCheck())), new Address("198.19.0." + pair[0],
                        5701));
            }
            ControlLab.await("the agents' closes of the asker's connections in their logs", 10,
                    () -> ControlLab.log("h1").contains("in a WhoisMasterOp") && ControlLab.log("h2")
                            .contains("in a WhoisMasterOp"));
            // Closed before Hazelcast read the packets: nothing more can come of them.
            assertEquals(members, fleet.hazelcast().getCluster().getMembers().size(), "members of the fleet");
            assertFalse(agentLogs().contains("New join request has been received from an existing endpoint"),
                    "an agent removed for a restarted one");
        } finally {
            asker.shutdown();
        }
    }

    /** A member that gives up its join after 10 s (it then forms a cluster of its own), and logs nothing. */
    private static Config quick(Config cfg) {
        return cfg.setProperty("hazelcast.max.join.seconds", "10").setProperty("hazelcast.logging.type", "none");
    }

    /** The member once it gave up, or {@code null} when Hazelcast shut it down (a refused join does). */
    private static HazelcastInstance started(Supplier<HazelcastInstance> start) {
        try {
            return start.get();
        } catch (IllegalStateException refused) {
            return null;
        }
    }

    private static void assertAlone(HazelcastInstance m, String who) {
        if (m != null) {
            try {
                assertEquals(1, m.getCluster().getMembers().size(), who + "'s cluster");
            } finally {
                m.shutdown();
            }
        }
    }

    private static String agentLogs() {
        return ControlLab.log("h1") + ControlLab.log("h2");
    }
}
