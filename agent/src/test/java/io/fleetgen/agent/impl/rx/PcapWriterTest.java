package io.fleetgen.agent.impl.rx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.agent.impl.sys.NativePcap;
import io.fleetgen.agent.impl.sys.PacketReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;

/** A recorded file is what libpcap reads back: the frames, their lengths and nanosecond timestamps, capped. */
class PcapWriterTest {
    @TempDir
    Path dir;

    @Test
    void libpcapReadsBackEveryFrameUpToTheLimit() throws Exception {
        NativePcap.requireAvailable();   // fails, never skips: the agent refuses to start without it
        Path file = dir.resolve("r.pcap");
        long t0 = 1_800_000_000_123_456_789L;
        try (PcapWriter w = PcapWriter.create(file, 1, 256, 3)) {
            for (int i = 0; i < 3; i++) {
                byte[] frame = new byte[60 + i];
                Arrays.fill(frame, (byte) i);
                assertTrue(w.write(frame, frame.length, 1000 + i, t0 + i));
            }
            assertFalse(w.write(new byte[60], 60, 60, t0 + 3), "past the packet limit");
            assertEquals(3, w.packets());
        }
        try (PcapHandle h = Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO)) {
            assertEquals(1, h.getDlt().value());
            assertEquals(256, h.getSnapshot());
            PacketReader r = new PacketReader(h, 256);
            for (int i = 0; i < 3; i++) {
                assertEquals(NativePcap.PACKET, r.next());
                byte[] want = new byte[60 + i];
                Arrays.fill(want, (byte) i);
                assertArrayEquals(want, Arrays.copyOf(r.buffer(), r.length()));
                assertEquals(1000 + i, r.wireLength());
                assertEquals(t0 + i, r.timestampNanos());
            }
            assertEquals(NativePcap.END_OF_FILE, r.next());
        }
    }

    /** A link planted where the recording goes is replaced, never followed: its target is untouched. */
    @Test
    void aPlantedLinkIsReplacedNotFollowed() throws Exception {
        Path target = Files.writeString(dir.resolve("victim"), "keep");
        Path file = dir.resolve("r.pcap");
        Files.createSymbolicLink(file, target);
        try (PcapWriter w = PcapWriter.create(file, 1, 256, 1)) {
            assertTrue(w.write(new byte[60], 60, 60, 1));
        }
        assertEquals("keep", Files.readString(target));
        assertFalse(Files.isSymbolicLink(file));
    }

    /** The agent's pcap directory: made 0700, and refused when it is a link or another user's. */
    @Test
    void thePrivateDirectoryIsMadeForThisUserAndALinkIsRefused() throws Exception {
        Path d = dir.resolve("pcap-h1");
        io.fleetgen.agent.impl.guard.PrivateDirectory.prepare(d);
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(d)));
        Path link = dir.resolve("pcap-h2");
        Files.createSymbolicLink(link, dir);
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> io.fleetgen.agent.impl.guard.PrivateDirectory.prepare(link));
        assertTrue(e.getMessage().contains("not a link"), e.getMessage());
    }
}
