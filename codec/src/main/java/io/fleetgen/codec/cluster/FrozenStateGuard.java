package io.fleetgen.codec.cluster;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.ClusterState;
import com.hazelcast.core.HazelcastInstance;
import java.util.logging.Logger;

/**
 * Thaws a cluster that Hazelcast left frozen. Fleetgen never freezes its cluster; Hazelcast does, for the moment of a
 * split-brain merge: the master of the half that merges into the other sets the state to {@code FROZEN}, then
 * tells its members to join the other half, and they come back {@code ACTIVE} there. If that master goes first
 * and a member sees it gone before its own merge starts, the member claims mastership of a cluster of one that is
 * still frozen, and a frozen cluster ignores the other half's join checks: it never merges (seen once in the lab,
 * issue 15: h3 alone and frozen for good after the fleet's halves were joined; Hazelcast issues 8246 and 9972
 * describe the same end). The master of a cluster that stays frozen for {@link #CHECKS_BEFORE_THAW} checks in a
 * row sets it back to {@code ACTIVE}; the next split-brain search then merges it.
 */
final class FrozenStateGuard {
    /** How often the state is looked at, and how many looks in a row it must be frozen (10 s: a merge takes 1-2). */
    static final long CHECK_MILLIS = 2000;
    static final int CHECKS_BEFORE_THAW = 5;
    private static final Logger LOG = Logger.getLogger(FrozenStateGuard.class.getName());

    private final HazelcastInstance member;
    private int frozenChecks;

    FrozenStateGuard(HazelcastInstance member) {
        this.member = member;
    }

    /** One look; blocks while it changes the state. True when it set a frozen cluster back to {@code ACTIVE}. */
    synchronized boolean check() {
        if (!member.getLifecycleService().isRunning()) {
            return false;
        }
        Cluster cluster = member.getCluster();
        if (cluster.getClusterState() != ClusterState.FROZEN || !cluster.getMembers().iterator().next().localMember()) {
            frozenChecks = 0;
            return false;
        }
        if (++frozenChecks < CHECKS_BEFORE_THAW) {
            return false;
        }
        frozenChecks = 0;
        String frozen = "this member's cluster of " + cluster.getMembers().size() + " had been FROZEN for "
                + CHECKS_BEFORE_THAW * CHECK_MILLIS / 1000 + " s (a split-brain merge left unfinished)";
        try {
            cluster.changeClusterState(ClusterState.ACTIVE);
        } catch (RuntimeException e) {
            LOG.warning(frozen + " and could not be made ACTIVE: " + e);
            return false;
        }
        LOG.warning(frozen + ": now ACTIVE, so that it can merge with the rest of the fleet");
        return true;
    }
}
