package io.fleetgen.agent.impl.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.agent.frame.Checksums;
import io.fleetgen.agent.frame.FrameBuilder;
import io.fleetgen.agent.frame.FrameTemplate;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.StreamSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The packet sequence of field ranges, without root: frames compiled and patched as the transmit loop does. */
class FlowSequencerTest {
    private static final byte[] MAC = {2, 0, 0, 0, 0, 1};

    private static List<String> tuples(ProfileSpec p, int packets, int thread, int threads) {
        FrameTemplate f = FrameBuilder.compile(p.stream(), MAC, MAC, null, new byte[100], true, 1);
        FlowSequencer s = FlowSequencer.of(p);
        List<String> out = new ArrayList<>();
        for (long k = thread; out.size() < packets; k += threads) {
            s.apply(f, k);
            out.add(tuple(f));
        }
        return out;
    }

    /** src sport > dst dport ttl dscp, read from the frame's bytes (IPv4 or IPv6, UDP). */
    static String tuple(FrameTemplate f) {
        byte[] b = f.frame();
        int l3 = 14;
        boolean v4 = f.layout().ipVersion() == 4;
        int l4 = f.layout().l4();
        String src = v4 ? ip4(b, l3 + 12) : ip6(b, l3 + 8);
        String dst = v4 ? ip4(b, l3 + 16) : ip6(b, l3 + 24);
        int ttl = v4 ? b[l3 + 8] & 0xFF : b[l3 + 7] & 0xFF;
        int dscp = v4 ? (b[l3 + 1] & 0xFF) >> 2 : (Checksums.u16(b, l3) >> 6) & 0x3F;
        return src + " " + Checksums.u16(b, l4) + " > " + dst + " " + Checksums.u16(b, l4 + 2) + " " + ttl + " "
                + dscp;
    }

    private static String ip4(byte[] b, int o) {
        return (b[o] & 0xFF) + "." + (b[o + 1] & 0xFF) + "." + (b[o + 2] & 0xFF) + "." + (b[o + 3] & 0xFF);
    }

