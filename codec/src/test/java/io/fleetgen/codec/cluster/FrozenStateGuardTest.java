package io.fleetgen.codec.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.cluster.ClusterState;
import com.hazelcast.core.HazelcastInstance;
import io.fleetgen.codec.security.Keyring;
import io.fleetgen.codec.security.CredentialRole;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A real member on the loopback, frozen as an unfinished split-brain merge leaves it, thawed by the guard. */
class FrozenStateGuardTest {
    private static final int PORT = 25_711;

    @Test
    void aClusterLeftFrozenIsMadeActiveAfterTheChecksAndAnActiveOneIsLeftAlone() {
        HazelcastInstance member = FleetgenClusterManager.start(FleetgenCluster.hazelcastConfig(new ClusterOptions()
                .setMembers(List.of("127.0.0.1:" + PORT)).setBind("127.0.0.1").setHazelcastPort(PORT)
                .setClusterName("frozen-test").setInsecure(true), CredentialRole.AGENT), 1 << 20,
                new ConnectionLimit("member port", 16, 1024), Keyring.insecure())
                .getHazelcastInstance();
        try {
            FrozenStateGuard guard = new FrozenStateGuard(member);
            for (int i = 0; i < 2 * FrozenStateGuard.CHECKS_BEFORE_THAW; i++) {
                assertFalse(guard.check(), "an active cluster is left as it is");
            }
            assertEquals(ClusterState.ACTIVE, member.getCluster().getClusterState());

            member.getCluster().changeClusterState(ClusterState.FROZEN);
            for (int i = 1; i < FrozenStateGuard.CHECKS_BEFORE_THAW; i++) {
                assertFalse(guard.check(), "check " + i + ": a merge in progress may hold it frozen for a while");
                assertEquals(ClusterState.FROZEN, member.getCluster().getClusterState());
            }
            assertTrue(guard.check(), "frozen for every check: thawed");
            assertEquals(ClusterState.ACTIVE, member.getCluster().getClusterState());
        } finally {
            FleetgenClusterManager.shutdown(member);
        }
    }
}
