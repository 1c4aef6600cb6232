package io.fleetgen.agent.impl.run;

import io.fleetgen.agent.impl.count.CounterCell;
import io.fleetgen.codec.Counters;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.Role;
import io.fleetgen.codec.RunState;
import io.fleetgen.codec.RunStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One sender or receiver on this agent: prepared off the event loop ({@link #prepare()}: route, pcap, socket),
 * then run on its own named threads ({@link #launch}); it ends by itself (count, timeout, deadline), on
 * {@link #stop()}, or on an error, and then calls back once with its final state.
 */
public abstract class Run {
    private final String host;
    private final String name;
    private final Role role;
    private final ProfileSpec profile;
    private volatile long startedAt = System.currentTimeMillis();
    private final List<CounterCell> cells = new ArrayList<>();
    /** Where in {@link #cells} each stream's cell is, for a run of several streams; empty otherwise. */
    private final List<Integer> perStream = new ArrayList<>();
    private final AtomicInteger liveThreads = new AtomicInteger();
    private volatile RunState state = RunState.STARTING;
    private volatile String error;
    private volatile long endedAt;
    private volatile boolean stopRequested;
    private long eventSeq;

    protected Run(String host, String name, Role role, ProfileSpec profile) {
        this.host = host;
        this.name = name;
        this.role = role;
        this.profile = profile;
    }

    public final String name() {
        return name;
    }

    /** The host id of the agent running it. */
    public final String host() {
        return host;
    }

    public final Role role() {
        return role;
    }

    public final ProfileSpec profile() {
        return profile;
    }

    public final RunState state() {
        return state;
    }

    /** Whether the run is starting or running (its name is taken). */
    public final boolean live() {
        return !state.isTerminal();
    }

    /** The next counter-event sequence number; event-loop only. */
    public final long nextEventSeq() {
        return eventSeq++;
    }

    /** Opens what the run needs; blocking. */
    public abstract void prepare() throws Exception;

    /** Creates the run's threads (not started), each counting into its own cell. */
    protected abstract List<Thread> threads();

    /** Signals the run's threads to end. */
    protected abstract void signalStop();

    /** An error a thread ended with, or {@code null}. */
    protected abstract String threadError();

    /** Whether the run ended by itself having done all it was asked. */
    protected abstract boolean completed();

    /** Releases what {@link #prepare()} opened and the threads do not own. */
    protected abstract void release();

    /** A new counter cell for one writer thread. */
    protected final CounterCell newCell() {
        CounterCell c = new CounterCell();
        cells.add(c);
        return c;
    }

    /** {@code n} new cells, one per stream of the run, reported apart in its status (and summed in its total). */
    protected final CounterCell[] streamCells(int n) {
        CounterCell[] per = new CounterCell[n];
        for (int i = 0; i < n; i++) {
            per[i] = newCell();
            perStream.add(cells.size() - 1);
        }
        return per;
    }

    /** Starts the threads; {@code onEnd} runs once, on the last thread, when all have ended. */
    public final void launch(Consumer<Run> onEnd) {
        List<Thread> ts = threads();
        liveThreads.set(ts.size());
        startedAt = System.currentTimeMillis();
        state = RunState.RUNNING;
        for (Thread t : ts) {
            Thread w = new Thread(() -> {
                try {
                    t.run();
                } finally {
                    if (liveThreads.decrementAndGet() == 0) {
                        end(onEnd);
                    }
                }
            }, t.getName());
            w.setDaemon(true);
            w.start();
        }
    }

    private void end(Consumer<Run> onEnd) {
        release();
        String e = threadError();
        endedAt = System.currentTimeMillis();
        if (e != null) {
            error = e;
            state = RunState.FAILED;
        } else {
            state = stopRequested && !completed() ? RunState.STOPPED : RunState.FINISHED;
        }
        onEnd.accept(this);
    }

    /** Asks the run to end; its end callback reports the final state. */
    public final void stop() {
        stopRequested = true;
        signalStop();
    }

    /** Marks a run that failed before launch. */
    public final void fail(String message) {
        error = message;
        endedAt = System.currentTimeMillis();
        state = RunState.FAILED;
        release();
    }

    /**
     * The sum of every cell: one consistent snapshot (issue 12). Cells are read newest first, so a sender's
     * replies (its last cell) are read before its transmit totals; a reply whose request's batch the transmit
     * thread has not yet published is held back while the run is live (replies never exceed what was sent), and
     * every total only grows. The final snapshot, taken after every thread ended, is exact.
     */
    public final Counters counters() {
        RunState now = state;
        return total(now, snapshots());
    }

    /**
     * The run's status now. The state is read first: a run seen ended has every thread's last counts published
     * (each thread publishes before it ends, and the state is written after the last one has), so its counters and
     * its streams are final. The total and the streams come from one snapshot of each cell, so that they agree
     * (a sender's total is the sum of its streams) even while the run is live.
     */
    public final RunStatus status() {
        RunState now = state;
        Counters[] snaps = snapshots();
        String target = role == Role.SENDER ? profile.stream().dstText() : profile.listenerText();
        List<Counters> streams = new ArrayList<>(perStream.size());
        perStream.forEach(i -> streams.add(snaps[i]));
        return new RunStatus(host, name, role, now, profile.type(), target, total(now, snaps),
                error, startedAt, now.isTerminal() ? endedAt : 0, streams);
    }

    /** A snapshot of every cell, newest first (see {@link #counters()}), indexed as {@link #cells}. */
    private Counters[] snapshots() {
        Counters[] snaps = new Counters[cells.size()];
        for (int i = snaps.length - 1; i >= 0; i--) {
            snaps[i] = cells.get(i).snapshot();
        }
        return snaps;
    }

    private Counters total(RunState now, Counters[] snaps) {
        Counters c = Counters.ZERO;
        for (int i = snaps.length - 1; i >= 0; i--) {
            c = c.plus(snaps[i]);
        }
        if (role == Role.SENDER && !now.isTerminal() && c.recv() > c.sent()) {
            c = c.withRecv(c.sent());
        }
        return c;
    }
}