    private static String ip6(byte[] b, int o) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 16; i += 2) {
            s.append(i == 0 ? "" : ":").append(Integer.toHexString(Checksums.u16(b, o + i)));
        }
        return s.toString();
    }

    private static ProfileSpec udp(String dst, String ranges, String combine, long seed) {
        return ProfileSpec.builder(ProfileType.CONTINUOUS, StreamSpec.fromSeed(Map.of("proto", "udp", "src",
                dst.contains(":") ? "2001:2::1" : "198.18.0.1", "dst", dst, "sport", 7000, "dport", 8000)))
                .ranges(ranges).combine(combine).seed(seed).build();
    }

    @Test
    void crossProductSendsEveryTupleOncePerCycleFirstRangeFastest() {
        ProfileSpec p = udp("198.18.0.2", "src=198.18.0.100..198.18.0.163,dport=9000..9063", "cross", 0);
        List<String> t = tuples(p, 4096 * 2, 0, 1);
        assertEquals("198.18.0.100 7000 > 198.18.0.2 9000 64 0", t.get(0));
        assertEquals("198.18.0.101 7000 > 198.18.0.2 9000 64 0", t.get(1), "the first range varies fastest");
        assertEquals("198.18.0.100 7000 > 198.18.0.2 9001 64 0", t.get(64));
        assertEquals(4096, new HashSet<>(t.subList(0, 4096)).size());
        assertEquals(t.subList(0, 4096), t.subList(4096, 8192), "the cycle repeats");
    }

    @Test
    void randomIsAPermutationFixedByTheSeed() {
        String r = "src=198.18.0.100..198.18.0.163@random,dport=9000..9063@random";
        List<String> a = tuples(udp("198.18.0.2", r, "cross", 42), 4096, 0, 1);
        List<String> b = tuples(udp("198.18.0.2", r, "cross", 42), 4096, 0, 1);
        List<String> c = tuples(udp("198.18.0.2", r, "cross", 43), 4096, 0, 1);
        assertEquals(a, b, "same seed, same packets");
        assertNotEquals(a, c, "another seed, another order");
        assertEquals(4096, new HashSet<>(a).size(), "every tuple once per cycle");
        assertEquals(new HashSet<>(a), new HashSet<>(c));
        List<String> inc = tuples(udp("198.18.0.2", r.replace("@random", ""), "cross", 42), 4096, 0, 1);
        assertNotEquals(inc, a);
        // A permutation of a size that is not a power of two, walked back into range.
        FlowSequencer.Permutation perm = new FlowSequencer.Permutation(1000, 7);
        Set<Long> seen = new HashSet<>();
        for (long i = 0; i < 1000; i++) {
            long v = perm.at(i);
            assertTrue(v >= 0 && v < 1000);
            seen.add(v);
        }
        assertEquals(1000, seen.size());
    }

    @Test
    void decLockstepStepsAndOtherFields() {
        List<String> t = tuples(udp("198.18.0.2", "dport=9000..9010/5@dec,ttl=10..12,dscp=46..46", "lockstep", 0),
                6, 0, 1);
        assertEquals(List.of("198.18.0.1 7000 > 198.18.0.2 9010 10 46", "198.18.0.1 7000 > 198.18.0.2 9005 11 46",
                "198.18.0.1 7000 > 198.18.0.2 9000 12 46", "198.18.0.1 7000 > 198.18.0.2 9010 10 46",
                "198.18.0.1 7000 > 198.18.0.2 9005 11 46", "198.18.0.1 7000 > 198.18.0.2 9000 12 46"), t);
    }

    @Test
    void ipv6AddressRangesCarryAcrossWords() {
        List<String> t = tuples(udp("2001:2::2", "dst=2001:2::fffe..2001:2::1:1", "cross", 0), 4, 0, 1);
        assertEquals(List.of("2001:2:0:0:0:0:0:1 7000 > 2001:2:0:0:0:0:0:fffe 8000 64 0",
                "2001:2:0:0:0:0:0:1 7000 > 2001:2:0:0:0:0:0:ffff 8000 64 0",
                "2001:2:0:0:0:0:0:1 7000 > 2001:2:0:0:0:0:1:0 8000 64 0",
                "2001:2:0:0:0:0:0:1 7000 > 2001:2:0:0:0:0:1:1 8000 64 0"), t);
    }

    @Test
    void threadsInterleaveOneSequence() {
        ProfileSpec p = udp("198.18.0.2", "dport=9000..9099@random", "cross", 5);
        List<String> one = tuples(p, 100, 0, 1);
        List<String> t0 = tuples(p, 50, 0, 2);
        List<String> t1 = tuples(p, 50, 1, 2);
        Map<String, Integer> seen = new HashMap<>();
        t0.forEach(x -> seen.merge(x, 1, Integer::sum));
        t1.forEach(x -> seen.merge(x, 1, Integer::sum));
        assertEquals(100, seen.size(), "two threads together send the one thread's 100 tuples");
        assertEquals(one.get(1), t1.get(0));
    }

    /** The transmit loop's cursor (digits carried, only changes written) gives exactly the frames of apply(k). */
    @Test
    void theCursorWritesTheSameFramesAsTheSequence() {
        String[][] cases = {{"src=198.18.0.100..198.18.0.163,dport=9000..9063", "cross"},
            {"dport=9000..9010/5@dec,ttl=10..12,dscp=40..46@random", "lockstep"},
            {"src=198.18.0.1..198.18.0.3@random,dport=1..2,ttl=1..5@dec", "cross"}};
        for (String[] c : cases) {
            ProfileSpec p = udp("198.18.0.2", c[0], c[1], 9);
            for (int threads : new int[] {1, 3, 7}) {
                for (int thread = 0; thread < threads; thread++) {
                    List<String> expected = tuples(p, 500, thread, threads);
                    FrameTemplate a = FrameBuilder.compile(p.stream(), MAC, MAC, null, new byte[100], true, 1);
                    FrameTemplate b = a.copy();
                    FlowSequencer.Cursor cursor = FlowSequencer.of(p).cursor(thread, threads, 2);
                    for (int i = 0; i < 500; i++) {
                        FrameTemplate f = i % 3 == 0 ? b : a;   // two frames, as an IMIX of two sizes
                        cursor.next(f, f == b ? 1 : 0);
                        assertEquals(expected.get(i), tuple(f), c[0] + " thread " + thread + "/" + threads + " #" + i);
                    }
                }
            }
        }
    }

    /** The per-packet work of ranges allocates nothing: a million packets (random order, three ranges) cost
     * under 16 KiB, i.e. not a byte per packet. */
    @Test
    void walkingTheSequenceAllocatesNothing() {
        ProfileSpec p = udp("198.18.0.2", "src=198.18.0.100..198.18.0.163@random,dport=9000..9063,ttl=1..64@dec",
                "cross", 3);
        FrameTemplate f = FrameBuilder.compile(p.stream(), MAC, MAC, null, new byte[100], true, 1);
        FlowSequencer.Cursor c = FlowSequencer.of(p).cursor(0, 1, 1);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean)
                java.lang.management.ManagementFactory.getThreadMXBean();
        mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 200_000; i++) {
            c.next(f, 0);
            f.setSignature(i, i);
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000_000; i++) {
            c.next(f, 0);
            f.setSignature(i, i);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        // A few KiB at most, whatever the count (the compiler's own, once): nothing per packet.
        assertTrue(allocated < 16 * 1024, "bytes allocated for a million packets: " + allocated);
    }

    @Test
    void sportRangeProfileIsTheSeedsSequence() {
        ProfileSpec p = ProfileSpec.builder(ProfileType.SPORT_RANGE, StreamSpec.fromSeed(Map.of("proto", "udp",
                "src", "198.18.0.1", "dst", "198.18.0.2", "dport", 8000))).startport(5000).endport(5002).build();
        List<String> t = tuples(p, 4, 0, 1);
        assertEquals("198.18.0.1 5000 > 198.18.0.2 8000 64 0", t.get(0));
        assertEquals("198.18.0.1 5002 > 198.18.0.2 8000 64 0", t.get(2));
        assertEquals("198.18.0.1 5000 > 198.18.0.2 8000 64 0", t.get(3));
        assertNull(FlowSequencer.of(ProfileSpec.builder(ProfileType.CONTINUOUS, p.stream()).build()));
    }
}
