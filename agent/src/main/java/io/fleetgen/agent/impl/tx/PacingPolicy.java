package io.fleetgen.agent.impl.tx;

import io.fleetgen.agent.AgentOptions;
import io.fleetgen.agent.impl.sys.CpuLatency;
import io.fleetgen.agent.impl.sys.Threads;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * How a paced transmit thread keeps its schedule (issue 17), from the agent's configuration.
 *
 * <p>A thread whose period is at least {@value #REALTIME_MIN_PERIOD_SPINS} spin windows long (at most 10 kpps with
 * the default 20 us window) runs {@code SCHED_FIFO} at {@code realtimePriority}:
 * it sleeps between departures, and
 * when it wakes it preempts the agent's other threads (Hazelcast, Vert.x, the capture), whose preemption was what
 * delayed departures by milliseconds. A faster thread spins nearly all the time, and a real-time thread that spins
 * all the time is stopped by the kernel's real-time throttling for 50 ms every second; it stays a normal thread at
 * {@code fastNice}. (Up to 25 kpps until 2026-11-28: four 25 kpps runs on two vCPUs, all real-time within the
 * budget, took the cores from every other thread of the lab for tens of seconds, and the soak's runs did not start.
 * Earlier still: four 25 kpps runs on two cores spun half of each core real-time and
 * starved the agents' Hazelcast and Vert.x threads until commands timed out, issue 15's soak.) Either needs
 * CAP_SYS_NICE; without it the thread runs as it is, once logged.
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
    static final int REALTIME_MIN_PERIOD_SPINS = 5;
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
     * Sets the calling transmit thread's scheduling for a paced rate; a refusal is logged once per agent. True when
     * the thread now runs real-time and holds one of the agent's slots: it gives it back with {@link #release()}.
     */
    boolean apply(double pps) {
        if (pps <= 0) {
            return false;
        }
        int errno;
        String what;
        boolean realtime = realtimeAt(pps);
        if (realtime && realtimeSlots.tryAcquire()) {
            errno = Threads.realtime(realtimePriority);
            what = "SCHED_FIFO " + realtimePriority;
            if (errno != 0) {
                realtimeSlots.release();
            }
        } else if (fastNice < 0) {
            if (realtime && BUDGET_LOGGED.compareAndSet(false, true)) {
                LOG.info("pacing: " + realtimeSlots.max() + " paced threads already run SCHED_FIFO "
                        + "(--max-realtime-threads); further ones run at nice " + fastNice);
            }
            errno = Threads.nice(fastNice);
            what = "nice " + fastNice;
            realtime = false;
        } else {
            return false;
        }
        if (errno != 0 && REFUSAL_LOGGED.compareAndSet(false, true)) {
            LOG.warning("pacing: the kernel refused " + what + " for paced transmit threads (errno " + errno
                    + "; it needs CAP_SYS_NICE): departures may be late when other threads preempt them");
        }
        return realtime && errno == 0;
    }

    /** Gives back the real-time slot a thread's {@link #apply} took. */
    void release() {
        realtimeSlots.release();
    }
}
