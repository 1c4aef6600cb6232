package io.fleetgen.codec.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.hazelcast.core.HazelcastInstance;
import io.fleetgen.codec.security.Keyring;
import io.fleetgen.codec.security.CredentialRole;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A real member on the loopback, shut down under its node or by the node itself. */
class MemberWatchTest {
    private static final int PORT = 25_721;

    private static HazelcastInstance member() {
        return FleetgenClusterManager.start(FleetgenCluster.hazelcastConfig(new ClusterOptions()
                .setMembers(List.of("127.0.0.1:" + PORT)).setBind("127.0.0.1").setHazelcastPort(PORT)
                .setClusterName("watch-test").setInsecure(true), CredentialRole.AGENT), 1 << 20,
                new ConnectionLimit("member port", 16, 1024), Keyring.insecure()).getHazelcastInstance();
    }

    @Test
    void aMemberShutDownUnderItsNodeEndsTheWaitWithStatusOne() {
        HazelcastInstance member = member();
        MemberWatch watch = new MemberWatch(member, "test");
        CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> {
            try {
                return watch.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertFalse(status.isDone(), "a running member keeps its node waiting");
        member.getLifecycleService().shutdown();
        assertEquals(1, assertTimeoutPreemptively(Duration.ofSeconds(30), () -> status.get(30, TimeUnit.SECONDS)));
    }

    @Test
    void aNodeThatStopsItselfEndsWithStatusZero() throws Exception {
        HazelcastInstance member = member();
        MemberWatch watch = new MemberWatch(member, "test");
        watch.stopping();
        member.getLifecycleService().shutdown();
        watch.stopped();
        assertEquals(0, watch.await());
    }
}
