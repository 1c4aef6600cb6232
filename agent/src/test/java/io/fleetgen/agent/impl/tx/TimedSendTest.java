package io.fleetgen.agent.impl.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.agent.frame.FrameBuilder;
import io.fleetgen.agent.frame.FrameTemplate;
import io.fleetgen.agent.impl.count.CounterCell;
import io.fleetgen.codec.Counters;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.StreamSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A paced loop whose departures the kernel times (issue 17), without root: a simulated {@link TimedSink} sends each
 * frame when the simulated clock passes its time. The departure times are the schedule's, queued at most the lead
 * ahead, never two closer than half a period; a stall longer than the lead skips and counts; a stop withdraws what
 * is queued; the counters are exact.
 */
class TimedSendTest {
    private static final long MS = 1_000_000L;
    private static final byte[] MAC = {2, 0, 0, 0, 0, 1};
    private static final StreamSpec UDP = StreamSpec.fromSeed(Map.of("proto", "udp", "src", "198.18.0.1", "dst",
            "198.18.0.2", "dport", "8000"));

    /** Sends a queued frame when the clock reaches its time; can stall the thread once, or stop the loop. */
    static final class SimSink implements TimedSink {
        final PacerTest.SimClock clock = new PacerTest.SimClock();
        final int capacity;
        final ArrayDeque<long[]> queued = new ArrayDeque<>();
        final List<Long> departures = new ArrayList<>();
        final List<Long> dues = new ArrayList<>();
        final List<Long> queuedAhead = new ArrayList<>();
        long stallAt = Long.MAX_VALUE;
        long stallNanos;
        Runnable atStall = () -> { };
        int maxInFlight;
        boolean cancelled;
        private long sent;
        private long bytes;

        SimSink(int capacity) {
            this.capacity = capacity;
        }

        @Override
        public int capacity() {
            return capacity;
        }

        @Override
        public int inFlight() {
            return queued.size();
        }

        @Override
        public boolean addAt(byte[] frame, int len, long departure) {
            assertTrue(queued.size() < capacity, "more in flight than the sink holds");
            leave(clock.t);
            queuedAhead.add(departure - clock.t);
            queued.add(new long[] {departure, len, -1});
            maxInFlight = Math.max(maxInFlight, queued.size());
            return true;
        }

        /** The kernel's part: submitted frames due by {@code t} leave at their time (or when submitted, if later). */
        private void leave(long t) {
            while (!queued.isEmpty() && queued.peek()[2] >= 0 && queued.peek()[0] <= t) {
                long[] f = queued.poll();
                departures.add(Math.max(f[0], f[2]));
                dues.add(f[0]);
                sent++;
                bytes += f[1];
            }
        }

        @Override
        public void await(int minComplete, long timeoutNanos) {
            queued.forEach(f -> f[2] = f[2] < 0 ? clock.t : f[2]);
            long until = clock.t + timeoutNanos;
            if (clock.t < stallAt && until >= stallAt) {
                until += stallNanos;
                atStall.run();
            }
            leave(until);
            clock.t = Math.max(clock.t, until);
        }

        @Override
        public void cancelAll() {
            cancelled = true;
            queued.clear();
        }

        @Override
        public long sent() {
            return sent;
        }

        @Override
        public long bytes() {
            return bytes;
        }

        @Override
        public long errors() {
            return 0;
        }

        @Override
        public long withdrawn() {
            return 0;
        }

        @Override
        public void reset() {
            sent = 0;
            bytes = 0;
        }
    }

    private static TransmitLoop loop(SimSink sink, ProfileSpec p, CounterCell cell, long lifetime) {
        FrameTemplate f = FrameBuilder.compile(p.stream(), MAC, MAC, null, new byte[18], true, 1);
        TransmitLoopTest.Recorder unused = new TransmitLoopTest.Recorder(sink.clock, 64, 0);
        return new TransmitLoop(unused, f, p, cell, p.type() == ProfileType.STANDARD ? p.count() : 0, 0, 1, lifetime)
                .withClock(sink.clock).withTimedSink(() -> sink).withPacing(new PacingPolicy(10, -10, 20_000, true));
    }

