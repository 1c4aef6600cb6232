package io.fleetgen.agent.impl.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.agent.AgentOptions;
import io.fleetgen.codec.ValidationException;
import org.junit.jupiter.api.Test;

/** Which paced threads run real-time, and the options' bounds. */
class PacingPolicyTest {
    @Test
    void realTimeOnlyWhereTheThreadSleepsBetweenDepartures() {
        PacingPolicy p = PacingPolicy.DEFAULT;
        assertTrue(p.realtimeAt(1_000));
        assertTrue(p.realtimeAt(10_000), "a 100 us period: five 20 us spin stretches");
        assertTrue(p.realtimeAt(25_000), "a 40 us period: two spin stretches");
        assertFalse(p.realtimeAt(25_001));
        assertFalse(p.realtimeAt(100_000));
        assertFalse(p.realtimeAt(0), "unpaced");
        assertFalse(new PacingPolicy(0, -10, 20_000, true).realtimeAt(1_000), "priority 0: never");
    }

    @Test
    void aSlowThreadThatIsNotRealTimeSpinsLeast() {
        PacingPolicy p = PacingPolicy.DEFAULT;
        assertEquals(Pacer.MAX_SPIN_NANOS, p.spinCapAt(1_000, true));
        assertEquals(10_000, p.spinCapAt(1_000, false), "beyond the budget, or no real-time priority");
        assertEquals(10_000, p.spinCapAt(10_000, false), "a 100 us period is still a slow thread");
        assertEquals(Pacer.FAST_MAX_SPIN_NANOS, p.spinCapAt(10_001, false), "a fast thread spins most of its period");
        assertEquals(Pacer.FAST_MAX_SPIN_NANOS, p.spinCapAt(100_000, false));
        assertEquals(10_000, p.spinCapAt(0, false), "unpaced: never waits");
    }

    @Test
    void boundsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new PacingPolicy(100, 0, 20_000, true));
        assertThrows(IllegalArgumentException.class, () -> new PacingPolicy(10, 1, 20_000, true));
        ValidationException e = assertThrows(ValidationException.class,
                () -> new AgentOptions().setPacingPriority(-1));
        assertEquals("pacing-priority: -1 (expected: 0-99)", e.getMessage());
        assertThrows(ValidationException.class, () -> new AgentOptions().setPacingNice(5));
        assertEquals(20, new AgentOptions().setPacingPriority(20).getPacingPriority());
    }

    @Test
    void realTimeThreadsAreBudgetedAgentWide() throws Exception {
        RealtimeSlots slots = new RealtimeSlots(2);
        assertTrue(slots.tryAcquire(1));
        assertTrue(slots.tryAcquire(1));
        assertFalse(slots.tryAcquire(1), "a third paced thread runs as a normal thread");
        slots.release(1);
        assertTrue(slots.tryAcquire(1), "a slot given back is free again");
        assertEquals(2, slots.held());
        assertFalse(new RealtimeSlots(0).tryAcquire(1), "0: none real-time");
        assertThrows(IllegalArgumentException.class, () -> new RealtimeSlots(-1));
        ValidationException e = assertThrows(ValidationException.class,
                () -> new AgentOptions().setMaxRealtimeThreads(1025));
        assertEquals("max-realtime-threads: 1025 (expected: 0-1024)", e.getMessage());
        assertTrue(new AgentOptions().getMaxRealtimeThreads() >= 1);
    }

    @Test
    void aThreadAboveTenKppsTakesFourSlotsSoOnePerTwoCoresRunsRealTime() {
        PacingPolicy p = PacingPolicy.DEFAULT;
        assertEquals(1, p.slotsAt(1_000));
        assertEquals(1, p.slotsAt(10_000));
        assertEquals(4, p.slotsAt(10_001), "busy most of its period");
        assertEquals(4, p.slotsAt(25_000));
        RealtimeSlots slots = new RealtimeSlots(4);   // the default on two cores
        assertTrue(slots.tryAcquire(p.slotsAt(14_000)), "one fast thread: real-time");
        assertFalse(slots.tryAcquire(p.slotsAt(25_000)), "a second one on two cores: a normal thread");
        assertFalse(slots.tryAcquire(p.slotsAt(1_000)), "and no slow one beside it");
        slots.release(p.slotsAt(14_000));
        assertEquals(0, slots.held());
        for (int i = 0; i < 4; i++) {
            assertTrue(slots.tryAcquire(p.slotsAt(10_000)), "four slow threads, each a slot");
        }
        assertFalse(new RealtimeSlots(3).tryAcquire(4), "a budget under four: no fast thread runs real-time");
    }

    @Test
    void aThreadHoldsASlotOnlyWhileItRunsRealTime() throws Exception {
        // On threads of their own, which end: the scheduling class a test thread gets dies with it.
        RealtimeSlots slots = new RealtimeSlots(1);
        PacingPolicy p = new PacingPolicy(10, -10, 20_000, false, slots);
        boolean[] got = new boolean[2];
        int[] heldDuring = new int[2];
        Thread first = new Thread(() -> {
            got[0] = p.apply(1_000) > 0;
            heldDuring[0] = slots.held();
            Thread second = new Thread(() -> got[1] = p.apply(1_000) > 0);
            second.start();
            try {
                second.join();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            heldDuring[1] = slots.held();
            if (got[0]) {
                p.release(1);
            }
        });
        first.start();
        first.join();
        // Real-time needs CAP_SYS_NICE: where the kernel refuses it, no slot is kept.
        assertEquals(got[0] ? 1 : 0, heldDuring[0]);
        assertFalse(got[0] && got[1], "one slot: the second thread cannot run real-time too");
        assertEquals(heldDuring[0], heldDuring[1], "the second thread took no slot");
        assertEquals(0, slots.held(), "given back when the thread ended");
        assertEquals(0, p.apply(0), "unpaced: nothing to set");
    }
}
