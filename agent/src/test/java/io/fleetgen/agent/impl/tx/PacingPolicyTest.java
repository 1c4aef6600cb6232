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
        assertTrue(p.realtimeAt(25_000), "a 40 us period: two 20 us spin stretches");
        assertFalse(p.realtimeAt(25_001), "it would spin all the time and be throttled");
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
}
