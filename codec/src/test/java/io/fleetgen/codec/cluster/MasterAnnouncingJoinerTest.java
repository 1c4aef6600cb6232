package io.fleetgen.codec.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.hazelcast.config.Config;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import io.fleetgen.codec.security.Keyring;
import io.fleetgen.codec.security.CredentialRole;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two members that start together, as a fleet does, on the loopback in this JVM: they form one cluster, and each
 * joins through the joiner that announces a new master (the second it saves is measured in the lab: docs/SCALE.md).
 */
class MasterAnnouncingJoinerTest {
    private static final int FIRST_PORT = 25_701;

    @Test
    void membersThatStartTogetherFormOneClusterThroughTheAnnouncingJoiner() throws Exception {
        List<String> members = List.of("127.0.0.1:" + FIRST_PORT, "127.0.0.1:" + (FIRST_PORT + 1));
        CyclicBarrier together = new CyclicBarrier(2);
        List<CompletableFuture<FleetgenClusterManager>> started = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Config cfg = FleetgenCluster.hazelcastConfig(new ClusterOptions().setMembers(members).setBind("127.0.0.1")
                    .setHazelcastPort(FIRST_PORT + i).setClusterName("join-test").setInsecure(true),
                    CredentialRole.AGENT);
            started.add(CompletableFuture.supplyAsync(() -> {
                try {
                    together.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return FleetgenClusterManager.start(cfg, 1 << 20, new ConnectionLimit("member port", 16, 1024),
                        Keyring.insecure());
            }));
        }
        List<FleetgenClusterManager> managers = new ArrayList<>();
        try {
            for (CompletableFuture<FleetgenClusterManager> f : started) {
                managers.add(f.get(60, TimeUnit.SECONDS));
            }
            for (FleetgenClusterManager m : managers) {
                assertEquals(2, m.getHazelcastInstance().getCluster().getMembers().size(), "one cluster of both");
                HazelcastInstanceProxy proxy = (HazelcastInstanceProxy) m.getHazelcastInstance();
                assertInstanceOf(MasterAnnouncingJoiner.class, proxy.getOriginal().node.getJoiner());
            }
        } finally {
            for (FleetgenClusterManager m : managers) {
                FleetgenClusterManager.shutdown(m.getHazelcastInstance());
            }
        }
    }
}
