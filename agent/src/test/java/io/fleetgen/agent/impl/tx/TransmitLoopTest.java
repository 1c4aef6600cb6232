package io.fleetgen.agent.impl.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.agent.frame.Checksums;
import io.fleetgen.agent.frame.FrameBuilder;
import io.fleetgen.agent.frame.FrameTemplate;
import io.fleetgen.agent.impl.count.CounterCell;
import io.fleetgen.codec.Counters;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.StreamSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The transmit loop's sequencing for every profile type, without root or a socket: frames go to a recording sink,
 * time is {@link PacerTest.SimClock}'s. What each packet carries (signature sequence, IP id, source port, size), when
 * it leaves, and what the counters say.
 */
class TransmitLoopTest {
    private static final byte[] MAC = {2, 0, 0, 0, 0, 1};
    private static final long MS = 1_000_000L;
    private static final long LONG_LIFE = 3_600_000 * MS;
    private static final StreamSpec UDP = StreamSpec.fromSeed(Map.of("proto", "udp", "src", "198.18.0.1", "dst",
            "198.18.0.2", "sport", "7000", "dport", "8000"));

    /** A sink that keeps a copy of every frame sent and the simulated time of its flush; refuses every n-th. */
    static final class Recorder implements FrameSink {
        final PacerTest.SimClock clock;
        final int capacity;
        final int refuseEvery;
        final List<byte[]> sent = new ArrayList<>();
        final List<Long> at = new ArrayList<>();
        final List<Integer> flushSizes = new ArrayList<>();
        private final List<byte[]> queued = new ArrayList<>();
        private long flushed;
        private int offered;

        Recorder(PacerTest.SimClock clock, int capacity, int refuseEvery) {
            this.clock = clock;
            this.capacity = capacity;
            this.refuseEvery = refuseEvery;
        }

        @Override
        public void add(byte[] frame, int len) {
            assertTrue(queued.size() < capacity, "more frames than the sink holds");
            byte[] copy = new byte[len];
            System.arraycopy(frame, 0, copy, 0, len);
            queued.add(copy);
        }

        @Override
        public int flush() {
            int ok = 0;
            flushed = 0;
            for (byte[] f : queued) {
                if (refuseEvery > 0 && ++offered % refuseEvery == 0) {
                    continue;
                }
                sent.add(f);
                at.add(clock.t);
                flushed += f.length;
                ok++;
            }
            flushSizes.add(queued.size());
            queued.clear();
            return ok;
        }

        @Override
        public long flushedBytes() {
            return flushed;
        }

        @Override
        public int capacity() {
            return capacity;
        }
    }

    private static FrameTemplate frame(StreamSpec s, int payload) {
        return FrameBuilder.compile(s, MAC, MAC, null, new byte[payload], true, 1);
    }

    private static TransmitLoop loop(Recorder r, ProfileSpec p, CounterCell cell, long packets, int thread,
            int threads, long lifetime) {
        return new TransmitLoop(r, frame(p.stream(), 100), p, cell, packets, thread, threads, lifetime)
                .withClock(r.clock);
    }

    /** The signature's sequence number of a recorded frame. */
    private static long seq(byte[] f, FrameTemplate layout) {
        long s = 0;
        for (int i = 0; i < 4; i++) {
            s = s << 16 | Checksums.u16(f, layout.layout().signature() + 8 + 2 * i);
        }
        return s;
    }

