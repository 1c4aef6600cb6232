package io.fleetgen.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.ProfileBuilder;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.codec.StreamSpec;
import io.vertx.core.eventbus.ReplyException;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 14, on the wire: a UDP run over 64 source addresses x 64 destination ports sends exactly the 4,096
 * 5-tuples, each as often as expected, in order for {@code inc} and in the same order twice for {@code random}
 * with one seed; IPv6 address ranges likewise; the receiver counts every packet; the allow-list covers every
 * address a range produces. Checked with tcpdump in the receiver's namespace.
 */
@EnabledIfSystemProperty(named = "fleetgen.lab", matches = "true")
class FlowsIT {
    private static final Pattern TUPLE = Pattern.compile("IP6? ([0-9a-f.:]+)\\.(\\d+) > ([0-9a-f.:]+)\\.(\\d+):");

    @Test
    void rangesSendEveryTupleOnTheWire() throws Exception {
        try (Lab lab = Lab.up(2, "--allow-sources 198.18.0.0/24,2001:2::/64")) {
            String v4 = "src=198.18.0.100..198.18.0.163,dport=9000..9063";
            List<String> inc = run(lab, "inc", "198.18.0.2", v4, 0, 8192);
            assertEquals("198.18.0.100 7000 > 198.18.0.2 9000", inc.get(0));
            assertEquals("198.18.0.101 7000 > 198.18.0.2 9000", inc.get(1));
            assertEquals(inc.subList(0, 4096), inc.subList(4096, 8192), "the cycle repeats, in order");
            assertEveryTupleTimes(inc, 4096, 2);

            String random = "src=198.18.0.100..198.18.0.163@random,dport=9000..9063@random";
            List<String> r1 = run(lab, "rand1", "198.18.0.2", random, 7, 4096);
            List<String> r2 = run(lab, "rand2", "198.18.0.2", random, 7, 4096);
            assertEquals(r1, r2, "the same seed, the same packets");
            assertNotEquals(inc.subList(0, 4096), r1);
            assertEveryTupleTimes(r1, 4096, 1);

            List<String> v6 = run(lab, "v6", "2001:2::2", "src=2001:2::100..2001:2::13f,dport=9000..9015", 0, 2048);
            assertEquals("2001:2::100 7000 > 2001:2::2 9000", v6.get(0));
            assertEveryTupleTimes(v6, 1024, 2);

            // The allow-list covers every address a range produces: the first outside is named.
            ProfileSpec outside = profile("198.18.0.2", "dst=198.18.0.250..198.19.0.5", 0, 10);
            ReplyException e = assertThrows(ReplyException.class,
                    () -> lab.start("h1", CommandOp.START_SENDER, "out", outside));
            assertTrue(e.getMessage().startsWith("dst: 198.18.1.0 (of range dst=198.18.0.250..198.19.0.5)"),
                    e.getMessage());
            ProfileSpec spoof = profile("198.18.0.2", "src=198.18.0.250..198.18.1.3", 0, 10);
            e = assertThrows(ReplyException.class, () -> lab.start("h1", CommandOp.START_SENDER, "spoof", spoof));
            assertTrue(e.getMessage().startsWith("src: 198.18.1.0 (of range src=198.18.0.250..198.18.1.3)"),
                    e.getMessage());
        }
    }

    private static ProfileSpec profile(String dst, String ranges, long seed, long count) {
        String src = dst.contains(":") ? "2001:2::1" : "198.18.0.1";
        return ProfileSpec.builder(ProfileType.STANDARD, StreamSpec.fromSeed(Map.of("proto", "udp", "src", src,
                "dst", dst, "sport", 7000, "dport", 9000))).ranges(ranges).seed(seed).count(count).pps(20_000)
                .build();
    }

