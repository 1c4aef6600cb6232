package io.fleetgen.agent.impl.tx;

import io.fleetgen.agent.AgentOptions;
import io.fleetgen.agent.impl.sys.CpuLatency;
import io.fleetgen.agent.impl.sys.Threads;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * How a paced transmit thread keeps its schedule (issue 17), from the agent's configuration.
 *
 * <p>A thread whose period is at least {@value #REALTIME_MIN_PERIOD_SPINS} spin windows long (at most 25 kpps with
 * the default 20 us window) runs {@code SCHED_FIFO} at {@code realtimePriority}, within the agent's budget: it
 * sleeps between departures, and when it wakes it preempts the agent's other threads (Hazelcast, Vert.x, the
 * capture), whose preemption was what delayed departures by milliseconds. A thread faster than 10 kpps (a period
 * shorter than {@value #ONE_SLOT_PERIOD_SPINS} spin windows) is busy most of its period and takes
 * {@value #FAST_SLOTS} slots of the budget (two per core): one such thread per two cores. (On 2026-11-28 the
 * real-time bound was lowered to 10 kpps because four 25 kpps real-time threads on two vCPUs, one per agent of a
 * 4-agent lab, took the cores from every other thread and the soak's runs did not start; a single 14 kpps run then
 * lost more than 1 % of its rate to stalls on a busy host, FlowsIT's IMIX. Agents packed several to a few cores
 * run with {@code --pacing-priority 0}, as the soak and scale benches do.) A faster thread spins nearly all the
 * time, and a real-time thread that spins all the time is stopped by the kernel's real-time throttling for 50 ms
 * every second; it stays a normal thread at {@code fastNice}. Either needs CAP_SYS_NICE; without it the thread
 * runs as it is, once logged.
 *
 * <p>With {@code kernelTimed} (off by default) a paced thread up to 25 kpps queues its frames ahead through io_uring
 * and the kernel's timers send them ({@link TimedSink}); it waits in the kernel and never spins, and no JVM stall
 * shorter than its 20 ms lead moves a departure. Off by default because on this project's VM a timer that fires
 * late (the idle vCPU's wake-up) releases every frame due meanwhile at once, 4-25 in an interval of 1/pps, where a
 * self-paced thread skips and counts what it cannot catch up at twice the rate (docs/PERFORMANCE.md, issue 17).
 * Where io_uring is not offered, threads pace themselves as above.
 *
 * @param realtimePriority SCHED_FIFO priority (1-99) for slow paced threads; 0: none
 * @param fastNice nice value (-20..0) for fast paced threads; 0: unchanged
 * @param spinNanos how long before a departure a paced thread stops sleeping and spins
 * @param kernelTimed whether paced threads let the kernel time their departures where it can
 * <p>While any paced thread runs, the agent asks the kernel for prompt CPU wake-ups ({@link CpuLatency}, 0 us by
 * default: idle CPUs poll rather than halt, so a timer that ends a paced thread's sleep is not late by the CPU's
 * wake-up).
 *
 * @param realtimeSlots how many paced threads may run real-time at once, agent-wide ({@link RealtimeSlots})
 * @param cpuLatency the agent's CPU wake-up latency request, held while paced threads run
 */
public record PacingPolicy(int realtimePriority, int fastNice, long spinNanos, boolean kernelTimed,
        RealtimeSlots realtimeSlots, CpuLatency cpuLatency) {
    /** The agent's defaults: FIFO 10, nice -10, a 20 us spin window, self-paced (not kernel-timed) departures. */
    public static final PacingPolicy DEFAULT = new PacingPolicy(10, -10, 20_000, false);
    static final int REALTIME_MIN_PERIOD_SPINS = 2;
    /** A real-time thread whose period is shorter than this many spin windows takes {@link #FAST_SLOTS} slots. */
    static final int ONE_SLOT_PERIOD_SPINS = 5;
    static final int FAST_SLOTS = 4;
    private static final Logger LOG = Logger.getLogger(PacingPolicy.class.getName());
    private static final AtomicBoolean REFUSAL_LOGGED = new AtomicBoolean();
    private static final AtomicBoolean BUDGET_LOGGED = new AtomicBoolean();

    /**
     * A policy with the default real-time budget ({@link RealtimeSlots#defaultMax()}) of its own and no CPU latency
     * request.
     */
    public PacingPolicy(int realtimePriority, int fastNice, long spinNanos, boolean kernelTimed) {
        this(realtimePriority, fastNice, spinNanos, kernelTimed, new RealtimeSlots(RealtimeSlots.defaultMax()));
    }

    /** A policy with no CPU latency request. */
    public PacingPolicy(int realtimePriority, int fastNice, long spinNanos, boolean kernelTimed,
            RealtimeSlots realtimeSlots) {
        this(realtimePriority, fastNice, spinNanos, kernelTimed, realtimeSlots, CpuLatency.none());
    }

    /** The agent's policy from its options; the agent's own real-time budget and CPU latency request. */
    public static PacingPolicy of(AgentOptions o) {
        return new PacingPolicy(o.getPacingPriority(), o.getPacingNice(), DEFAULT.spinNanos(), o.isKernelPacing(),
                new RealtimeSlots(o.getMaxRealtimeThreads()),
                new CpuLatency(CpuLatency.DEVICE, o.getPacingCpuLatencyMicros()));
    }

    public PacingPolicy {
        if (realtimePriority < 0 || realtimePriority > 99) {
            throw new IllegalArgumentException("pacing-priority: " + realtimePriority + " (expected: 0-99)");
        }
        if (fastNice < -20 || fastNice > 0) {
            throw new IllegalArgumentException("pacing-nice: " + fastNice + " (expected: -20..0)");
        }
    }

    /** Whether a thread at {@code pps} runs real-time under this policy. */
    boolean realtimeAt(double pps) {
        return realtimePriority > 0 && pps > 0 && 1e9 / pps >= REALTIME_MIN_PERIOD_SPINS * spinNanos;
    }

    /**
     * The longest a thread at {@code pps} spins before a departure: {@link Pacer#MAX_SPIN_NANOS} when it runs
     * real-time, {@link Pacer#NORMAL_MAX_SPIN_NANOS} when it is a slow thread that does not (beyond the budget, or
     * no real-time priority), {@link Pacer#FAST_MAX_SPIN_NANOS} for a fast one.
     */
    long spinCapAt(double pps, boolean realtime) {
        if (realtime) {
            return Pacer.MAX_SPIN_NANOS;
        }
        return pps > 0 && slotsAt(pps) == FAST_SLOTS ? Pacer.FAST_MAX_SPIN_NANOS : Pacer.NORMAL_MAX_SPIN_NANOS;
    }

    /** Slots of the real-time budget a thread at {@code pps} takes: one, or {@link #FAST_SLOTS} above 10 kpps. */
    int slotsAt(double pps) {
        return 1e9 / pps >= ONE_SLOT_PERIOD_SPINS * spinNanos ? 1 : FAST_SLOTS;
    }

    /**
     * Sets the calling transmit thread's scheduling for a paced rate; a refusal is logged once per agent. Returns the
     * slots of the agent's real-time budget the thread now holds, 0 when it does not run real-time: it gives them
     * back with {@link #release(int)}.
     */
    int apply(double pps) {
        if (pps <= 0) {
            return 0;
        }
        int errno;
        String what;
        boolean realtime = realtimeAt(pps);
        int slots = realtime ? slotsAt(pps) : 0;
        if (realtime && realtimeSlots.tryAcquire(slots)) {
            errno = Threads.realtime(realtimePriority);
            what = "SCHED_FIFO " + realtimePriority;
            if (errno != 0) {
                realtimeSlots.release(slots);
            }
        } else if (fastNice < 0) {
            if (realtime && BUDGET_LOGGED.compareAndSet(false, true)) {
                LOG.info("pacing: the real-time budget (--max-realtime-threads " + realtimeSlots.max()
                        + ") is taken; further paced threads run at nice " + fastNice);
            }
            errno = Threads.nice(fastNice);
            what = "nice " + fastNice;
            realtime = false;
        } else {
            return 0;
        }
        if (errno != 0 && REFUSAL_LOGGED.compareAndSet(false, true)) {
            LOG.warning("pacing: the kernel refused " + what + " for paced transmit threads (errno " + errno
                    + "; it needs CAP_SYS_NICE): departures may be late when other threads preempt them");
        }
        return realtime && errno == 0 ? slots : 0;
    }

    /** Gives back the real-time slots a thread's {@link #apply} took. */
    void release(int slots) {
        realtimeSlots.release(slots);
    }
}