    @Test
    void standardSplitsItsCountOverThreadsInOneSequenceSpace() {
        ProfileSpec p = ProfileSpec.builder(ProfileType.STANDARD, UDP).count(10).threads(3).build();
        FrameTemplate layout = frame(UDP, 100);
        TreeSet<Long> seqs = new TreeSet<>();
        long total = 0;
        for (int t = 0; t < 3; t++) {
            Recorder r = new Recorder(new PacerTest.SimClock(), 64, 0);
            CounterCell cell = new CounterCell();
            long share = TransmitLoop.share(p.count(), t, 3);
            TransmitLoop l = loop(r, p, cell, share, t, 3, LONG_LIFE);
            l.run();
            assertEquals(t == 0 ? 4 : 3, r.sent.size(), "thread " + t);
            for (int i = 0; i < r.sent.size(); i++) {
                long s = seq(r.sent.get(i), layout);
                assertEquals(t + 3L * i, s, "thread " + t + " packet " + i);
                assertEquals((int) s, Checksums.u16(r.sent.get(i), 14 + 4), "IP id follows the sequence");
                seqs.add(s);
            }
            assertTrue(l.completedAll() && l.done());
            assertEquals(share, cell.snapshot().sent());
            total += cell.snapshot().sent();
        }
        assertEquals(10, total);
        assertEquals(10, seqs.size());
        assertEquals(0L, seqs.first());
        assertEquals(9L, seqs.last());
    }

    @Test
    void continuousWithADurationSendsExactlyPpsTimesDurationOnSchedule() {
        ProfileSpec p = ProfileSpec.builder(ProfileType.CONTINUOUS, UDP).pps(1000).durationMillis(50).build();
        Recorder r = new Recorder(new PacerTest.SimClock(), 64, 0);
        CounterCell cell = new CounterCell();
        TransmitLoop l = loop(r, p, cell, 0, 0, 1, 50 * MS);
        l.run();
        assertEquals(50, r.sent.size());
        assertEquals(50, cell.snapshot().sent());
        assertEquals(0, cell.snapshot().skipped());
        long t0 = r.at.get(0);
        for (int i = 0; i < r.at.size(); i++) {
            long late = r.at.get(i) - t0 - i * MS;
            assertTrue(late >= -10_000 && late < 20_000, "packet " + i + " " + late + " ns from its slot");
        }
        assertTrue(r.flushSizes.stream().allMatch(n -> n == 1), "paced at 1 kpps: one frame per call");
        assertFalse(l.completedAll(), "an endless profile never completes all");
    }

    /** A delay holds the first packet back; the duration, and so pps x duration, counts from it. */
    @Test
    void aDelayedStartSendsItsWholeScheduleAfterTheDelay() {
        ProfileSpec p = ProfileSpec.builder(ProfileType.CONTINUOUS, UDP).pps(1000).durationMillis(20)
                .set("delay", "0.03").build();
        Recorder r = new Recorder(new PacerTest.SimClock(), 64, 0);
        long t0 = r.clock.t;
        TransmitLoop l = loop(r, p, new CounterCell(), 0, 0, 1, 50 * MS);   // as the agent: delay + duration
        l.run();
        assertEquals(20, r.sent.size());
        assertTrue(r.at.get(0) - t0 >= 30 * MS && r.at.get(0) - t0 < 31 * MS, "first packet at " + (r.at.get(0) - t0));
    }

    @Test
    void burstSendsItsBurstsAtTheInterval() {
        ProfileSpec p = ProfileSpec.builder(ProfileType.BURST, UDP).count(3).burstCount(4).burstIntervalMillis(100)
                .build();
        Recorder r = new Recorder(new PacerTest.SimClock(), 64, 0);
        CounterCell cell = new CounterCell();
        TransmitLoop l = loop(r, p, cell, 0, 0, 1, LONG_LIFE);
        l.run();
        assertEquals(12, r.sent.size());
        assertTrue(l.completedAll());
        long t0 = r.at.get(0);
        for (int b = 0; b < 3; b++) {
            for (int i = 0; i < 4; i++) {
                long since = r.at.get(b * 4 + i) - t0;
                assertTrue(since >= b * 100 * MS && since < b * 100 * MS + MS, "burst " + b + " packet " + i
                        + " at " + since + " ns");
            }
        }
    }

