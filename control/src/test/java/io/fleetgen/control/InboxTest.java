package io.fleetgen.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fleetgen.codec.CounterBatch;
import io.fleetgen.codec.Decoded;
import io.fleetgen.codec.Role;
import io.fleetgen.codec.RunState;
import io.fleetgen.codec.security.Keyring;
import io.fleetgen.codec.security.Opened;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The freshness of counter events is judged when they reach the control, not when it gets to check them. */
class InboxTest {
    private static final long MILLI = 1_000_000L;

    @Test
    void aBatchThatWaitedInsideTheControlIsTakenAndAnOldOneIsRefused() {
        Aggregator a = new Aggregator();
        Inbox in = new Inbox(null, Keyring.insecure(), null, a, node -> true);
        long now = System.currentTimeMillis();
        // Snapshot taken 90 s ago, arrived 85 s ago (5 s on its way), checked only now: taken.
        in.takeCounters(batch("h1", "waited", (now - 90_000) * MILLI), now - 85_000);
        // Snapshot taken 61 s before it arrived: a replay or a clock far off, refused.
        in.takeCounters(batch("h1", "stale", (now - 61_000) * MILLI), now);

        assertEquals(7, a.run("h1", "waited", Role.SENDER).status().counters().sent());
        assertNull(a.run("h1", "stale", Role.SENDER));
        assertEquals(1, in.refused());
        assertEquals(1, a.eventsTaken());
        long wait = a.takeMaxWaitMillis();
        assertEquals(85_000, wait, 5_000, "the wait inside the control: " + wait + " ms");
        assertEquals(0, a.takeMaxWaitMillis());
    }

    private static Decoded<Object> batch(String host, String run, long timeNanos) {
        var e = AggregatorTest.event(host, run, Role.SENDER, 0, timeNanos, 7, 0, RunState.RUNNING);
        return Decoded.of(Opened.seal(Keyring.insecure(), new CounterBatch(host, List.of(e))));
    }
}
