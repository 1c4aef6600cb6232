package io.fleetgen.codec.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A blocking check of the cluster's state, run every period on a worker thread of its own, one at a time: when the
 * previous check is still running at the next tick, that tick is skipped. Checks that call Hazelcast can block for
 * minutes (in a frozen cluster, calls to the partitions of a member that left retry until they time out); run on
 * Vert.x's shared workers every 2 s they piled up until they held all of them, and whatever else needs a worker
 * (the event bus looking up a new address's subscribers, a command's blocking steps) waited behind them. The ticks
 * and the worker end with the verticle that started them, or with Vert.x.
 */
public final class PeriodicCheck {
    private final WorkerExecutor own;
    private final Callable<?> check;
    private final AtomicBoolean running = new AtomicBoolean();

    private PeriodicCheck(Vertx vertx, String name, long periodMillis, Callable<?> check) {
        this.own = vertx.createSharedWorkerExecutor(name, 1);
        this.check = check;
        vertx.setPeriodic(periodMillis, id -> tick());
    }

    /**
     * Starts running {@code check} every {@code periodMillis} on a worker named {@code name} (one thread, its own).
     * A check that throws is counted as done; what it reports is its own business.
     */
    public static PeriodicCheck start(Vertx vertx, String name, long periodMillis, Callable<?> check) {
        return new PeriodicCheck(vertx, name, periodMillis, check);
    }

    /** Runs the check now unless one is running; the future says whether it ran (and completed) or was skipped. */
    public Future<Boolean> tick() {
        if (!running.compareAndSet(false, true)) {
            return Future.succeededFuture(false);
        }
        return own.executeBlocking(check, false).transform(done -> {
            running.set(false);
            return Future.succeededFuture(true);
        });
    }

    /**
     * Runs the check once more after the one running now, if any (the worker has one thread: checks never overlap),
     * for an event such as a merge; the future fails as the check does.
     */
    public Future<Void> again() {
        return own.executeBlocking(check, true).mapEmpty();
    }
}
