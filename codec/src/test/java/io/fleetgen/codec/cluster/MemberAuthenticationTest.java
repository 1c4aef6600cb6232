package io.fleetgen.codec.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cluster.Address;
import com.hazelcast.instance.EndpointQualifier;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.internal.cluster.impl.JoinMessage;
import com.hazelcast.internal.cluster.impl.operations.WhoisMasterOp;
import com.hazelcast.internal.nio.Packet;
import io.fleetgen.codec.security.CredentialRole;
import io.fleetgen.codec.security.Keyring;
import io.fleetgen.codec.testing.TestCreds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Members on the loopback of this JVM, a master holding h1's credential: a member with h2's credential joins; one
 * without a credential, and one whose connections claim another member address than their own, do not; a join
 * message that names h2's address with another UUID than its connection's does not make the master drop h2.
 */
class MemberAuthenticationTest {
    private static final int MASTER = 25_721;

    @TempDir
    Path dir;
    /** Held, so that the handler stays on them until their classes log (the logging keeps loggers weakly). */
    private final List<Logger> logs = List.of(Logger.getLogger(FleetgenNodeExtension.class.getName()),
            Logger.getLogger(MemberClaims.class.getName()));
    private final List<HazelcastInstance> started = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            synchronized (warnings) {
                warnings.add(r.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @AfterEach
    void stop() {
        started.forEach(FleetgenClusterManager::shutdown);
        logs.forEach(l -> l.removeHandler(capture));
    }

    private static Config config(int port) {
        Config cfg = FleetgenCluster.hazelcastConfig(new ClusterOptions().setMembers(List.of("127.0.0.1:" + MASTER))
                .setBind("127.0.0.1").setHazelcastPort(port).setClusterName("auth-test").setInsecure(true),
                CredentialRole.AGENT);
        // A member that cannot join makes a cluster of its own after this long.
        cfg.setProperty("hazelcast.max.join.seconds", "8");
        return cfg;
    }

    private HazelcastInstance start(Config cfg, Keyring keyring) {
        HazelcastInstance member = null;
        try {
            member = FleetgenClusterManager.start(cfg, 1 << 20, new ConnectionLimit("member port", 16, 1024), keyring)
                    .getHazelcastInstance();
            started.add(member);
        } catch (IllegalStateException refused) {
            // Hazelcast shuts a member down that the master refused; the failure says why.
            failures.add(refused.getMessage());
        }
        return member;
    }

    private List<String> warnings() {
        synchronized (warnings) {
            return new ArrayList<>(warnings);
        }
    }

    @Test
    void onlyAMemberWithAFleetCredentialForItsOwnAddressJoins() throws InterruptedException {
        logs.forEach(l -> l.addHandler(capture));
        HazelcastInstance master = start(config(MASTER), TestCreds.keyring(dir, "fleet", "h1", CredentialRole.AGENT));
        Keyring h2 = TestCreds.keyring(dir, "fleet", "h2", CredentialRole.AGENT);
        HazelcastInstance member = start(config(MASTER + 1), h2);
        assertEquals(2, master.getCluster().getMembers().size(), "h2 joined");
        assertTrue(warnings().stream().anyMatch(w -> w.startsWith("admitted the member at [127.0.0.1]:" + (MASTER + 1)
                + " (fleetgen-agent h2 (")), warnings().toString());
        assertNull(master.getCluster().getMembers().stream().filter(m -> !m.localMember()).findFirst().orElseThrow()
                .getAttribute(MemberProof.ATTRIBUTE), "the master's member list carries no proof");
        assertEquals(2, member.getCluster().getMembers().size());

        HazelcastInstance stranger = start(config(MASTER + 2), Keyring.insecure());
        assertTrue(stranger == null || !stranger.getCluster().getMembers().contains(master.getCluster()
                .getLocalMember()), "a member without a credential is not in the master's cluster");
        assertEquals(2, master.getCluster().getMembers().size());
        assertEquals(List.of("the cluster refused this member: " + FleetgenNodeExtension.REFUSED_JOIN
                + "[127.0.0.1]:" + (MASTER + 2) + ": no proof of a fleet credential (member attribute fleetgen.proof; "
                + "expected: a member started by Fleetgen with a credential from this fleet's CA)"), failures);
        assertTrue(warnings().stream().anyMatch(w -> w.startsWith(FleetgenNodeExtension.REFUSED_JOIN
                + "[127.0.0.1]:" + (MASTER + 2) + ": no proof of a fleet credential")), warnings().toString());

        Config spoofer = config(MASTER + 3);
        ((ServerSocketEndpointConfig) spoofer.getAdvancedNetworkConfig().getEndpointConfigs()
                .get(EndpointQualifier.MEMBER)).setPublicAddress("127.0.0.2:" + (MASTER + 1));
        // Its connections leave from 127.0.0.1 while they claim 127.0.0.2 (both are this host's loopback).
        spoofer.setProperty("hazelcast.socket.client.bind.any", "true");
        HazelcastInstance impostor = start(spoofer, h2);
        assertFalse(impostor != null && impostor.getCluster().getMembers().size() > 1, "the impostor joined");
        assertEquals(2, master.getCluster().getMembers().size());
        assertTrue(warnings().stream().anyMatch(w -> w.contains("it claims member address [127.0.0.2]:"
                + (MASTER + 1) + " in its handshake (expected: an address on /127.0.0.1")), warnings().toString());

        // A member of its own (it lists only itself) asks the master "who is master?" as a restarted h2 would: h2's
        // address and a new UUID, which is not its connection's. Hazelcast's master would remove h2 for it.
        Config own = config(MASTER + 4);
        own.getAdvancedNetworkConfig().getJoin().getTcpIpConfig().setMembers(List.of("127.0.0.1:" + (MASTER + 4)));
        HazelcastInstance asker = start(own, Keyring.insecure());
        Node node = ((HazelcastInstanceProxy) asker).getOriginal().node;
        Address h2Address = member.getCluster().getLocalMember().getAddress();
        node.getNodeEngine().getOperationService().send(new WhoisMasterOp(new JoinMessage(Packet.VERSION,
                node.getBuildInfo().getBuildNumber(), node.getVersion(), h2Address, UUID.randomUUID(), false,
                node.createConfigCheck())), master.getCluster().getLocalMember().getAddress());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline && warnings().stream().noneMatch(w -> w.contains("in a WhoisMasterOp"))) {
            Thread.sleep(10); // polling the log for the close, 5 s at most
        }
        assertTrue(warnings().stream().anyMatch(w -> w.contains("it claims member address " + h2Address
                + " and UUID ")), warnings().toString());
        assertEquals(2, master.getCluster().getMembers().size(), "h2 is still a member");
        assertEquals(2, member.getCluster().getMembers().size());
    }
}