    /** One Standard run of {@code count} packets h1 -> h2 under tcpdump; the 5-tuples in wire order. */
    private static List<String> run(Lab lab, String name, String dst, String ranges, long seed, int count)
            throws Exception {
        ProfileSpec p = profile(dst, ranges, seed, count);
        assertTrue(p.effectiveCapfilter().contains("dst portrange 9000-"), p.effectiveCapfilter());
        lab.start("h2", CommandOp.START_RECEIVER, name, p);
        File out = File.createTempFile("fleetgen-flows", ".txt");
        Process dump = new ProcessBuilder("ip", "netns", "exec", "fg-h2", "tcpdump", "-n", "-l", "-i", "data0",
                "-c", Integer.toString(count), "udp dst portrange 9000-9063 and src port 7000").redirectOutput(out)
                .start();
        BufferedReader err = new BufferedReader(new InputStreamReader(dump.getErrorStream(), StandardCharsets.UTF_8));
        for (String line = err.readLine(); line == null || !line.contains("listening on"); line = err.readLine()) {
            assertTrue(line != null, "tcpdump exited before listening");
        }
        RunStatus s = lab.start("h1", CommandOp.START_SENDER, name, p);
        assertTrue(dump.waitFor(30, TimeUnit.SECONDS), "tcpdump saw " + count + " packets");
        s = lab.pollUntil("h1", name, x -> x.state().isTerminal(), 30);
        RunStatus r = lab.pollUntil("h2", name, x -> x.counters().recv() >= count, 10);
        lab.stop("h2", name);
        assertEquals(count, s.counters().sent());
        assertEquals(count, r.counters().recv(), "the receiver counted every flow's packets");
        assertEquals(0, r.counters().duplicates());
        List<String> tuples = new ArrayList<>();
        List<String> lines = Files.readAllLines(out.toPath());
        for (String line : lines) {
            Matcher m = TUPLE.matcher(line);
            if (m.find()) {
                tuples.add(m.group(1) + " " + m.group(2) + " > " + m.group(3) + " " + m.group(4));
            }
        }
        Files.delete(out.toPath());
        assertEquals(count, tuples.size(), "tcpdump lines: " + lines.size() + ", from "
                + lines.subList(0, Math.min(3, lines.size())));
        return tuples;
    }

    private static void assertEveryTupleTimes(List<String> tuples, int distinct, int times) {
        Map<String, Integer> n = new HashMap<>();
        tuples.forEach(t -> n.merge(t, 1, Integer::sum));
        assertEquals(distinct, n.size(), "distinct 5-tuples");
        n.forEach((t, c) -> assertEquals(times, c, t));
    }

