package io.fleetgen.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.fleetgen.codec.wire.Wire;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Field ranges: their text, their checks (each naming field, value and what was expected), the wire. */
class FlowsTest {
    private static final StreamSpec UDP = StreamSpec.fromSeed(Map.of("proto", "udp", "dst", "198.18.0.2"));
    private static final StreamSpec UDP6 = StreamSpec.fromSeed(Map.of("proto", "udp", "dst", "2001:2::2"));

    private static void assertRefused(String message, Executable e) {
        assertEquals(message, assertThrows(ValidationException.class, e).getMessage());
    }

    @Test
    void parsesAndPrintsRanges() {
        FieldRange r = FieldRange.parse("src=198.18.0.10..198.18.0.73");
        assertEquals(64, r.count());
        assertEquals("src=198.18.0.10..198.18.0.73", r.toString());
        FieldRange d = FieldRange.parse(" dport = 9000..9063/2@random");
        assertEquals(32, d.count());
        assertEquals("dport=9000..9063/2@random", d.toString());
        assertEquals("9062", d.lastText());
        FieldRange v6 = FieldRange.parse("dst=2001:2::fffe..2001:2::1:1@dec");
        assertEquals(4, v6.count());
        assertEquals("2001:2::1:0", io.fleetgen.codec.InetText.format(v6.address(2)));
        assertEquals(1L << 32, FieldRange.parse("src=2001:2::..2001:2::ffff:ffff").count());
    }

    @Test
    void refusesBadRangesNamingTheField() {
        assertRefused("range: port (expected: one of src, dst, sport, dport, id, ttl, dscp)",
            () -> FieldRange.parse("port=1..2"));
        assertRefused("dport: 70000 (expected: 0-65535)", () -> FieldRange.parse("dport=9000..70000"));
        assertRefused("dport: 8999 (expected: at least the range's first value 9000)",
            () -> FieldRange.parse("dport=9000..8999"));
        assertRefused("dscp mode: sideways (expected: inc, dec or random)",
            () -> FieldRange.parse("dscp=0..63@sideways"));
        assertRefused("dst: 2001:2::1 (expected: an address of the same family as 198.18.0.1)",
            () -> FieldRange.parse("dst=198.18.0.1..2001:2::1"));
        assertRefused("src range: src=2001:2::..2001:3:: (expected: at most 4294967296 values)",
            () -> FieldRange.parse("src=2001:2::..2001:3::"));
        assertRefused("range: dport=1..2 (expected: one range per field (dport is ranged twice))",
            () -> ProfileSpec.builder(ProfileType.CONTINUOUS, UDP).ranges("dport=1..2,dport=1..2"));
        assertRefused("src: src=2001:2::1..2001:2::2 (expected: addresses of the stream's family (IPv4))",
            () -> ProfileSpec.builder(ProfileType.CONTINUOUS, UDP).ranges("src=2001:2::1..2001:2::2").build());
        assertRefused("id: id=1..2 (expected: an IPv4 stream (IPv6 has no id))",
            () -> ProfileSpec.builder(ProfileType.CONTINUOUS, UDP6).ranges("id=1..2").build());
        assertRefused("combine: zip (expected: cross or lockstep)",
            () -> ProfileSpec.builder(ProfileType.CONTINUOUS, UDP).combine("zip"));
        assertRefused("range: src=2001:2::..2001:2::ffff:ffff (expected: a cross product of at most 2^62 flows "
                + "(or combine=lockstep))", () -> ProfileSpec.builder(ProfileType.CONTINUOUS, UDP6)
                        .ranges("dst=2001:2::..2001:2::ffff:ffff,src=2001:2::..2001:2::ffff:ffff"));
    }

