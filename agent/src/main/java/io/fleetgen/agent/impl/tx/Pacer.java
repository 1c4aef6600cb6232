package io.fleetgen.agent.impl.tx;

import java.util.concurrent.locks.LockSupport;

/**
 * Spaces departures evenly at a rate (no micro-bursts): packet {@code i} leaves at {@code t0 + i / pps}. The
 * schedule is absolute, so a late packet does not shift the ones after it and the long-run rate is exact.
 * Sleeps when the next departure is far, spins when it is near: Linux wakes a parked thread up to its timer
 * slack (50 us by default) late, so the last {@value #SPIN_NANOS} ns before a departure are spun, and at 5 kpps
 * and more the thread spins throughout, as trafgen and TRex poll. A rate of 0 never waits.
 */
final class Pacer {
    private static final long SPIN_NANOS = 200_000;

    private final double periodNanos;
    private final long t0;

    Pacer(double pps, long t0) {
        this.periodNanos = pps > 0 ? 1e9 / pps : 0;
        this.t0 = t0;
    }

    /** Waits until packet {@code i} may leave, or until {@code stop} is set; returns false if stopped. */
    boolean await(long i, TransmitLoop stop) {
        if (periodNanos == 0) {
            return !stop.stopping();
        }
        long due = t0 + (long) (i * periodNanos);
        for (;;) {
            if (stop.stopping()) {
                return false;
            }
            long left = due - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            if (left > SPIN_NANOS) {
                LockSupport.parkNanos(left - SPIN_NANOS);
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