    @Test
    void continuousLeavesExactlyOnScheduleQueuedAtMostTheLeadAhead() {
        ProfileSpec p = ProfileSpec.builder(ProfileType.CONTINUOUS, UDP).pps(10_000).durationMillis(1000).build();
        SimSink sink = new SimSink(RingSender.SLOTS);
        CounterCell cell = new CounterCell();
        loop(sink, p, cell, 1000 * MS).run();
        assertEquals(10_000, sink.departures.size());
        long t0 = sink.dues.get(1) - 100_000L;
        assertTrue(sink.dues.get(0) >= t0 && sink.dues.get(0) < t0 + 1000, "the first at once: " + sink.dues);
        for (int i = 1; i < sink.dues.size(); i++) {
            assertEquals(t0 + i * 100_000L, sink.dues.get(i), "departure " + i + " queued for its slot");
            long late = sink.departures.get(i) - sink.dues.get(i);
            assertTrue(late >= 0 && late < 1000, "departure " + i + " left " + late + " ns after its time; queued "
                    + sink.queuedAhead.get(i) + " ns ahead");
        }
        assertTrue(sink.queuedAhead.stream().allMatch(a -> a <= TimedSend.LEAD_NANOS), "never beyond the lead");
        assertTrue(sink.maxInFlight >= 150 && sink.maxInFlight <= 201, "~20 ms in flight: " + sink.maxInFlight);
        Counters c = cell.snapshot();
        assertEquals(10_000, c.sent());
        assertEquals(0, c.skipped());
        assertEquals(0, sink.inFlight());
    }

    @Test
    void standardSendsItsCountAndCompletesAll() {
        ProfileSpec p = ProfileSpec.builder(ProfileType.STANDARD, UDP).count(777).pps(1000).build();
        SimSink sink = new SimSink(RingSender.SLOTS);
        CounterCell cell = new CounterCell();
        TransmitLoop l = loop(sink, p, cell, 3600_000 * MS);
        l.run();
        assertEquals(777, sink.departures.size());
        assertEquals(777, cell.snapshot().sent());
        assertTrue(l.completedAll());
    }

    /**
     * The thread stalls 50 ms, beyond the 20 ms lead: the frames queued before leave on time, then the schedule
     * moves by the rest of the stall less the catch-up allowance; those periods are skipped and counted, and no two
     * departures are ever closer than half a period.
     */
    @Test
    void aStallLongerThanTheLeadSkipsAndCountsWithoutABurst() {
        ProfileSpec p = ProfileSpec.builder(ProfileType.CONTINUOUS, UDP).pps(10_000).durationMillis(1000).build();
        SimSink sink = new SimSink(RingSender.SLOTS);
        sink.stallAt = sink.clock.t + 300 * MS;
        sink.stallNanos = 50 * MS;
        CounterCell cell = new CounterCell();
        loop(sink, p, cell, 1000 * MS).run();
        for (int i = 1; i < sink.departures.size(); i++) {
            long gap = sink.departures.get(i) - sink.departures.get(i - 1);
            assertTrue(gap >= 49_000, "gap " + i + ": " + gap + " ns (half a period at least)");
        }
        Counters c = cell.snapshot();
        // Away 50 ms plus its wait (up to 10 ms), with 10-20 ms queued: 30-50 ms of periods skipped.
        assertTrue(c.skipped() >= 300 && c.skipped() <= 500, "the stall less what was queued, skipped: " + c);
        assertEquals(sink.departures.size(), c.sent());
        assertEquals(10_000, c.sent() + c.skipped(), "sent + skipped = pps x duration, exactly: " + c);
    }

    @Test
    void aStopWithdrawsWhatIsQueued() {
        ProfileSpec p = ProfileSpec.builder(ProfileType.CONTINUOUS, UDP).pps(1000).build();
        SimSink sink = new SimSink(RingSender.SLOTS);
        CounterCell cell = new CounterCell();
        TransmitLoop l = loop(sink, p, cell, 3600_000 * MS);
        sink.stallAt = sink.clock.t + 100 * MS;
        sink.atStall = l::stop;
        l.run();
        assertTrue(sink.cancelled, "queued frames withdrawn");
        assertEquals(0, sink.inFlight());
        long sent = cell.snapshot().sent();
        assertEquals(sink.departures.size(), sent);
        assertTrue(sent >= 99 && sent <= 101, "about 100 ms at 1 kpps: " + sent);
    }
}