    @Test
    void sportRangeCyclesItsSourcePortsAtItsRate() {
        ProfileSpec p = ProfileSpec.builder(ProfileType.SPORT_RANGE, UDP).startport(5000).endport(5002).build();
        Recorder r = new Recorder(new PacerTest.SimClock(), 64, 0);
        FrameTemplate layout = frame(UDP, 100);
        TransmitLoop l = loop(r, p, new CounterCell(), 0, 0, 1, 10 * MS);
        l.run();
        assertEquals(5, r.sent.size(), "500 pps (the seed's default) for 10 ms");
        int[] want = {5000, 5001, 5002, 5000, 5001};
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], Checksums.u16(r.sent.get(i), layout.layout().l4()), "packet " + i);
        }
        assertEquals(2 * MS, r.at.get(1) - r.at.get(0), 20_000);
    }

    @Test
    void unpacedFillsBatchesAndCountsRefusedFramesAsErrors() {
        ProfileSpec p = ProfileSpec.builder(ProfileType.STANDARD, UDP).count(100).build();
        Recorder r = new Recorder(new PacerTest.SimClock(), 16, 10);
        CounterCell cell = new CounterCell();
        TransmitLoop l = loop(r, p, cell, 100, 0, 1, LONG_LIFE);
        l.run();
        Counters c = cell.snapshot();
        assertEquals(90, c.sent());
        assertEquals(10, c.sendErrors());
        assertEquals(90L * r.sent.get(0).length, c.sentBytes());
        assertEquals(List.of(16, 16, 16, 16, 16, 16, 4), r.flushSizes);
        assertTrue(l.completedAll(), "every attempt made: sent plus errors");
    }

    @Test
    void framesOfSeveralSizesFollowTheirPattern() {
        ProfileSpec p = ProfileSpec.builder(ProfileType.STANDARD, UDP).count(9).build();
        Recorder r = new Recorder(new PacerTest.SimClock(), 64, 0);
        CounterCell cell = new CounterCell();
        FrameTemplate[] sized = {frame(UDP, 50), frame(UDP, 500), frame(UDP, 1000)};
        TransmitLoop l = loop(r, p, cell, 9, 0, 1, LONG_LIFE).withSizes(sized, new int[] {0, 0, 1, 2});
        l.run();
        int[] want = {0, 0, 1, 2, 0, 0, 1, 2, 0};
        long bytes = 0;
        for (int i = 0; i < want.length; i++) {
            assertEquals(sized[want[i]].length(), r.sent.get(i).length, "packet " + i);
            bytes += sized[want[i]].length();
        }
        assertEquals(bytes, cell.snapshot().sentBytes());
    }

    @Test
    void aStopEndsALongWaitAtOnceOnTheRealClock() throws InterruptedException {
        ProfileSpec p = ProfileSpec.builder(ProfileType.CONTINUOUS, UDP).pps(1).build();
        Recorder r = new Recorder(new PacerTest.SimClock(), 64, 0);
        TransmitLoop l = new TransmitLoop(r, frame(UDP, 100), p, new CounterCell(), 0, 0, 1, LONG_LIFE);
        Thread t = new Thread(l, "fleetgen-tx-test");
        t.start();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (r.sent.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(1, r.sent.size(), "the first departure is at once, the next one a second later");
        long t0 = System.nanoTime();
        l.stop();
        t.join(2_000);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertFalse(t.isAlive());
        assertTrue(ms < 300, "ended " + ms + " ms after the stop, in a wait for a departure ~1 s away");
        assertEquals(1, r.sent.size());
    }

    @Test
    void aStopEndsAnEndlessLoop() throws InterruptedException {
        ProfileSpec p = ProfileSpec.builder(ProfileType.CONTINUOUS, UDP).build();
        Recorder r = new Recorder(new PacerTest.SimClock(), 64, 0);
        TransmitLoop l = loop(r, p, new CounterCell(), 0, 0, 1, LONG_LIFE);
        l.stop();
        l.run();
        assertTrue(l.done() && !l.completedAll());
        assertTrue(r.sent.size() <= 64, r.sent.size() + " frames after a stop");
    }
}
