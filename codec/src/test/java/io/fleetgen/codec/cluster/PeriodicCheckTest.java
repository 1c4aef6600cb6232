package io.fleetgen.codec.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checks that block, as Hazelcast calls do in a frozen cluster, on a Vert.x with two shared workers: they neither
 * overlap nor pile up, and the shared workers stay free for everything else.
 */
class PeriodicCheckTest {
    private static final long PERIOD_MILLIS = 10;
    private Vertx vertx;
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger overlapping = new AtomicInteger();

    @BeforeEach
    void vertx() {
        vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(2));
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aBlockedCheckSkipsTheTicksAndLeavesTheSharedWorkersFree() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        PeriodicCheck check = PeriodicCheck.start(vertx, "test-check", PERIOD_MILLIS, () -> blockUntil(release));
        awaitStarted(1);
        Thread.sleep(30 * PERIOD_MILLIS); // 30 ticks while it blocks
        assertEquals(1, started.get(), "one check started, the ticks while it blocks skipped");
        assertFalse(await(check.tick()), "a tick while the check runs is skipped");
        for (int i = 0; i < 4; i++) {
            assertEquals("free", vertx.executeBlocking(() -> "free").toCompletionStage().toCompletableFuture()
                    .get(1, TimeUnit.SECONDS), "a shared worker is free while the check blocks");
        }
        release.countDown();
        awaitStarted(5);
        assertEquals(0, overlapping.get(), "no two checks at once");
    }

    @Test
    void againRunsAfterTheRunningCheckAndAFailingCheckDoesNotStopTheTicks() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        PeriodicCheck check = PeriodicCheck.start(vertx, "test-again", 1000 * PERIOD_MILLIS, () -> {
            if (calls.incrementAndGet() == 1) {
                return blockUntil(release);
            }
            throw new IllegalStateException("a failed check");
        });
        Future<Boolean> first = check.tick();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (calls.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        Future<Void> again = check.again();
        Thread.sleep(20 * PERIOD_MILLIS);
        assertFalse(again.isComplete(), "again waits for the check that runs");
        release.countDown();
        assertTrue(await(first), "the first tick ran its check");
        again.toCompletionStage().toCompletableFuture().handle((v, e) -> e).get(5, TimeUnit.SECONDS);
        assertTrue(again.failed(), "again fails as its check does");
        assertEquals(2, calls.get());
        assertTrue(await(check.tick()), "a failed check leaves the next one free to run");
        assertEquals(3, calls.get());
        assertEquals(0, overlapping.get(), "no two checks at once");
    }

    /** Waits (5 s at most) until {@code n} checks have started; fails otherwise. */
    private void awaitStarted(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (started.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertTrue(started.get() >= n, "checks started: " + started.get() + ", expected " + n);
    }

    private Object blockUntil(CountDownLatch release) throws InterruptedException {
        started.incrementAndGet();
        if (running.incrementAndGet() > 1) {
            overlapping.incrementAndGet();
        }
        try {
            release.await(10, TimeUnit.SECONDS);
            return null;
        } finally {
            running.decrementAndGet();
        }
    }

    private static boolean await(Future<Boolean> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
