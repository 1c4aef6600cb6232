package io.fleetgen.codec.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceFactory;
import io.fleetgen.codec.security.Keyring;
import io.vertx.core.Completable;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Vert.x's Hazelcast cluster manager over a Hazelcast member Fleetgen starts itself, so that the member reads its
 * connections through {@link FleetgenNodeExtension}. It does what Vert.x does for a member it starts (the node id
 * attribute, no shutdown hook) and, unlike Vert.x with a member it is given, shuts the member down when it leaves. It
 * also thaws a cluster that a split-brain merge left frozen ({@link FrozenStateGuard}).
 */
final class FleetgenClusterManager extends HazelcastClusterManager {
    private static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";
    private static final int SHUTDOWN_ATTEMPTS = 100;

    /** Where Hazelcast logs why a master refused this member's join (before it shuts the member down). */
    private static final Logger REFUSALS = Logger.getLogger("com.hazelcast.security");

    private Vertx vertx;

    private FleetgenClusterManager(HazelcastInstance member) {
        super(member);
    }

    /**
     * Starts a member with {@code cfg} (blocking: it joins the cluster) and wraps it; it reads packets of at most
     * {@code maxPacketBytes} and holds as many inbound connections as {@code limit}.
     */
    static FleetgenClusterManager start(Config cfg, int maxPacketBytes, ConnectionLimit limit, Keyring keyring) {
        cfg.setProperty("hazelcast.shutdownhook.enabled", "false");
        cfg.getMemberAttributeConfig().setAttribute(NODE_ID_ATTRIBUTE, UUID.randomUUID().toString());
        String name = "fleetgen-" + UUID.randomUUID().toString().substring(0, 8);
        RefusalCapture refusal = new RefusalCapture("hz." + name + ".");
        REFUSALS.addHandler(refusal);
        // A command line turns Hazelcast's log off: the reason is then taken, not shown.
        boolean quiet = !REFUSALS.isLoggable(Level.SEVERE);
        Level before = REFUSALS.getLevel();
        boolean parents = REFUSALS.getUseParentHandlers();
        if (quiet) {
            REFUSALS.setLevel(Level.SEVERE);
            REFUSALS.setUseParentHandlers(false);
        }
        try {
            return new FleetgenClusterManager(HazelcastInstanceFactory.newHazelcastInstance(cfg, name,
                    new FleetgenNodeExtension.Context(maxPacketBytes, limit, keyring)));
        } catch (IllegalStateException e) {
            throw refusal.reason == null ? e : new IllegalStateException("the cluster refused this member: "
                    + refusal.reason, e);
        } finally {
            REFUSALS.removeHandler(refusal);
            if (quiet) {
                REFUSALS.setLevel(before);
                REFUSALS.setUseParentHandlers(parents);
            }
        }
    }

    /**
     * Keeps the reason a master gave for refusing the join of one member (told by its threads' names), so that the
     * failure of its start says why: "Node failed to start!" is all Hazelcast's exception says, and a command line
     * shows no Hazelcast log.
     */
    private static final class RefusalCapture extends Handler {
        private static final String REASON = "Reason of failure for node join: ";
        private final String threads;
        private volatile String reason;

        RefusalCapture(String threads) {
            this.threads = threads;
        }

        @Override
        public void publish(LogRecord r) {
            String m = r.getMessage();
            int at = m == null ? -1 : m.indexOf(REASON);
            if (at >= 0 && Thread.currentThread().getName().startsWith(threads)) {
                reason = m.substring(at + REASON.length());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    @Override
    public void init(Vertx vertx) {
        super.init(vertx);
        this.vertx = vertx;
        // On a worker of its own (PeriodicCheck): the shared ones can all be held by calls that retry for minutes in
        // the very frozen cluster this check is there to thaw.
        FrozenStateGuard frozen = new FrozenStateGuard(getHazelcastInstance());
        PeriodicCheck.start(vertx, "fleetgen-frozen-guard", FrozenStateGuard.CHECK_MILLIS, frozen::check);
    }

    @Override
    public void leave(Completable<Void> promise) {
        super.leave((v, failure) -> vertx.executeBlocking(() -> {
            shutdown(getHazelcastInstance());
            return null;
        }, false).onComplete((w, e) -> promise.complete(null, failure != null ? failure : e)));
    }

    /** Shuts {@code member} down (a member still starting refuses the shutdown for a moment: retried). */
    static void shutdown(HazelcastInstance member) {
        for (int i = 0; i < SHUTDOWN_ATTEMPTS && member.getLifecycleService().isRunning(); i++) {
            try {
                member.getLifecycleService().shutdown();
            } catch (RejectedExecutionException e) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
