package io.fleetgen.agent.impl.rx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetgen.agent.frame.FrameBuilder;
import io.fleetgen.agent.frame.FrameTemplate;
import io.fleetgen.agent.impl.sys.PacketReader;
import io.fleetgen.agent.impl.count.CounterCell;
import io.fleetgen.agent.impl.sys.NativePcap;
import io.fleetgen.codec.Counters;
import io.fleetgen.codec.StreamSpec;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.core.PcapDumper;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * The zero-allocation reader over real libpcap, without root: frames written to a savefile by pcap4j's dumper
 * are read back by {@link PacketReader} byte for byte (cut at the snap length) and counted by the seed's rules.
 */
class OfflineCaptureTest {
    private static final byte[] MAC = {2, 0, 0, 0, 0, 1};
    private static final int SNAPLEN = 256;
    private static final long EPOCH_MILLIS = 1_700_000_000_000L;
    private static final long LATENCY_NANOS = 250_000;

    @TempDir
    static Path dir;

    @BeforeAll
    static void nativeLibpcap() {
        NativePcap.requireAvailable();   // fails, never skips: the agent refuses to start without it
    }

    private static FrameTemplate udp(int payload) {
        StreamSpec s = StreamSpec.fromSeed(Map.of("proto", "udp", "src", "198.18.0.1", "dst", "198.18.0.2",
                "sport", 8000, "dport", 8000));
        return FrameBuilder.compile(s, MAC, MAC, null, new byte[payload], true, 7);
    }

    private static Path write(String name, int packets, FrameTemplate t, Extra extra) throws Exception {
        Path file = dir.resolve(name);
        try (PcapHandle dead = Pcaps.openDead(DataLinkType.EN10MB, 65536)) {
            PcapDumper d = dead.dumpOpen(file.toString());
            for (int i = 0; i < packets; i++) {
                // Sent 250 us before the capture's timestamp.
                t.setSignature(i, (EPOCH_MILLIS + i) * 1_000_000L - LATENCY_NANOS);
                d.dumpRaw(t.frame(), new Timestamp(EPOCH_MILLIS + i));
            }
            extra.write(d);
            d.close();
        }
        return file;
    }

    /** Further frames appended to a savefile. */
    private interface Extra {
        void write(PcapDumper d) throws Exception;
    }

    @Test
    void readsEveryFrameExactlyAndCountsBySeedRules() throws Exception {
        FrameTemplate t = udp(32);
        int n = 1000;
        FrameTemplate big = udp(400);
        Path file = write("seed.pcap", n, t, d -> {
            t.setSignature(5, 0);
            d.dumpRaw(t.frame());
            t.setSignature(n, 0);
            byte[] bad = t.frame().clone();
            bad[bad.length - 1] ^= 0x5A;
            d.dumpRaw(bad);
            big.setSignature(n + 1, 0);
            d.dumpRaw(big.frame());
        });
        CounterCell cell = new CounterCell();
        SeedCounter counter = new SeedCounter(DataLinkType.EN10MB.value(), true, cell);
        try (PcapHandle h = Pcaps.openOffline(file.toString())) {
            PacketReader r = new PacketReader(h, SNAPLEN);
            int read = 0;
            for (int code = r.next(); code == NativePcap.PACKET; code = r.next()) {
                if (read == 0) {
                    t.setSignature(0, EPOCH_MILLIS * 1_000_000L - LATENCY_NANOS);
                    assertArrayEquals(t.frame(), Arrays.copyOf(r.buffer(), r.length()));
                    assertEquals(EPOCH_MILLIS * 1_000_000L, r.timestampNanos());
                }
                if (read == n + 2) {
                    assertEquals(SNAPLEN, r.length(), "cut at the snap length");
                    assertEquals(big.length(), r.wireLength());
                }
                counter.gotPacket(r.buffer(), r.length(), r.wireLength(), r.timestampNanos());
                read++;
            }
            assertEquals(n + 3, read);
            assertEquals(NativePcap.END_OF_FILE, r.next());
        }
        counter.publish();
        Counters c = cell.snapshot();
        assertEquals(n + 1, c.recv(), "the originals and the cut long frame (its checksum cannot be checked)");
        assertEquals(1, c.duplicates());
        assertEquals(1, c.corrupt());
        assertEquals(n * (long) t.length() + big.length(), c.recvBytes(), "wire lengths");
        assertEquals(n, c.latencySamples(), "a sample per received frame with a transmit time");
        assertEquals(n * LATENCY_NANOS, c.latencySumNanos());
        assertEquals(LATENCY_NANOS, c.latencyMinNanos());
        assertEquals(LATENCY_NANOS, c.latencyMaxNanos());
        assertEquals(0, c.jitterNanos(), "a constant transit time");
    }

    @Test
    void readingAndCountingAllocatesNothingPerPacket() throws Exception {
        int n = 50_000;
        Path file = write("alloc.pcap", n, udp(18), d -> { });
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        // A per-packet allocation shows in every pass; one-off allocations (JIT transitions) in one pass only:
        // the steady state is the least any warm pass allocated.
        long steady = Long.MAX_VALUE;
        for (int pass = 0; pass < 6; pass++) {
            CounterCell cell = new CounterCell();
            try (PcapHandle h = Pcaps.openOffline(file.toString())) {
                PacketReader r = new PacketReader(h, SNAPLEN);
                SeedCounter counter = new SeedCounter(DataLinkType.EN10MB.value(), true, cell);
                long before = threads.getCurrentThreadAllocatedBytes();
                while (r.next() == NativePcap.PACKET) {
                    counter.gotPacket(r.buffer(), r.length(), r.wireLength(), r.timestampNanos());
                }
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                if (pass >= 2) {
                    steady = Math.min(steady, allocated);
                }
                counter.publish();
            }
            assertEquals(n, cell.snapshot().recv());
        }
        assertTrue(steady < n / 10, steady + " bytes allocated reading " + n + " packets");
    }
}
