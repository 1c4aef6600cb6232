package io.fleetgen.agent.impl.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The pacer's schedule on a simulated clock (each departure costs 1 us, a sleep ends 3 us late unless told
 * otherwise, stalls are injected): no departure before its slot, a late one caught up at twice the rate at most, a
 * long stall skipped and counted, the deadline and stop honoured, the spin stretch learnt; and once on the real clock.
 */
class PacerTest {
    private static final long US = 1_000L;
    private static final long MS = 1_000_000L;
    private static final BooleanSupplier GO = () -> false;
    private static final long NEVER = Long.MAX_VALUE / 2;

    /** A clock that moves only when read (spinning) or slept on. */
    static class SimClock implements Pacer.Clock {
        final long wakeLate;
        long t;

        SimClock() {
            this(3 * US);
        }

        SimClock(long wakeLate) {
            this.wakeLate = wakeLate;
        }

        @Override
        public long now() {
            return t += 100;
        }

        @Override
        public void sleepUntil(long deadline) {
            t = Math.max(t, deadline) + wakeLate;
        }
    }

    /** A {@link SimClock} that counts the thread's wake-ups: precise sleeps and long waits. */
    static final class CountingClock extends SimClock {
        int sleeps;
        int parks;

        @Override
        public void sleepUntil(long deadline) {
            sleeps++;
            super.sleepUntil(deadline);
        }

        @Override
        public void park(long deadline) {
            parks++;
            super.sleepUntil(deadline);
        }
    }

    @Test
    void aSlowRunWakesAFewTimesPerDepartureNotEveryTenMilliseconds() {
        CountingClock c = new CountingClock();
        Pacer p = new Pacer(2, 0, NEVER, 20 * US, 1, c);
        List<Long> at = run(p, c, 6, -1, 0);
        assertEquals(6, at.size());
        for (int i = 0; i < at.size(); i++) {
            long late = at.get(i) - i * 500 * MS;
            assertTrue(late >= 0 && late < 2 * US, "packet " + i + " at " + late + " ns from its slot");
        }
        // Five waits of 500 ms: one long wait and the precise last 10 ms each (50 sleeps each in 10 ms steps before).
        assertEquals(5, c.parks);
        assertTrue(c.sleeps <= 10, c.sleeps + " precise sleeps");
    }

