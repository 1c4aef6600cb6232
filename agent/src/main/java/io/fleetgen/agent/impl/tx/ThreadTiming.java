package io.fleetgen.agent.impl.tx;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * A transmit thread's clock and scheduling, through direct-mapped libc calls: {@code clock_nanosleep} to an
 * absolute {@code CLOCK_MONOTONIC} deadline (the clock of {@link System#nanoTime()} on Linux, so a schedule kept in
 * nanoTime units needs no conversion), and the calling thread's scheduling class ({@code SCHED_FIFO} or a nice
 * value). One instance per thread: its {@code timespec} is reused, nothing is allocated per sleep.
 */
final class ThreadTiming implements Pacer.Clock {
    private static final int CLOCK_MONOTONIC = 1;
    private static final int TIMER_ABSTIME = 1;
    private static final int SCHED_FIFO = 1;
    private static final int PRIO_PROCESS = 0;

    private final Memory timespec = new Memory(16);

    @Override
    public long now() {
        return System.nanoTime();
    }

    /**
     * Sleeps until {@code deadline} ({@link System#nanoTime()} units) or a signal; without the native calls, parks
     * for the time left instead.
     */
    @Override
    public void sleepUntil(long deadline) {
        if (!LibC.AVAILABLE) {
            java.util.concurrent.locks.LockSupport.parkNanos(deadline - System.nanoTime());
            return;
        }
        timespec.setLong(0, deadline / 1_000_000_000L);
        timespec.setLong(8, deadline % 1_000_000_000L);
        LibC.clockNanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, timespec, Pointer.NULL);
    }

    /**
     * Makes the calling thread real-time ({@code SCHED_FIFO} at {@code priority}, 1-99); needs CAP_SYS_NICE.
     *
     * @return errno, 0 when the kernel accepted it
     */
    static int realtime(int priority) {
        if (!LibC.AVAILABLE) {
            return -1;
        }
        Memory param = new Memory(4);
        param.setInt(0, priority);
        try {
            return LibC.schedSetscheduler(0, SCHED_FIFO, param);
        } catch (LastErrorException e) {
            return e.getErrorCode();
        }
    }

    /**
     * Sets the calling thread's nice value (-20..19; below 0 needs CAP_SYS_NICE).
     *
     * @return errno, 0 when the kernel accepted it
     */
    static int nice(int value) {
        if (!LibC.AVAILABLE) {
            return -1;
        }
        try {
            return LibC.setpriority(PRIO_PROCESS, 0, value);
        } catch (LastErrorException e) {
            return e.getErrorCode();
        }
    }
}
