package io.fleetgen.agent.impl.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CPU latency request without root, on a file standing in for {@code /dev/cpu_dma_latency}: made by the first
 * paced thread (the value written as the kernel reads it, a native-order 32-bit integer), kept while any runs,
 * withdrawn with the last; a file that cannot be written costs nothing but a log line; -1 never opens it. The real
 * device, read back from the kernel, in RealtimeBudgetIT.
 */
class CpuLatencyTest {
    @TempDir
    Path dir;

    @Test
    void heldFromTheFirstPacedThreadToTheLast() throws Exception {
        Path device = Files.createFile(dir.resolve("cpu_dma_latency"));
        CpuLatency q = new CpuLatency(device, 25);
        assertFalse(q.holding());
        q.acquire();
        q.acquire();
        assertTrue(q.holding());
        assertArrayEquals(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(25).array(),
                Files.readAllBytes(device), "25 us, written once");
        q.release();
        assertTrue(q.holding(), "one paced thread still runs");
        q.release();
        assertFalse(q.holding(), "withdrawn with the last");
        q.release();
        assertEquals(0, q.holders(), "a release too many does not go negative");
        q.acquire();
        assertTrue(q.holding(), "made again by the next paced thread");
        q.release();
    }

    @Test
    void aRefusalOrNoRequestLeavesPacingAsItIs() {
        CpuLatency refused = new CpuLatency(dir.resolve("missing/cpu_dma_latency"), 0);
        refused.acquire();
        assertFalse(refused.holding());
        assertEquals(1, refused.holders());
        refused.release();
        assertEquals(0, refused.holders());
        CpuLatency none = new CpuLatency(dir.resolve("never"), -1);
        none.acquire();
        assertFalse(none.holding());
        assertFalse(Files.exists(dir.resolve("never")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CpuLatency(dir, 10_001));
        assertEquals("pacing-cpu-latency-us: 10001 (expected: -1 for none, or 0-10000)", e.getMessage());
    }
}
