package io.fleetgen.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.Counters;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.RunState;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.codec.StreamSpec;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

@EnabledIfSystemProperty(named = "fleetgen.lab", matches = "true")
class AgentLabIT {
    private static Lab lab;

    @BeforeAll
    static void up() throws Exception {
        lab = Lab.up(3);
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    private static StreamSpec stream(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return StreamSpec.fromSeed(m);
    }

    private static void assertExact(RunStatus sender, RunStatus receiver, long expected) {
        Counters s = sender.counters();
        Counters r = receiver.counters();
        assertEquals(expected, s.sent(), "sent " + sender);
        assertEquals(0, s.sendErrors(), "send errors " + sender);
        assertEquals(expected, r.recv(), "recv " + receiver);
        assertEquals(0, r.corrupt(), "corrupt " + receiver);
    }

    /**
     * Receiver on {@code to}, sender on h1, until the receiver counted {@code atLeast}; then stop the sender, wait
     * until the receiver counted all it sent, stop the receiver. Returns the sender's and the receiver's final
     * status, asserted exact.
     */
    private static RunStatus[] continuous(String name, ProfileSpec p, String to, long atLeast) throws Exception {
        lab.start(to, CommandOp.START_RECEIVER, name, p);
        lab.start("h1", CommandOp.START_SENDER, name, p);
        lab.pollUntil(to, name, x -> x.counters().recv() >= atLeast, 20);
        RunStatus s = lab.stop("h1", name);
        lab.pollUntil(to, name, x -> x.counters().recv() >= s.counters().sent(), 10);
        RunStatus r = lab.stop(to, name);
        assertEquals(RunState.STOPPED, s.state(), s.toString());
        assertEquals(RunState.STOPPED, r.state(), r.toString());
        assertExact(s, r, s.counters().sent());
        return new RunStatus[] {s, r};
    }

    private void standard(String name, StreamSpec stream, long count) throws Exception {
        ProfileSpec p = ProfileSpec.builder(ProfileType.STANDARD, stream).count(count).build();
        lab.start("h2", CommandOp.START_RECEIVER, name, p);
        lab.start("h1", CommandOp.START_SENDER, name, p);
        RunStatus s = lab.pollUntil("h1", name, x -> x.state().isTerminal(), 30);
        RunStatus r = lab.pollUntil("h2", name, x -> x.state().isTerminal(), 30);
        assertEquals(RunState.FINISHED, s.state(), s.toString());
        assertEquals(RunState.FINISHED, r.state(), r.toString());
        assertExact(s, r, count);
    }

    @Test
    void udpStandardIpv4CountsExactly() throws Exception {
        standard("udp4", stream("proto", "udp", "src", "198.18.0.1", "dst", "198.18.0.2", "dport", "8000"), 1000);
    }

    @Test
    void udpStandardIpv6CountsExactly() throws Exception {
        standard("udp6", stream("proto", "udp", "dst", "2001:2::2", "dport", 8001), 500);
    }

    @Test
    void tcpStandardIsARealSessionWithEverySegmentAcknowledged() throws Exception {
        standard("tcp4", stream("proto", "tcp", "dst", "198.18.0.2", "dport", 9000), 3000);
        RunStatus s = lab.poll("h1", "tcp4");
        assertEquals(3000, s.counters().recv(), "segments acknowledged by the peer " + s);
        assertTrue(!Lab.inHost(1, "iptables", "-S", "OUTPUT").contains("fleetgen:"), "RST rule removed");
    }

    @Test
    void tcpOverIpv6ContinuousStopsWithEverySegmentCounted() throws Exception {
        ProfileSpec p = ProfileSpec.builder(ProfileType.CONTINUOUS, stream("proto", "tcp", "dst", "2001:2::3",
                "dport", 9001)).build();
        lab.start("h3", CommandOp.START_RECEIVER, "tcp6", p);
        lab.start("h1", CommandOp.START_SENDER, "tcp6", p);
        lab.pollUntil("h3", "tcp6", x -> x.counters().recv() >= 5000, 20);
        assertTrue(Lab.inHost(1, "ip6tables", "-S", "OUTPUT").contains("fleetgen:h1:tcp6"), "RST rule while running");
        RunStatus s = lab.stop("h1", "tcp6");
        RunStatus r = lab.pollUntil("h3", "tcp6", x -> x.counters().recv() >= s.counters().sent(), 10);
        lab.stop("h3", "tcp6");
        assertExact(s, r, s.counters().sent());
        assertEquals(s.counters().sent(), s.counters().recv(), "acknowledged " + s);
        assertTrue(!Lab.inHost(1, "ip6tables", "-S", "OUTPUT").contains("fleetgen:"), "RST rule removed");
    }

    @Test
    void icmpEchoRequestsCountedAndRepliesSeenBySender() throws Exception {
        ProfileSpec p = ProfileSpec.builder(ProfileType.CONTINUOUS, stream("proto", "icmp", "dst", "198.18.0.2"))
                .pps(2000).build();
        RunStatus s = continuous("icmp", p, "h2", 500)[0];
        assertEquals(s.counters().sent(), s.counters().recv(), "echo replies " + s);
    }

    @Test
    void icmpv6StandardCountsExactly() throws Exception {
        standard("icmp6", stream("proto", "icmp", "dst", "2001:2::2"), 200);
    }

    @Test
    void burstSendsCountTimesBurstCount() throws Exception {
        ProfileSpec p = ProfileSpec.builder(ProfileType.BURST, stream("proto", "udp", "dst", "198.18.0.2",
                "dport", 8002)).count(4).burstCount(50).burstIntervalMillis(200).build();
        lab.start("h2", CommandOp.START_RECEIVER, "burst", p);
        lab.start("h1", CommandOp.START_SENDER, "burst", p);
        RunStatus s = lab.pollUntil("h1", "burst", x -> x.state().isTerminal(), 20);
        RunStatus r = lab.pollUntil("h2", "burst", x -> x.state().isTerminal(), 20);
        assertEquals(RunState.FINISHED, r.state());
        assertExact(s, r, 200);
    }

    @Test
    void continuousStoppedAfterAWhileCountsExactly() throws Exception {
        ProfileSpec p = ProfileSpec.builder(ProfileType.CONTINUOUS, stream("proto", "udp", "dst", "198.18.0.3",
                "dport", 8003)).build();
        continuous("cont", p, "h3", 20_000);
        // Final events are batched for at most 100 ms after the run ends.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!lab.finals.containsKey("h1/cont") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(lab.finals.containsKey("h1/cont"), "final counter event of the sender");
    }

    @Test
    void sportRangeCyclesEverySourcePort() throws Exception {
        ProfileSpec p = ProfileSpec.builder(ProfileType.SPORT_RANGE, stream("proto", "udp", "dst", "198.18.0.2",
                "dport", 8004)).startport(8001).endport(8200).pps(2000).build();
        lab.start("h2", CommandOp.START_RECEIVER, "sports", p);
        String ports = "/tmp/fleetgen-sports.txt";
        Process dump = new ProcessBuilder("ip", "netns", "exec", "fg-h2", "tcpdump", "-n", "-l", "-i", "data0",
                "-c", "400", "udp dst port 8004").redirectOutput(new java.io.File(ports)).start();
        // tcpdump says "listening on data0" once its capture is open; the sender starts after that.
        java.io.BufferedReader err = new java.io.BufferedReader(new java.io.InputStreamReader(dump.getErrorStream(),
                java.nio.charset.StandardCharsets.UTF_8));
        for (String line = err.readLine(); line == null || !line.contains("listening on"); line = err.readLine()) {
            assertTrue(line != null, "tcpdump exited before listening");
        }
        lab.start("h1", CommandOp.START_SENDER, "sports", p);
        assertTrue(dump.waitFor(20, java.util.concurrent.TimeUnit.SECONDS), "tcpdump saw 400 packets");
        RunStatus s = lab.stop("h1", "sports");
        RunStatus r = lab.pollUntil("h2", "sports", x -> x.counters().recv() >= s.counters().sent(), 10);
        lab.stop("h2", "sports");
        assertExact(s, r, s.counters().sent());
        java.util.Set<Integer> seen = new java.util.TreeSet<>();
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(ports))) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("198\\.18\\.0\\.1\\.(\\d+) >").matcher(line);
            if (m.find()) {
                seen.add(Integer.parseInt(m.group(1)));
            }
        }
        for (int port = 8001; port <= 8200; port++) {
            assertTrue(seen.contains(port), "source port " + port + " seen by the receiver");
        }
    }

    @Test
    void wrongUdpChecksumCountsEveryPacketCorrupted() throws Exception {
        ProfileSpec p = ProfileSpec.builder(ProfileType.STANDARD, stream("proto", "udp", "dst", "198.18.0.2",
                "dport", 8005, "chksum", "0x1234")).count(100).chksum(true).build();
        lab.start("h2", CommandOp.START_RECEIVER, "badsum", p);
        lab.start("h1", CommandOp.START_SENDER, "badsum", p);
        RunStatus s = lab.pollUntil("h1", "badsum", x -> x.state().isTerminal(), 20);
        RunStatus r = lab.pollUntil("h2", "badsum", x -> x.counters().corrupt() >= 100, 20);
        assertEquals(100, s.counters().sent());
        assertEquals(100, r.counters().corrupt());
        assertEquals(0, r.counters().recv());
    }

    @Test
    void largeFramesVerifiedWholeCountWireBytes() throws Exception {
        ProfileSpec p = ProfileSpec.builder(ProfileType.STANDARD, stream("proto", "udp", "dst", "198.18.0.3",
                "dport", 8006)).count(300).size(1400).chksum(true).build();
        lab.start("h3", CommandOp.START_RECEIVER, "large", p);
        lab.start("h1", CommandOp.START_SENDER, "large", p);
        RunStatus s = lab.pollUntil("h1", "large", x -> x.state().isTerminal(), 20);
        RunStatus r = lab.pollUntil("h3", "large", x -> x.state().isTerminal(), 20);
        assertExact(s, r, 300);
        assertEquals(300L * (14 + 20 + 8 + 1400), s.counters().sentBytes(), s.toString());
        assertEquals(s.counters().sentBytes(), r.counters().recvBytes(), "bytes on the wire " + r);
    }

    @Test
    void receiverWithDurationCountsASenderStartedLater() throws Exception {
        ProfileSpec p = ProfileSpec.builder(ProfileType.CONTINUOUS, stream("proto", "udp", "dst", "198.18.0.2",
                "dport", 8007)).pps(5000).durationMillis(1000).build();
        lab.start("h2", CommandOp.START_RECEIVER, "later", p);
        // Not a synchronisation: the scenario is a sender started longer after the receiver than the duration.
        Thread.sleep(1500);
        lab.start("h1", CommandOp.START_SENDER, "later", p);
        RunStatus s = lab.pollUntil("h1", "later", x -> x.state().isTerminal(), 20);
        RunStatus r = lab.pollUntil("h2", "later", x -> x.state().isTerminal(), 20);
        assertEquals(RunState.FINISHED, s.state(), s.toString());
        assertEquals(RunState.FINISHED, r.state(), "ended by itself after its duration " + r);
        assertTrue(s.counters().sent() >= 4000, "about a second at 5 kpps " + s);
        assertExact(s, r, s.counters().sent());
        Counters c = r.counters();
        assertEquals(c.recv(), c.latencySamples(), "a one-way latency sample per received packet " + c);
        assertTrue(c.latencyMinNanos() > 0 && c.latencyMinNanos() <= c.latencyAvgNanos()
                && c.latencyAvgNanos() <= c.latencyMaxNanos() && c.latencyMaxNanos() < 1_000_000_000L,
                "latency min <= avg <= max, under a second between two namespaces of one machine " + c);
        assertTrue(c.jitterNanos() >= 0 && c.jitterNanos() <= c.latencyMaxNanos() - c.latencyMinNanos(),
                "jitter within the latency's range " + c);
        // Percentiles from the receiver's histogram (2 significant digits): ordered, within min and max (+1 %).
        assertTrue(c.latencyP50Nanos() > 0 && c.latencyP50Nanos() <= c.latencyP90Nanos()
                && c.latencyP90Nanos() <= c.latencyP99Nanos() && c.latencyP99Nanos() <= c.latencyP999Nanos()
                && c.latencyP50Nanos() >= c.latencyMinNanos() * 99 / 100
                && c.latencyP999Nanos() <= c.latencyMaxNanos() * 101 / 100, "percentiles " + c);
    }

    @Test
    void aBitRateIsPacedOverWholeFrames() throws Exception {
        // 100-byte payload: 142-byte frames, 1136 bits; 11.36 Mbit/s is 10,000 frames per second.
        ProfileSpec p = ProfileSpec.builder(ProfileType.CONTINUOUS, stream("proto", "udp", "dst", "198.18.0.3",
                "dport", 8008)).bps(11_360_000).durationMillis(2000).build();
        lab.start("h3", CommandOp.START_RECEIVER, "bitrate", p);
        lab.start("h1", CommandOp.START_SENDER, "bitrate", p);
        RunStatus s = lab.pollUntil("h1", "bitrate", x -> x.state().isTerminal(), 20);
        RunStatus r = lab.pollUntil("h3", "bitrate", x -> x.state().isTerminal(), 20);
        assertExact(s, r, s.counters().sent());
        // The schedule is exact: 2 s of 10,000 frames a second, each sent, refused or skipped after a stall (a rate
        // counted over the 100-byte payloads would be 28,400). What a loaded host skips is reported, and bounded.
        long schedule = s.counters().sent() + s.counters().skipped() + s.counters().sendErrors();
        assertEquals(20_000, schedule, "departures at 11.36 Mbit/s of 142-byte frames over 2 s: " + s);
        // Paced, not sent at once: the last departure is due 1.9999 s after the first (a stall only makes it later).
        double secs = (s.endedAtMillis() - s.startedAtMillis()) / 1e3;
        assertTrue(secs >= 1.99, "the run lasted " + secs + " s, expected its 2 s: " + s);
        assertTrue(s.counters().skipped() < 1000, "more than 5 % of departures skipped after stalls: " + s);
        assertEquals(142L * s.counters().sent(), s.counters().sentBytes());
    }

    @Test
    void floatingIpListenerCountsExactly() throws Exception {
        // The "floating IP" 198.18.0.102 is DNATed to h2's own address, as a FIP would be.
        Lab.inHost(2, "ip", "addr", "add", "198.18.0.102/32", "dev", "data0");
        Lab.inHost(2, "iptables", "-t", "nat", "-A", "PREROUTING", "-d", "198.18.0.102", "-p", "udp", "-j", "DNAT",
                "--to-destination", "198.18.0.2");
        ProfileSpec p = ProfileSpec.builder(ProfileType.STANDARD, stream("proto", "udp", "dst", "198.18.0.102",
                "dport", 9000)).count(300).listener("198.18.0.2").capfilter("udp port 9000").build();
        lab.start("h2", CommandOp.START_RECEIVER, "fip", p);
        lab.start("h1", CommandOp.START_SENDER, "fip", p);
        RunStatus s = lab.pollUntil("h1", "fip", x -> x.state().isTerminal(), 20);
        RunStatus r = lab.pollUntil("h2", "fip", x -> x.state().isTerminal(), 20);
        assertExact(s, r, 300);
        assertEquals("198.18.0.2", r.target());
    }
}
