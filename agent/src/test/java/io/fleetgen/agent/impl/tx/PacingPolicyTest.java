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
        assertFalse(p.realtimeAt(10_001), "four of them at 25 kpps on two vCPUs starved every other thread");
        assertFalse(p.realtimeAt(100_000));
        assertFalse(p.realtimeAt(0), "unpaced");
        assertFalse(new PacingPolicy(0, -10, 20_000, true).realtimeAt(1_000), "priority 0: never");
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
        assertTrue(slots.tryAcquire());
        assertTrue(slots.tryAcquire());
        assertFalse(slots.tryAcquire(), "a third paced thread runs as a normal thread");
        slots.release();
        assertTrue(slots.tryAcquire(), "a slot given back is free again");
        assertEquals(2, slots.held());
        assertFalse(new RealtimeSlots(0).tryAcquire(), "0: none real-time");
        assertThrows(IllegalArgumentException.class, () -> new RealtimeSlots(-1));
        ValidationException e = assertThrows(ValidationException.class,
                () -> new AgentOptions().setMaxRealtimeThreads(1025));
        assertEquals("max-realtime-threads: 1025 (expected: 0-1024)", e.getMessage());
        assertTrue(new AgentOptions().getMaxRealtimeThreads() >= 1);
    }

    @Test
    void aThreadHoldsASlotOnlyWhileItRunsRealTime() throws Exception {
        // On threads of their own, which end: the scheduling class a test thread gets dies with it.
        RealtimeSlots slots = new RealtimeSlots(1);
        PacingPolicy p = new PacingPolicy(10, -10, 20_000, false, slots);
        boolean[] got = new boolean[2];
        int[] heldDuring = new int[2];
        Thread first = new Thread(() -> {
            got[0] = p.apply(1_000);
            heldDuring[0] = slots.held();
            Thread second = new Thread(() -> got[1] = p.apply(1_000));
            second.start();
            try {
                second.join();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            heldDuring[1] = slots.held();
            if (got[0]) {
                p.release();
            }
        });
        first.start();
        first.join();
        // Real-time needs CAP_SYS_NICE: where the kernel refuses it, no slot is kept.
        assertEquals(got[0] ? 1 : 0, heldDuring[0]);
        assertFalse(got[0] && got[1], "one slot: the second thread cannot run real-time too");
        assertEquals(heldDuring[0], heldDuring[1], "the second thread took no slot");
        assertEquals(0, slots.held(), "given back when the thread ended");
        assertFalse(p.apply(0), "unpaced: nothing to set");
    }
}
