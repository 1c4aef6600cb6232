package io.fleetgen.agent.impl.tx;

import java.util.function.BooleanSupplier;

/**
 * Spaces departures evenly at a rate: packet {@code i} is due at {@code t0 + i / pps}, an absolute schedule, so a
 * packet a little late does not shift the ones after it and the long-run rate is exact (issue 17).
 *
 * <ul>
 *   <li>A late packet is caught up at twice the rate at most: no two departures closer than half a period, so no
 *       interval of {@code 1/pps} ever holds more than two packets (a policer or shaper under test sees no burst);
 *       and a packet leaves at least a period after the send of the one two before it returned ({@link #departed}).
 *       Batched sending (above 150 kpps) is bursty by nature, and catches up as fast as it can.
 *   <li>A stall longer than the catch-up allowance (2 periods, at least 200 us; 10 ms when batched: the transmit
 *       thread preempted, a JVM pause) is not caught up beyond it: the schedule moves by the excess and the whole
 *       periods lost are counted as skipped departures ({@link #skipped()}), which the run's counters report.
 *   <li>No departure at or after the deadline: a Continuous run of {@code duration=D} at {@code pps=P} sends
 *       {@code P * D} packets, less those skipped.
 * </ul>
 *
 * <p>Sleeps to an absolute deadline ({@code clock_nanosleep}, {@link ThreadTiming}) and spins the last stretch before
 * a departure, waking at least every 10 ms to see a stop. The stretch is learnt: a sleep ends late by the timer's
 * and the scheduler's wake-up latency (on this project's VM 14-24 us typically, 25-47 us at the 99th percentile), so
 * the pacer tracks a high quantile of its own sleeps' overshoot and spins that long, between {@code spinNanos} and
 * 40 % of a period (a paced thread's CPU share stays below half a core) or 400 us, whichever is less (10 us at most
 * for a slow thread that does not run real-time: {@link PacingPolicy#spinCapAt}). A rate of 0 never waits.
 */
final class Pacer {
    /** The longest single sleep, so that a stop is seen within it at any rate. */
    private static final long MAX_SLEEP_NANOS = 10_000_000;
    /**
     * The longest spin, whatever the rate: a loaded host's wake-ups are late by milliseconds, and a hundred slow
     * paced threads each spinning that long per departure starved the host's other threads (issue 15: Hazelcast's
     * heartbeats, so agents were taken for dead). Five times this VM's 99.9th percentile of wake-up lateness.
     */
    static final long MAX_SPIN_NANOS = 400_000;
    /**
     * The longest spin of a slow paced thread (at most 10 kpps by default) that does not run real-time (beyond the
     * agent's real-time budget, or with {@code --pacing-priority 0}), below the 20 us spin window too: preempted
     * whenever the host is busy, it gains nothing measurable by spinning longer, and each spin is CPU the other
     * paced threads and the cluster need. At 400 us of each 1 ms period fifteen 1 kpps runs asked six cores of two
     * (issue 15's broadcast start at 16 agents); at 50 us thirty cost their agent 1.38 cores, at 10 us 0.79, with
     * the same spacing at 1 kpps alone, and four 10 kpps runs on two cores each sent 3-10 % more of their schedule
     * (bench/pacing.sh).
     */
    static final long NORMAL_MAX_SPIN_NANOS = 10_000;
    /**
     * The longest spin of a fast thread (above 10 kpps by default), never real-time: it spins most of its period by
     * design, between the spin window and 40 % of the period, and this bound is above both.
     */
    static final long FAST_MAX_SPIN_NANOS = 50_000;
    /** Lateness caught up at any rate (at high rates a system call alone can take a few periods). */
    private static final long CATCH_UP_NANOS = 200_000;
    /** Lateness caught up when sending in batches (bursts by nature): the rate matters more there. */
    private static final long BATCHED_CATCH_UP_NANOS = 10_000_000;

    private final double periodNanos;
    private final long minGapNanos;
    private final long catchUpNanos;
    private final long t0;
    private final long deadline;
    private final long minSpinNanos;
    private final long maxSpinNanos;
    /** A high quantile (~99th percentile) of how late a sleep ends, ns. */
    private double overshootNanos;
    private final Clock clock;
    /** Whole periods stalls have moved the schedule: the departures skipped. */
    private long skippedPeriods;
    private long last = Long.MIN_VALUE / 2;
    /** When the sends of the previous two frames returned ({@link #departed}): the older, and the newer. */
    private long sentBefore = Long.MIN_VALUE / 2;
    private long sentLast = Long.MIN_VALUE / 2;

    /**
     * @param deadline no departure at or after it ({@link System#nanoTime()} units)
     * @param spinNanos the shortest stretch before a departure that the thread spins
     * @param batch frames sent per system call (late and bursty by design when more than one)
     */
    Pacer(double pps, long t0, long deadline, long spinNanos, int batch, Clock clock) {
        this(pps, t0, deadline, spinNanos, batch, clock, MAX_SPIN_NANOS);
    }

    /** @param spinCapNanos the longest spin whatever the rate ({@link #MAX_SPIN_NANOS} for a real-time thread) */
    Pacer(double pps, long t0, long deadline, long spinNanos, int batch, Clock clock, long spinCapNanos) {
        this.periodNanos = pps > 0 ? 1e9 / pps : 0;
        // Frames of a batch leave together whatever their spacing: the half-period gap binds single frames only.
        this.minGapNanos = batch > 1 ? 0 : (long) (periodNanos / 2);
        this.catchUpNanos = batch > 1 ? BATCHED_CATCH_UP_NANOS
                : Math.max(CATCH_UP_NANOS, (long) (2 * periodNanos));
        this.t0 = t0;
        this.deadline = deadline;
        this.minSpinNanos = Math.min(spinNanos, spinCapNanos);
        this.maxSpinNanos = Math.max(minSpinNanos, Math.min(spinCapNanos, (long) (periodNanos * 0.4)));
        this.overshootNanos = minSpinNanos;
        this.clock = clock;
    }