    /** Sends {@code n} packets, with a stall of {@code stallNanos} before packet {@code stallAt}. */
    private static List<Long> run(Pacer p, SimClock c, int n, int stallAt, long stallNanos) {
        List<Long> at = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i == stallAt) {
                c.t += stallNanos;
            }
            if (!p.await(i, GO)) {
                break;
            }
            at.add(c.t);
            c.t += US;
        }
        return at;
    }

    @Test
    void departuresKeepTheirSlotsWithoutDrift() {
        SimClock c = new SimClock();
        Pacer p = new Pacer(10_000, 0, NEVER, 20 * US, 1, c);
        List<Long> at = run(p, c, 1000, -1, 0);
        for (int i = 0; i < at.size(); i++) {
            long late = at.get(i) - i * 100 * US;
            assertTrue(late >= 0 && late < 2 * US, "packet " + i + " at " + late + " ns from its slot");
        }
        assertEquals(0, p.skipped());
    }

    @Test
    void aShortStallIsCaughtUpAtTwiceTheRateAtMost() {
        SimClock c = new SimClock();
        Pacer p = new Pacer(10_000, 0, NEVER, 20 * US, 1, c);
        List<Long> at = run(p, c, 20, 5, 150 * US);
        for (int i = 1; i < at.size(); i++) {
            assertTrue(at.get(i) - at.get(i - 1) >= 50 * US, "gap before packet " + i + ": " + (at.get(i)
                    - at.get(i - 1)));
        }
        assertEquals(0, p.skipped(), "1.5 periods late is within the catch-up allowance");
        long late19 = at.get(19) - 19 * 100 * US;
        assertTrue(late19 >= 0 && late19 < 2 * US, "back on its slots: packet 19 " + late19 + " ns late");
    }

    @Test
    void noIntervalOfOnePeriodHoldsThreeFramesWhenSendsAreHeldUp() {
        // Every seventh send is held up 40 us in the kernel (the thread preempted) and its frame leaves when the send
        // returns; after a 290 us stall the pacer catches up. Counted from the end of each send, every frame is at
        // least a period after the one two before it, so no half-open interval of 1/pps holds three.
        SimClock c = new SimClock();
        Pacer p = new Pacer(10_000, 0, NEVER, 20 * US, 1, c);
        List<Long> left = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            if (i == 50) {
                c.t += 290 * US;
            }
            assertTrue(p.await(i, GO));
            c.t += i % 7 == 3 ? 40 * US : US;
            left.add(c.t);
            p.departed();
        }
        int caughtUp = 0;
        for (int i = 1; i < left.size(); i++) {
            caughtUp += left.get(i) - left.get(i - 1) < 90 * US ? 1 : 0;
        }
        for (int i = 2; i < left.size(); i++) {
            assertTrue(left.get(i) - left.get(i - 2) >= 100 * US, "three frames within 1/pps from frame " + (i - 2));
        }
        assertTrue(caughtUp >= 3, "the stall and the held-up sends were caught up: " + caughtUp + " short gaps");
        assertEquals(0, p.skipped());
    }

    @Test
    void aStallIsCaughtUpWhenEachSendTakesHalfAPeriod() {
        // 100 kpps on a veth pair: a send takes ~5 us of the 10 us period. A 150 us stall is within the catch-up
        // allowance, and the pacer is back on its slots without skipping.
        SimClock c = new SimClock();
        Pacer p = new Pacer(100_000, 0, NEVER, 2 * US, 1, c);
        long backOn = -1;
        for (int i = 0; i < 400; i++) {
            if (i == 20) {
                c.t += 150 * US;
            }
            assertTrue(p.await(i, GO));
            if (i > 20 && backOn < 0 && c.t - i * 10 * US < 2 * US) {
                backOn = i;
            }
            c.t += 5 * US;
            p.departed();
        }
        assertEquals(0, p.skipped());
        assertTrue(backOn > 0 && backOn < 120, "back on its slots at packet " + backOn);
    }

    @Test
    void aLongStallIsSkippedAndCountedNotSentAsABurst() {
        SimClock c = new SimClock();
        Pacer p = new Pacer(1000, 0, NEVER, 20 * US, 1, c);
        List<Long> at = run(p, c, 14, 3, 10 * MS + MS / 2);
        // Packet 2 left at 2 ms; packet 3, due at 3 ms, leaves at ~12.5 ms: 2 periods may be caught up, 7.5 are not.
        assertEquals(7, p.skipped());
        for (int i = 1; i < at.size(); i++) {
            assertTrue(at.get(i) - at.get(i - 1) >= MS / 2, "gap before packet " + i + ": " + (at.get(i)
                    - at.get(i - 1)));
        }
        for (int i = 9; i < at.size(); i++) {
            long gap = at.get(i) - at.get(i - 1);
            assertTrue(Math.abs(gap - MS) < 2 * US, "caught up (2 periods at half a period each), then one period: "
                    + "gap before " + i + " " + gap);
        }
    }

    @Test
    void aBatchIsLateByDesignWithinItsAllowance() {
        SimClock c = new SimClock();
        c.t = 50 * US;
        Pacer p = new Pacer(100_000, 0, NEVER, 20 * US, 8, c);
        assertTrue(p.await(0, GO));
        assertEquals(0, p.skipped(), "5 periods late with 8 frames per call");
        c.t = 5 * MS;
        assertTrue(p.await(1, GO));
        assertEquals(0, p.skipped(), "batched: 5 ms are caught up");
        c.t = 25 * MS;
        assertTrue(p.await(2, GO));
        assertEquals(1498, p.skipped(), "batched: packet 2 (due at 20 us) 24.98 ms late, all but 10 ms skipped");
    }

    @Test
    void noDepartureAtOrAfterTheDeadlineAndSkippedAddUp() {
        SimClock c = new SimClock();
        Pacer p = new Pacer(10_000, 0, 10 * MS, 20 * US, 1, c);
        List<Long> at = run(p, c, 1000, 30, 2 * MS);
        assertEquals(100, at.size() + p.skipped(), "10 ms at 10 kpps: sent " + at.size() + ", skipped "
                + p.skipped());
        assertEquals(17, p.skipped(), "1.9 ms late, 0.2 ms of it caught up");
        assertTrue(at.get(at.size() - 1) < 10 * MS);
    }

    @Test
    void stopEndsAWaitAsSoonAsTheThreadIsUnparkedAndAnUnpacedLoopNeverWaits() {
        // The loop's stop unparks its thread 5 ms into a 2 s wait (TransmitLoop.stop; TransmitLoopTest on the real
        // clock): the pacer gives up at once.
        SimClock c = new SimClock() {
            @Override
            public void park(long deadline) {
                t = Math.min(Math.max(t, deadline), 5 * MS);
            }
        };
        Pacer slow = new Pacer(0.5, 0, NEVER, 20 * US, 1, c);
        assertTrue(slow.await(0, GO));
        assertFalse(slow.await(1, () -> c.t >= 5 * MS), "stopped while waiting 2 s");
        assertTrue(c.t < 6 * MS, "seen when unparked: " + c.t);
        Pacer none = new Pacer(0, 0, NEVER, 20 * US, 1, c);
        assertTrue(none.await(1_000_000, GO));
        assertFalse(none.await(0, () -> true));
    }

    @Test
    void theSpinStretchFollowsTheWakeUpLatencyWithinItsBounds() {
        SimClock late = new SimClock(60 * US);
        Pacer p = new Pacer(10_000, 0, NEVER, 20 * US, 1, late);
        run(p, late, 200, -1, 0);
        assertEquals(40 * US, p.spinNanos(), "60 us wake-ups: spins its most, 40 % of a period");
        SimClock late2 = new SimClock(60 * US);
        Pacer slow = new Pacer(1000, 0, NEVER, 20 * US, 1, late2);
        List<Long> at = run(slow, late2, 200, -1, 0);
        assertTrue(Math.abs(slow.spinNanos() - 60 * US) < 2 * US, "spins as long as a sleep overshoots: "
                + slow.spinNanos());
        long lateLast = at.get(199) - 199 * MS;
        assertTrue(lateLast >= 0 && lateLast < 2 * US, "so departures are on time again: " + lateLast);
        SimClock prompt = new SimClock();
        Pacer quick = new Pacer(1000, 0, NEVER, 20 * US, 1, prompt);
        run(quick, prompt, 200, -1, 0);
        assertEquals(20 * US, quick.spinNanos(), "3 us wake-ups: the configured least");
    }

    @Test
    void aThreadThatIsNotRealTimeSpinsAtMostTenMicroseconds() {
        SimClock late = new SimClock(300 * US);
        Pacer rt = new Pacer(1000, 0, NEVER, 20 * US, 1, late, Pacer.MAX_SPIN_NANOS);
        run(rt, late, 200, -1, 0);
        assertTrue(Math.abs(rt.spinNanos() - 300 * US) < 5 * US, "real-time: spins as long as a sleep overshoots, "
                + rt.spinNanos());
        SimClock late2 = new SimClock(300 * US);
        Pacer normal = new Pacer(1000, 0, NEVER, 20 * US, 1, late2, Pacer.NORMAL_MAX_SPIN_NANOS);
        List<Long> at = run(normal, late2, 200, -1, 0);
        assertEquals(10 * US, normal.spinNanos(), "not real-time: at most 10 us of each 1 ms period");
        assertEquals(200, at.size() + normal.skipped(), "late departures are sent or skipped and counted");
        for (int i = 1; i < at.size(); i++) {
            assertTrue(at.get(i) - at.get(i - 1) >= 500 * US, "no two departures closer than half a period");
        }
        SimClock prompt = new SimClock();
        Pacer quick = new Pacer(1000, 0, NEVER, 20 * US, 1, prompt, Pacer.NORMAL_MAX_SPIN_NANOS);
        run(quick, prompt, 200, -1, 0);
        assertEquals(10 * US, quick.spinNanos(), "the cap holds below the 20 us spin window too");
    }

    @Test
    void onTheRealClockNoDepartureLeavesEarly() {
        ThreadTiming real = new ThreadTiming();
        long t0 = real.now() + MS;
        Pacer p = new Pacer(20_000, t0, NEVER, 20 * US, 1, real);
        for (int i = 0; i < 200; i++) {
            boolean ok = p.await(i, GO);
            long now = real.now();
            assertTrue(ok && now >= t0 + i * 50 * US + p.skipped() * 50 * US, "packet " + i + " left early");
        }
    }
}
