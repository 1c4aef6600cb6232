package io.fleetgen.agent.impl.tx;

import java.util.concurrent.locks.LockSupport;

/**
 * Spaces departures evenly at a rate (no micro-bursts): packet {@code i} leaves at {@code t0 + i / pps}. The
 * schedule is absolute, so a late packet does not shift the ones after it and the long-run rate is exact.
 * Sleeps when the next departure is far and spins only the last {@value #SPIN_NANOS} ns: the transmit thread
 * runs with a 1 ns timer slack ({@link PacketSocket#preciseTimers()}), so a park ends when asked instead of up
 * to 50 us late, and many paced runs on one host do not burn the cores that the event loop needs. A rate of 0
 * never waits.
 */
final class Pacer {
    private static final long SPIN_NANOS = 100_000;

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
