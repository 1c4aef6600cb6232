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
    /** The rate the real-time slots were taken at ({@link PacingPolicy#slotsAt}). */
    private double realtimePps;

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
        if (policy.apply(pps)) {
            realtimeOf = policy;
            realtimePps = pps;
        }
    }

    @Override
    public void release() {
        if (realtimeOf != null) {
            realtimeOf.release(realtimePps);
            realtimeOf = null;
        }
        if (latencyOf != null) {
            latencyOf.cpuLatency().release();
            latencyOf = null;
        }
    }
}