    /**
     * An IMIX run of 100,000 packets: on the wire, each size's share within 1 % of its weight (exact, in fact: a
     * fixed interleaving) and the bit rate between the first and the last frame within 1 % of the {@code bps} set,
     * counting whole frames as pacing does, over the departures the sender did not skip after a stall (at most 5 %);
     * the receiver counts every packet and every byte.
     */
    @Test
    void imixMatchesItsWeightsAndItsBitRate() throws Exception {
        try (Lab lab = Lab.up(2)) {
            int count = 100_000;
            long bps = 40_000_000;
            ProfileSpec p = ProfileSpec.builder(ProfileType.STANDARD, StreamSpec.fromSeed(Map.of("proto", "udp",
                    "src", "198.18.0.1", "dst", "198.18.0.2", "sport", 7100, "dport", 9100))).imix("64:7,570:4,1518:1")
                    .count(count).bps(bps).build();
            lab.start("h2", CommandOp.START_RECEIVER, "imix", p);
            File out = File.createTempFile("fleetgen-imix", ".txt");
            Process dump = new ProcessBuilder("ip", "netns", "exec", "fg-h2", "tcpdump", "-n", "-e", "-tt", "-l",
                    "-B", "16384", "-i", "data0", "-c", Integer.toString(count), "udp dst port 9100")
                    .redirectOutput(out).start();
            BufferedReader err = new BufferedReader(new InputStreamReader(dump.getErrorStream(),
                    StandardCharsets.UTF_8));
            for (String line = err.readLine(); line == null || !line.contains("listening on"); line = err.readLine()) {
                assertTrue(line != null, "tcpdump exited before listening");
            }
            lab.start("h1", CommandOp.START_SENDER, "imix", p);
            assertTrue(dump.waitFor(60, TimeUnit.SECONDS), "tcpdump saw " + count + " packets");
            RunStatus s = lab.pollUntil("h1", "imix", x -> x.state().isTerminal(), 30);
            RunStatus r = lab.pollUntil("h2", "imix", x -> x.counters().recv() >= count, 10);
            lab.stop("h2", "imix");
            Map<Integer, Integer> sizes = new HashMap<>();
            Pattern frame = Pattern.compile("^(\\d+\\.\\d+) .*, length (\\d+): ");
            double first = -1;
            double last = 0;
            long bits = 0;
            long lastBits = 0;
            for (String line : Files.readAllLines(out.toPath())) {
                Matcher m = frame.matcher(line);
                if (m.find()) {
                    int len = Integer.parseInt(m.group(2));
                    sizes.merge(len + 4, 1, Integer::sum);
                    double t = Double.parseDouble(m.group(1));
                    first = first < 0 ? t : first;
                    last = t;
                    lastBits = len * 8L;
                    bits += lastBits;
                }
            }
            Files.delete(out.toPath());
            assertEquals(count, sizes.values().stream().mapToInt(Integer::intValue).sum(), "frames seen");
            assertEquals(3, sizes.size(), sizes.toString());
            assertEquals(7.0 / 12, sizes.get(64) / (double) count, 0.01 * 7 / 12, sizes.toString());
            assertEquals(4.0 / 12, sizes.get(570) / (double) count, 0.01 * 4 / 12, sizes.toString());
            assertEquals(1.0 / 12, sizes.get(1518) / (double) count, 0.01 / 12, sizes.toString());
            assertPacedBitRate(bps, bits, lastBits, last - first, s);
            assertEquals(count, s.counters().sent());
            assertEquals(count, r.counters().recv());
            assertEquals(s.counters().sentBytes(), r.counters().recvBytes(), "every byte counted at both ends");
            assertEquals((long) (count / 12) * (60 * 7 + 566 * 4 + 1514) + tail(count),
                    s.counters().sentBytes(), "the sender's bytes: the sizes of the frames it sent");
        }
    }

    /**
     * The schedule is exact: frame i is due i periods after the first, a period being the bits of the mean frame at
     * the set rate; a stall moves what is left of it by whole periods counted as skipped departures (and by less
     * than one more period per stall). Over the periods the sender did not skip, the rate on the wire from the first
     * frame to the last is the one set, within 1 %; what a loaded host skipped is reported, and bounded (5 %).
     */
    private static void assertPacedBitRate(long bps, long bits, long lastBits, double secs, RunStatus s) {
        long count = s.counters().sent();
        long skipped = s.counters().skipped();
        assertTrue(skipped < count / 20, "more than 5 % of departures skipped after stalls: " + s);
        double period = (bits / (double) count) / bps;
        double rate = (bits - lastBits) / (secs - skipped * period);
        assertEquals(bps, rate, bps * 0.01, "bit/s on the wire, first to last frame, less " + skipped
                + " skipped departures of " + period * 1e6 + " us: " + s);
    }

    /** Bytes of the packets after the last whole cycle of 12: the first count % 12 of the interleaving. */
    private static long tail(int count) {
        int[] order = io.fleetgen.codec.Imix.parse("64:7,570:4,1518:1").pattern();
        int[] bytes = {60, 566, 1514};
        long sum = 0;
        for (int i = 0; i < count % 12; i++) {
            sum += bytes[order[i]];
        }
        return sum;
    }

