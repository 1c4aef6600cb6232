package io.fleetgen.agent.impl.tx;

import io.fleetgen.agent.impl.sys.Threads;

/**
 * A transmit thread's real clock: {@link System#nanoTime()}, sleeps to absolute deadlines and the thread's
 * scheduling through {@link Threads}. One instance per thread.
 */
final class ThreadTiming implements Pacer.Clock {
    private final Threads threads = new Threads();
    private PacingPolicy realtimeOf;
    private PacingPolicy latencyOf;
    /** Slots of the real-time budget this thread holds ({@link PacingPolicy#apply}). */
    private int realtimeSlots;

    @Override
    public long now() {
        return System.nanoTime();
    }

    @Override
    public void sleepUntil(long deadline) {
        threads.sleepUntil(deadline);
    }

    @Override
    public boolean realtime() {
        return realtimeOf != null;
    }

    @Override
    public void park(long deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(deadline - System.nanoTime());
    }

    @Override
    public void prepare(double pps, PacingPolicy policy) {
        Threads.preciseTimers();
        if (latencyOf == null) {
            policy.cpuLatency().acquire();
            latencyOf = policy;
        }
        realtimeSlots = policy.apply(pps);
        if (realtimeSlots > 0) {
            realtimeOf = policy;
        }
    }

    @Override
    public void release() {
        if (realtimeOf != null) {
            realtimeOf.release(realtimeSlots);
            realtimeOf = null;
        }
        if (latencyOf != null) {
            latencyOf.cpuLatency().release();
            latencyOf = null;
        }
    }
}
