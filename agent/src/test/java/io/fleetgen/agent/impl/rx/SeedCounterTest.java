package io.fleetgen.agent.impl.rx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.agent.frame.FrameBuilder;
import io.fleetgen.agent.frame.FrameTemplate;
import io.fleetgen.agent.impl.count.CounterCell;
import io.fleetgen.codec.Counters;
import io.fleetgen.codec.StreamSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The receiver's signature statistics on frames built in memory: order, latency and RFC 3550 jitter. */
class SeedCounterTest {
    private static final byte[] MAC = {2, 0, 0, 0, 0, 1};
    private static final int ETHERNET = 1;
    private static final long T0 = 1_800_000_000_000_000_000L;

    private final FrameTemplate t = FrameBuilder.compile(StreamSpec.fromSeed(Map.of("proto", "udp", "src",
            "198.18.0.1", "dst", "198.18.0.2", "dport", 8000)), MAC, MAC, null, new byte[64], true, 9);
    private final CounterCell cell = new CounterCell();
    private final SeedCounter counter = new SeedCounter(ETHERNET, true, cell);

    /** Packet {@code seq}, sent at {@code sent} ns and captured {@code transit} ns later. */
    private void receive(long seq, long sent, long transit) {
        t.setSignature(seq, sent);
        counter.gotPacket(t.frame(), t.length(), t.length(), sent + transit);
    }

    private Counters counters() {
        counter.publishFinal();
        return cell.snapshot();
    }

    @Test
    void jitterFollowsRfc3550() {
        // Transit times alternate 200 and 300 us: every consecutive difference is 100 us, and the smoothed
        // jitter J += (|D| - J) / 16 approaches 100 us.
        for (int i = 0; i < 1000; i++) {
            receive(i, T0 + i * 100_000L, i % 2 == 0 ? 200_000 : 300_000);
        }
        Counters c = counters();
        assertEquals(1000, c.recv());
        assertEquals(1000, c.latencySamples());
        assertEquals(200_000, c.latencyMinNanos());
        assertEquals(300_000, c.latencyMaxNanos());
        assertEquals(250_000, c.latencyAvgNanos());
        assertTrue(Math.abs(c.jitterNanos() - 100_000) < 1_000, "jitter " + c.jitterNanos());
        assertTrue(c.toString().contains("Latency(us)=200.0/250.0/300.0 Jitter(us)=" + String.format(
                java.util.Locale.ROOT, "%.1f", c.jitterNanos() / 1e3)), c.toString());
    }

    /** Percentiles from the histogram, within its 2 significant digits (issue 13, item 5). */
    @Test
    void latencyPercentilesFollowTheSamples() {
        // Transit times 1..1000 us, each once: p50 = 500 us, p90 = 900, p99 = 990, p99.9 = 999.
        for (int i = 1; i <= 1000; i++) {
            receive(i, T0 + i * 100_000L, i * 1_000L);
        }
        Counters c = counters();
        long[][] want = {{c.latencyP50Nanos(), 500_000}, {c.latencyP90Nanos(), 900_000},
            {c.latencyP99Nanos(), 990_000}, {c.latencyP999Nanos(), 999_000}};
        for (long[] w : want) {
            assertTrue(Math.abs(w[0] - w[1]) <= w[1] / 100, "percentile " + w[0] + " (expected: " + w[1] + " +-1 %)");
        }
        assertTrue(c.toString().endsWith("p50/p90/p99/p99.9(us)=" + String.format(java.util.Locale.ROOT,
                "%.1f/%.1f/%.1f/%.1f", c.latencyP50Nanos() / 1e3, c.latencyP90Nanos() / 1e3,
                c.latencyP99Nanos() / 1e3, c.latencyP999Nanos() / 1e3)), c.toString());
    }

    @Test
    void aConstantTransitTimeHasNoJitter() {
        for (int i = 0; i < 100; i++) {
            receive(i, T0 + i * 100_000L, 42_000);
        }
        assertEquals(0, counters().jitterNanos());
    }

    @Test
    void reorderedAndRepeatedPacketsAreToldApart() {
        long[] order = {0, 1, 3, 2, 3, 4};
        for (long seq : order) {
            receive(seq, T0 + seq * 1000, 10_000);
        }
        Counters c = counters();
        assertEquals(5, c.recv(), c.toString());
        assertEquals(1, c.duplicates(), c.toString());
        assertEquals(1, c.outOfOrder(), c.toString());
    }
}