    /**
     * Waits until packet {@code i} may leave; false when {@code stop} says so or the packet would leave at or
     * after the deadline.
     */
    boolean await(long i, BooleanSupplier stop) {
        if (periodNanos == 0) {
            return !stop.getAsBoolean();
        }
        long due = scheduled(i);
        if (due - deadline >= 0) {
            return false;
        }
        long target = Math.max(Math.max(due, last + minGapNanos), pairGapTarget());
        for (;;) {
            if (stop.getAsBoolean()) {
                return false;
            }
            long now = clock.now();
            long left = target - now;
            if (left <= 0) {
                skipBehind(i + 1, now);
                last = now;
                return true;
            }
            long spin = spinNanos();
            if (left - spin > 2 * MAX_SLEEP_NANOS) {
                // A slow run: one wait that a stop ends, then the precise sleep for the last stretch (a run at
                // 2 pps woke 50 times per departure in 10 ms sleeps: ~1.5 ms of CPU a second per run).
                clock.park(target - spin - MAX_SLEEP_NANOS);
                continue;
            }
            if (left > spin) {
                long wake = now + Math.min(left - spin, MAX_SLEEP_NANOS);
                clock.sleepUntil(wake);
                learn(clock.now() - wake);
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * Tells the pacer that the frame {@link #await} let go has left (its send returned). A frame then leaves no
     * sooner than a period after the send of the frame two before it returned, so no interval of 1/pps holds three
     * even when a send was held up after its wait (the thread preempted while patching or in the kernel): with the
     * half-period gap alone, counted from the waits' ends, three frames fell within one 1/pps at the receiver after
     * stalls at 10 kpps (issue 17). Counting the half-period gap itself from the send's return instead cost the
     * catch-up at 100 kpps, where a send on a veth pair takes half a period (skipped departures rose tenfold).
     */
    void departed() {
        if (minGapNanos != 0) {
            sentBefore = sentLast;
            sentLast = clock.now();
        }
    }

    /** A frame leaves no sooner than a period after the send of the frame two before it returned. */
    private long pairGapTarget() {
        return minGapNanos == 0 ? Long.MIN_VALUE : sentBefore + (long) periodNanos;
    }

    /** {@link #plan}'s answer when no packet may leave before the deadline. */
    static final long NONE = Long.MIN_VALUE;

    /** When packet {@code i} is due by the schedule as it stands (no waiting, no change). */
    long scheduled(long i) {
        return t0 + (long) ((i + skippedPeriods) * periodNanos);
    }

    /**
     * Skips whole periods so that packet {@code i} is due no more than the catch-up allowance before {@code now},
     * counting only departures before the deadline: sent + skipped is exactly the schedule's count.
     */
    private void skipBehind(long i, long now) {
        long due = scheduled(i);
        long late = now - due;
        if (late <= catchUpNanos || due - deadline >= 0) {
            return;
        }
        long k = (long) Math.ceil((late - catchUpNanos) / periodNanos);
        long beforeDeadline = (long) Math.ceil((deadline - due) / periodNanos);
        skippedPeriods += Math.min(k, beforeDeadline);
    }

    /**
     * When packet {@code i} leaves, for a sender the kernel times ({@link TimedSink}: the frame is queued ahead and
     * leaves then): the schedule's time, at least half a period after the previous one, and not before now. The
     * rules of {@link #await} hold without waiting: a stall that left the time more than the catch-up allowance in
     * the past moves the schedule (the periods lost are skipped). {@link #NONE} when due at or after the deadline.
     */
    long plan(long i) {
        long now = clock.now();
        skipBehind(i, now);
        long due = scheduled(i);
        if (due - deadline >= 0) {
            return NONE;
        }
        // A time in the past leaves when queued: now, so that the half-period gap holds from there.
        long t = Math.max(Math.max(due, last + minGapNanos), now);
        last = t;
        return t;
    }

    /** Moves the overshoot estimate up fast (a tenth of the excess) and down slowly (a thousandth). */
    private void learn(long overshoot) {
        overshootNanos += overshoot > overshootNanos ? 0.1 * (overshoot - overshootNanos)
                : 0.001 * (overshoot - overshootNanos);
    }

    /** Nanoseconds the pacer now spins before a departure. */
    long spinNanos() {
        return Math.max(minSpinNanos, Math.min(maxSpinNanos, (long) overshootNanos));
    }

    /** The transmit thread's clock: {@link ThreadTiming}, or a simulated one in tests. */
    interface Clock {
        /** Now, in {@link System#nanoTime()} units. */
        long now();

        /** Sleeps until {@code deadline} or a little later. */
        void sleepUntil(long deadline);

        /**
         * Waits until {@code deadline}, less precisely, or until the thread is unparked (its loop was asked to
         * stop), or spuriously; for long waits.
         */
        default void park(long deadline) {
            sleepUntil(deadline);
        }

        /** Whether the calling thread runs real-time ({@link #prepare} got it a slot). */
        default boolean realtime() {
            return true;
        }

        /** Readies the calling thread to keep a schedule of {@code pps} (precise timers, its scheduling class). */
        default void prepare(double pps, PacingPolicy policy) {
        }

        /** Gives back what {@link #prepare} took from the agent (a real-time slot); the thread is about to end. */
        default void release() {
        }
    }

    /** Departures skipped after stalls so far: whole periods the schedule moved. */
    long skipped() {
        return skippedPeriods;
    }
}
