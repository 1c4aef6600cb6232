package io.fleetgen.control.it;

import com.hazelcast.cluster.ClusterState;
import com.hazelcast.core.HazelcastInstance;
import io.fleetgen.codec.cluster.ClusterOptions;
import io.fleetgen.codec.cluster.FleetgenCluster;
import io.fleetgen.codec.security.CredentialRole;
import java.util.List;

/**
 * Run in h3's namespace while h3 and h4 are split from the rest: joins their half as a member of its own (port
 * 5702), freezes it as an unfinished split-brain merge leaves it, and leaves. Prints "state FROZEN" once it is.
 */
public final class FreezeHalf {
    private static final int ATTEMPTS = 30;

    private FreezeHalf() {
    }

    /** {@code args[0]}: h3's credential directory (a member proves a fleet credential to join). */
    public static void main(String[] args) throws Exception {
        ClusterOptions o = new ClusterOptions().setMembers(List.of("198.19.0.3:5701", "198.19.0.4:5701"))
                .setBind("198.19.0.3").setHazelcastPort(5702).setCredentials(args[0]).setBusTls(false);
        HazelcastInstance member = FleetgenCluster.member(FleetgenCluster.hazelcastConfig(o, CredentialRole.AGENT)
                .setProperty("hazelcast.logging.type", "none"), o, CredentialRole.AGENT, "h3");
        try {
            // h3 and h4 may still be declaring the other half gone: wait until theirs is a cluster of two (and this).
            for (int i = 0; i < ATTEMPTS && member.getCluster().getMembers().size() != 3; i++) {
                Thread.sleep(1000);
            }
            System.out.println("members " + member.getCluster().getMembers().size());
            // A cluster still migrating partitions refuses to be frozen: try again.
            for (int i = 0; i < ATTEMPTS && member.getCluster().getClusterState() != ClusterState.FROZEN; i++) {
                try {
                    member.getCluster().changeClusterState(ClusterState.FROZEN);
                } catch (IllegalStateException e) {
                    Thread.sleep(1000);
                }
            }
            System.out.println("state " + member.getCluster().getClusterState());
        } finally {
            member.shutdown();
        }
    }
}
