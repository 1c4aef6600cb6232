package io.fleetgen.agent.impl.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.agent.impl.count.CounterCell;
import io.fleetgen.codec.Counters;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.Role;
import io.fleetgen.codec.RunState;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.codec.StreamSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A run's status read while its threads count and end: the total is the sum of the streams in every status, and a
 * status that says the run ended holds its final counts (FlowsIT once saw a FINISHED sender whose streams summed to
 * 11,999 of its 12,000: the streams had been read before the state).
 */
class RunStatusTest {
    private static final int STREAMS = 3;
    private static final long PER_STREAM = 200_000;

    /** Three streams, each a thread publishing 1, 2, ... {@link #PER_STREAM} packets one at a time. */
    private static final class CountingRun extends Run {
        private final CounterCell[] cells;

        CountingRun() {
            super("h1", "r", Role.SENDER, ProfileSpec.builder(ProfileType.CONTINUOUS, StreamSpec.fromSeed(
                    Map.of("proto", "udp", "dst", "198.18.0.2", "dport", 9000))).build());
            cells = streamCells(STREAMS);
        }

        @Override
        public void prepare() {
        }

        @Override
        protected List<Thread> threads() {
            List<Thread> ts = new ArrayList<>();
            for (CounterCell c : cells) {
                ts.add(new Thread(() -> {
                    for (long n = 1; n <= PER_STREAM; n++) {
                        c.publishTx(n, n * 60, 0, 0);
                    }
                }, "count"));
            }
            return ts;
        }

        @Override
        protected void signalStop() {
        }

        @Override
        protected String threadError() {
            return null;
        }

        @Override
        protected boolean completed() {
            return true;
        }

        @Override
        protected void release() {
        }
    }

    @Test
    void everyStatusAddsUpAndAnEndedOneIsFinal() throws Exception {
        for (int round = 0; round < 20; round++) {
            CountingRun run = new CountingRun();
            CountDownLatch ended = new CountDownLatch(1);
            run.launch(r -> ended.countDown());
            long seen = 0;
            RunStatus s;
            do {
                s = run.status();
                long sum = s.streams().stream().mapToLong(Counters::sent).sum();
                assertEquals(s.counters().sent(), sum, "the total is the sum of the streams: " + s);
                assertTrue(s.counters().sent() >= seen, "totals only grow");
                seen = s.counters().sent();
            } while (!s.state().isTerminal());
            assertEquals(RunState.FINISHED, s.state());
            assertEquals(STREAMS * PER_STREAM, s.counters().sent(), "the first ended status holds the final counts");
            for (Counters c : s.streams()) {
                assertEquals(PER_STREAM, c.sent());
            }
            assertTrue(s.endedAtMillis() > 0, "an ended status says when");
            assertTrue(ended.await(10, TimeUnit.SECONDS));
        }
    }
}
