package io.fleetgen.control;

import io.fleetgen.codec.CounterEvent;
import io.fleetgen.codec.Counters;
import io.fleetgen.codec.RunState;
import io.fleetgen.codec.RunStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Consumes the agents' counter events: keeps the latest snapshot per (host, run, role), the rates between the
 * last two, and sums per run and across the fleet. Marks the live runs of an agent that left the cluster
 * {@link RunState#LOST}, keeping their last counters. Thread-safe: events arrive on an event loop, queries
 * come from anywhere.
 */
public final class Aggregator {
    private final java.util.concurrent.atomic.LongAdder taken = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.AtomicLong maxDelayNanos = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong maxWaitMillis = new java.util.concurrent.atomic.AtomicLong();
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private static final class Entry {
        final RunView view;
        final long seq;
        /** This control's clock when the entry last changed. */
        final long changedAtMillis = System.currentTimeMillis();

        Entry(RunView view, long seq) {
            this.view = view;
            this.seq = seq;
        }
    }

    private static String key(RunStatus s) {
        return s.host() + "/" + s.name() + "/" + s.role();
    }

    /** Takes one event; an event older than the one held (by sequence) is ignored. */
    public void onEvent(CounterEvent e) {
        onEvent(e, System.currentTimeMillis());
    }

    /**
     * Takes one event that reached this control at {@code arrivedMillis} (its clock); the time since then is what
     * the event waited inside this control, reported by {@link #takeMaxWaitMillis()}.
     */
    public void onEvent(CounterEvent e, long arrivedMillis) {
        taken.increment();
        long now = System.currentTimeMillis();
        maxDelayNanos.accumulateAndGet(now * 1_000_000L - e.timeNanos(), Math::max);
        maxWaitMillis.accumulateAndGet(now - arrivedMillis, Math::max);
        entries.compute(key(e.status()), (k, old) -> {
            if (old != null && e.seq() <= old.seq && !(e.last() && old.view.status().state() == RunState.LOST)) {
                return old;
            }
            if (old == null || old.view.status().startedAtMillis() != e.status().startedAtMillis()) {
                return new Entry(new RunView(e.status(), 0, 0, 0, 0, e.timeNanos()), e.seq());
            }
            double dt = (e.timeNanos() - old.view.updatedAtNanos()) / 1e9;
            Counters c = e.status().counters();
            Counters p = old.view.status().counters();
            RunView v = dt <= 0 ? new RunView(e.status(), 0, 0, 0, 0, e.timeNanos())
                    : new RunView(e.status(), (c.sent() - p.sent()) / dt, (c.recv() - p.recv()) / dt,
                    (c.sentBytes() - p.sentBytes()) * 8 / dt, (c.recvBytes() - p.recvBytes()) * 8 / dt,
                    e.timeNanos());
            return new Entry(v, e.seq());
        });
    }

    /** Counter events taken since this control joined. */
    public long eventsTaken() {
        return taken.sum();
    }

    /** The largest delay from an agent's snapshot to its event being taken since the last call, ns (ms precision). */
    public long takeMaxLagNanos() {
        return maxDelayNanos.getAndSet(0);
    }

    /** The longest an event waited inside this control (from its arrival to being taken) since the last call. */
    public long takeMaxWaitMillis() {
        return maxWaitMillis.getAndSet(0);
    }

    /** Marks every live run of the host lost; returns how many. */
    public int onHostLost(String hostId) {
        int n = 0;
        for (Map.Entry<String, Entry> me : entries.entrySet()) {
            RunStatus s = me.getValue().view.status();
            if (s.host().equals(hostId) && !s.state().isTerminal()) {
                me.setValue(new Entry(me.getValue().view.withStatus(s.withState(RunState.LOST,
                        hostId + " left the cluster mid-run")), me.getValue().seq));
                n++;
            }
        }
        return n;
    }

    /**
     * Forgets the ended (and lost) runs that have not changed for {@code ttlMillis}, so that a long-lived control
     * holds only recent history. Returns how many it forgot.
     */
    public int forgetEnded(long ttlMillis) {
        long cutoff = System.currentTimeMillis() - ttlMillis;
        int before = entries.size();
        entries.values().removeIf(e -> e.view.status().state().isTerminal() && e.changedAtMillis < cutoff);
        return before - entries.size();
    }

    /** Every run seen, sorted by run name, host and role. */
    public List<RunView> runs() {
        List<RunView> out = new ArrayList<>();
        entries.values().forEach(e -> out.add(e.view));
        out.sort(Comparator.comparing((RunView v) -> v.status().name()).thenComparing(v -> v.status().host())
                .thenComparing(v -> v.status().role()));
        return out;
    }

    /** The latest view of one run on one host, or {@code null}. */
    public RunView run(String host, String name, io.fleetgen.codec.Role role) {
        Entry e = entries.get(host + "/" + name + "/" + role);
        return e == null ? null : e.view;
    }

    /** The sum of one run's counters across hosts and roles. */
    public Counters total(String name) {
        Counters c = Counters.ZERO;
        for (Entry e : entries.values()) {
            if (e.view.status().name().equals(name)) {
                c = c.plus(e.view.status().counters());
            }
        }
        return c;
    }

    /** The sum of every run's counters. */
    public Counters fleetTotal() {
        Counters c = Counters.ZERO;
        for (Entry e : entries.values()) {
            c = c.plus(e.view.status().counters());
        }
        return c;
    }
}
