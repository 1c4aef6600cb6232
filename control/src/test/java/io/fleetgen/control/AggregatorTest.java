package io.fleetgen.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetgen.codec.CounterEvent;
import io.fleetgen.codec.Counters;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.Role;
import io.fleetgen.codec.RunState;
import io.fleetgen.codec.RunStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class AggregatorTest {
    private static final long SECOND = 1_000_000_000L;

    static CounterEvent event(String host, String run, Role role, long seq, long t, long sent, long recv,
            RunState state) {
        Counters c = new Counters(sent, sent * 100, 0, recv, recv * 100, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        return new CounterEvent(seq, t, state.isTerminal(), new RunStatus(host, run, role, state,
                ProfileType.CONTINUOUS, "198.18.0.2", c, null, 1000, 0));
    }

    @Test
    void computesRatesBetweenConsecutiveSnapshots() {
        Aggregator a = new Aggregator();
        a.onEvent(event("h1", "r", Role.SENDER, 0, 10 * SECOND, 1000, 0, RunState.RUNNING));
        a.onEvent(event("h1", "r", Role.SENDER, 1, 12 * SECOND, 5000, 0, RunState.RUNNING));
        RunView v = a.run("h1", "r", Role.SENDER);
        assertEquals(2000.0, v.txPps(), 1e-9);
        assertEquals(2000.0 * 100 * 8, v.txBps(), 1e-6);
        assertEquals(5000, v.status().counters().sent());
    }

    /**
     * Events of the same runs taken from several threads at once, in any order: each run still ends at its newest
     * event (the final one), with every event counted.
     */
    @Test
    void eventsTakenAtOnceInAnyOrderLeaveEachRunAtItsNewest() throws Exception {
        Aggregator a = new Aggregator();
        int runs = 20;
        int seqs = 500;
        List<CounterEvent> all = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            for (int q = 1; q <= seqs; q++) {
                all.add(event("h1", "r" + r, Role.SENDER, q, q * SECOND, q * 10L, q, q == seqs ? RunState.FINISHED
                        : RunState.RUNNING));
            }
        }
        Collections.shuffle(all, new Random(7));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (Future<?> f : pool.invokeAll(all.stream()
                    .map(e -> Executors.callable(() -> a.onEvent(e))).toList())) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals((long) runs * seqs, a.eventsTaken());
        for (int r = 0; r < runs; r++) {
            RunStatus s = a.run("h1", "r" + r, Role.SENDER).status();
            assertEquals(RunState.FINISHED, s.state(), "r" + r);
            assertEquals(seqs * 10L, s.counters().sent(), "r" + r);
        }
    }

    @Test
    void ignoresAnEventOlderThanTheOneHeld() {
        Aggregator a = new Aggregator();
        a.onEvent(event("h1", "r", Role.SENDER, 5, 10 * SECOND, 900, 0, RunState.RUNNING));
        a.onEvent(event("h1", "r", Role.SENDER, 4, 11 * SECOND, 100, 0, RunState.RUNNING));
        assertEquals(900, a.run("h1", "r", Role.SENDER).status().counters().sent());
    }

    @Test
    void sumsPerRunAndAcrossTheFleet() {
        Aggregator a = new Aggregator();
        a.onEvent(event("h1", "r", Role.SENDER, 0, SECOND, 10, 0, RunState.RUNNING));
        a.onEvent(event("h2", "r", Role.SENDER, 0, SECOND, 20, 0, RunState.RUNNING));
        a.onEvent(event("h3", "r", Role.RECEIVER, 0, SECOND, 0, 30, RunState.RUNNING));
        a.onEvent(event("h3", "other", Role.RECEIVER, 0, SECOND, 0, 7, RunState.FINISHED));
        assertEquals(30, a.total("r").sent());
        assertEquals(30, a.total("r").recv());
        assertEquals(37, a.fleetTotal().recv());
        assertEquals(4, a.runs().size());
    }

    @Test
    void marksLiveRunsOfALostHostKeepingTheirCounters() {
        Aggregator a = new Aggregator();
        a.onEvent(event("h1", "live", Role.SENDER, 3, SECOND, 1234, 0, RunState.RUNNING));
        a.onEvent(event("h1", "done", Role.SENDER, 9, SECOND, 10, 0, RunState.FINISHED));
        assertEquals(1, a.onHostLost("h1"));
        RunStatus lost = a.run("h1", "live", Role.SENDER).status();
        assertEquals(RunState.LOST, lost.state());
        assertEquals(1234, lost.counters().sent());
        assertEquals(RunState.FINISHED, a.run("h1", "done", Role.SENDER).status().state());
    }
}
