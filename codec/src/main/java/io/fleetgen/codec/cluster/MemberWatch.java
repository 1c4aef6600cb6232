package io.fleetgen.codec.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps a long-running node (an agent, {@code fleetgen serve}) up until it is stopped, or until its Hazelcast member
 * shuts down while it is not stopping. Hazelcast shuts its member down on a fatal error (its acceptor out of file
 * descriptors, say), and any member may shut the whole cluster down (one with a fleet credential: a compromised host);
 * a node then stays up outside the cluster, where no one can reach it and its service manager sees nothing wrong.
 * Watched, it says why and ends with status 1, and {@code Restart=on-failure} starts it again.
 */
public final class MemberWatch {
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean lost = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);

    /** Watches {@code member} of the node {@code who} (as its messages name it). */
    public MemberWatch(HazelcastInstance member, String who) {
        member.getLifecycleService().addLifecycleListener(e -> {
            if (e.getState() == LifecycleEvent.LifecycleState.SHUTDOWN && !stopping.get()
                    && lost.compareAndSet(false, true)) {
                System.err.println(who + ": its cluster member shut down on its own (the reason is logged above); "
                        + "exiting so that the service manager starts it again");
                done.countDown();
            }
        });
    }

    /** The node is stopping on purpose (its shutdown hook, before it leaves): a shutdown of its member is expected. */
    public void stopping() {
        stopping.set(true);
    }

    /** The node has stopped: {@link #await()} returns. */
    public void stopped() {
        done.countDown();
    }

    /** Waits until the node has stopped or its member was lost; returns its exit status, 0 or 1. */
    public int await() throws InterruptedException {
        done.await();
        return lost.get() ? 1 : 0;
    }
}