    @Test
    void rangesReachTheCapfilterTheDescriptionAndTheWire() throws Exception {
        ProfileSpec p = ProfileSpec.builder(ProfileType.CONTINUOUS, UDP).set("range",
                "src=198.18.0.10..198.18.0.73@random,dport=9000..9063").set("seed", "42").set("combine", "cross")
                .build();
        assertEquals("udp dst portrange 9000-9063", p.effectiveCapfilter());
        assertTrue(p.toString().contains("range=src=198.18.0.10..198.18.0.73@random,dport=9000..9063 combine=cross "
                + "seed=42 (4096 flows)"), p.toString());
        ProfileSpec back = Wire.decode(ProfileSpec.class, Wire.encode(p));
        assertEquals(p, back);
        assertEquals(42, back.flows().seed());
        ProfileSpec lock = p.toBuilder().combine("lockstep").build();
        assertEquals(64, lock.flows().cycle());
        assertEquals(lock, Wire.decode(ProfileSpec.class, Wire.encode(lock)));
    }

    @Test
    void imixInterleavesItsSizesByWeight() throws Exception {
        Imix m = Imix.parse("64:7,570:4,1518:1");
        assertEquals(12, m.cycle());
        int[] pattern = m.pattern();
        int[] n = new int[3];
        int run = 0;
        int longest = 0;
        for (int i = 0; i < pattern.length; i++) {
            n[pattern[i]]++;
            run = i > 0 && pattern[i] == pattern[i - 1] ? run + 1 : 1;
            longest = Math.max(longest, run);
        }
        assertEquals(7, n[0]);
        assertEquals(4, n[1]);
        assertEquals(1, n[2]);
        assertTrue(longest <= 2, "smooth: no size more than twice in a row: " + java.util.Arrays.toString(pattern));
        assertEquals((60 * 7 + 566 * 4 + 1514) / 12.0, m.meanFrameBytes(), 1e-9);
        assertRefused("imix size: 63 (expected: 64-9216)", () -> Imix.parse("63:1"));
        assertRefused("imix: 64 (expected: SIZE:WEIGHT, e.g. 64:7,570:4,1518:1)", () -> Imix.parse("64"));
        assertRefused("imix size: 64 (expected: each size once)", () -> Imix.parse("64:1,64:2"));
        assertRefused("imix weight: 0 (expected: 1-1000)", () -> Imix.parse("64:0"));
        ProfileSpec p = ProfileSpec.builder(ProfileType.CONTINUOUS, UDP).set("imix", "64:7,570:4,1518:1").build();
        assertEquals(p, Wire.decode(ProfileSpec.class, Wire.encode(p)));
        assertTrue(p.toString().contains("imix=64:7,570:4,1518:1"), p.toString());
        assertRefused("imix: 64:1 (expected: no fixed payload (imix sets the sizes))",
            () -> ProfileSpec.builder(ProfileType.CONTINUOUS, UDP).imix("64:1").set("payload", "x").build());
    }

    @Test
    void severalStreamsTravelWithTheirRatesAndCounters() throws Exception {
        StreamSpec b = StreamSpec.fromSeed(Map.of("proto", "udp", "dst", "198.18.0.2", "dport", "9401"));
        ProfileSpec p = ProfileSpec.builder(ProfileType.STANDARD, UDP).pps(1000).count(5).also(b, 2000).build();
        assertEquals(2, p.streams().size());
        assertEquals(2000, p.ppsOf(1));
        assertEquals(10, p.expectedPackets(), "count per stream");
        assertEquals("udp and (dst port 8000 or dst port 9401)", p.effectiveCapfilter());
        assertEquals(p, Wire.decode(ProfileSpec.class, Wire.encode(p)));
        RunStatus s = new RunStatus("h1", "r", Role.RECEIVER, RunState.RUNNING, ProfileType.STANDARD, "x",
                Counters.ZERO, null, 1, 0, java.util.List.of(Counters.ZERO, Counters.ZERO));
        assertEquals(s, Wire.decode(RunStatus.class, Wire.encode(s)));
        assertRefused("bps: 8000 (expected: 0 with several streams (each has its own pps))",
            () -> ProfileSpec.builder(ProfileType.CONTINUOUS, UDP).bps(8000).also(b, 1).build());
        assertRefused("stream: 2 streams (expected: udp or tcp streams whose packets carry the signature (no fixed "
                + "payload, size at least 24): the receiver tells the streams apart by it)",
            () -> ProfileSpec.builder(ProfileType.CONTINUOUS, UDP).size(10).also(b, 1).build());
    }
}
