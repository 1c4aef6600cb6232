package io.fleetgen.agent.impl.tx;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's budget of real-time ({@code SCHED_FIFO}) paced transmit threads (issue 15). Such a thread spins up
 * to 40 % of its period before each departure, and more of them than the host has cores to spare take the CPU from
 * every normal thread, the agent's Hazelcast heartbeats first: 31 of them on two vCPUs had members declared dead. A
 * paced thread beyond the budget runs as a normal thread (at the fast threads' nice value). A thread takes one slot
 * or, when it is busy most of its period, several ({@link PacingPolicy#slotsAt}). Thread-safe.
 */
public final class RealtimeSlots {
    private final int max;
    private final AtomicInteger held = new AtomicInteger();

    /** @param max real-time paced threads at once, 0-1024 (0: none) */
    public RealtimeSlots(int max) {
        if (max < 0 || max > 1024) {
            throw new IllegalArgumentException("max-realtime-threads: " + max + " (expected: 0-1024)");
        }
        this.max = max;
    }

    /**
     * The default budget: two per core. Each spins at most 40 % of its period, so together they can take at most 80 %
     * of the host, and the kernel's real-time throttling keeps 5 % for the rest in any case; four paced runs on two
     * cores (issue 17's measurements) all stay real-time.
     */
    public static int defaultMax() {
        return 2 * Runtime.getRuntime().availableProcessors();
    }

    /** Takes {@code n} slots if that many are free, else none. */
    boolean tryAcquire(int n) {
        for (;;) {
            int h = held.get();
            if (h + n > max) {
                return false;
            }
            if (held.compareAndSet(h, h + n)) {
                return true;
            }
        }
    }

    /** Gives back the {@code n} slots {@link #tryAcquire(int)} took. */
    void release(int n) {
        held.addAndGet(-n);
    }

    /** Slots held now. */
    public int held() {
        return held.get();
    }

    public int max() {
        return max;
    }
}