    /**
     * Three streams in one run at 1,000, 2,000 and 3,000 pps: the receiver counts each apart, exactly what the
     * sender sent on it; with an nftables rule on the lab's bridge dropping the third, that stream loses everything
     * and the other two nothing.
     */
    @Test
    void severalStreamsAreCountedApart() throws Exception {
        try (Lab lab = Lab.up(2)) {
            long[][] exact = streams(lab, "s3", false);
            assertEquals(2000, exact[0][0], 150, "stream 0 at 1,000 pps for 2 s");
            assertEquals(6000, exact[2][0], 450, "stream 2 at 3,000 pps for 2 s");
            for (long[] st : exact) {
                assertEquals(st[0], st[1], "each stream received exactly what it sent");
            }
            Lab.sh("nft", "add", "table", "bridge", "fgflows");
            try {
                Lab.sh("nft", "add", "chain", "bridge", "fgflows", "path",
                        "{ type filter hook forward priority 0; policy accept; }");
                Lab.sh("nft", "add", "rule", "bridge", "fgflows", "path", "udp", "dport", "9402", "drop");
                long[][] dropped = streams(lab, "s3drop", true);
                assertEquals(dropped[0][0], dropped[0][1], "stream 0 loses nothing");
                assertEquals(dropped[1][0], dropped[1][1], "stream 1 loses nothing");
                // The rate is checked above; here only that stream 2 was sent in earnest. A paced sender does not
                // catch up after its thread was descheduled (no bursts, by design), so under CI load it may send
                // fewer than 6,000 in the 2 s (once: 4,000 or fewer); the counts say which streams were short.
                assertTrue(dropped[2][0] > 1000, "stream 2 was sent: sent per stream " + dropped[0][0] + ", "
                        + dropped[1][0] + ", " + dropped[2][0]);
                assertEquals(0, dropped[2][1], "stream 2 was dropped on the path: 100 % loss");
            } finally {
                Lab.sh("nft", "delete", "table", "bridge", "fgflows");
            }
        }
    }

    /**
     * One run of three streams for 2 s; per stream {sent, received}. The receiver is stopped once the streams that
     * pass ({@code dropped}: the first two) have arrived; one that arrives late anyway fails the exact counts.
     */
    private static long[][] streams(Lab lab, String name, boolean dropped) throws Exception {
        ProfileBuilder b = ProfileSpec.builder(ProfileType.CONTINUOUS, udpTo(9400)).pps(1000)
                .durationMillis(2000);
        ProfileSpec p = b.also(udpTo(9401), 2000).also(udpTo(9402), 3000).build();
        assertEquals("udp and (dst port 9400 or dst port 9401 or dst port 9402)", p.effectiveCapfilter());
        lab.start("h2", CommandOp.START_RECEIVER, name, p);
        lab.start("h1", CommandOp.START_SENDER, name, p);
        RunStatus s = lab.pollUntil("h1", name, x -> x.state().isTerminal(), 20);
        assertEquals(3, s.streams().size(), s.toString());
        // Wait until each stream that can arrive (all three, or the two the rule lets through) has all it sent.
        int through = dropped ? 2 : 3;
        RunStatus sent = s;
        lab.pollUntil("h2", name, x -> x.streams().size() == 3 && java.util.stream.IntStream.range(0, through)
                .allMatch(i -> x.streams().get(i).recv() >= sent.streams().get(i).sent()), 10);
        RunStatus r = lab.stop("h2", name);
        long[][] out = new long[3][2];
        for (int i = 0; i < 3; i++) {
            out[i][0] = s.streams().get(i).sent();
            out[i][1] = r.streams().get(i).recv();
            assertEquals(0, r.streams().get(i).duplicates());
        }
        assertEquals(s.counters().sent(), out[0][0] + out[1][0] + out[2][0], "the total is the sum of the streams");
        return out;
    }

    private static StreamSpec udpTo(int dport) {
        return StreamSpec.fromSeed(Map.of("proto", "udp", "src", "198.18.0.1", "dst", "198.18.0.2", "sport", 7200,
                "dport", dport));
    }
}
