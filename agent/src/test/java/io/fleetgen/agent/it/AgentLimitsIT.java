package io.fleetgen.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.ErrorCode;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.RunState;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.codec.StreamSpec;
import io.vertx.core.eventbus.ReplyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 11 in the lab: each limit and each policy refusal is an error naming it, while a run started before keeps
 * counting. The agents run with small limits so that reaching them is cheap.
 */
@EnabledIfSystemProperty(named = "fleetgen.lab", matches = "true")
class AgentLimitsIT {
    private static final String OPTIONS = "--max-live-runs 4 --max-tx-threads 6 --max-listener-connections 3";
    private static Lab lab;

    @BeforeAll
    static void up() throws Exception {
        lab = Lab.up(2, OPTIONS);
        ProfileSpec bg = udp(Map.of("dport", 8000), ProfileType.CONTINUOUS);
        lab.start("h2", CommandOp.START_RECEIVER, "bg", bg);
        lab.start("h1", CommandOp.START_SENDER, "bg", bg);
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    private static ProfileSpec udp(Map<String, Object> fields, ProfileType type) {
        Map<String, Object> m = new HashMap<>(Map.of("proto", "udp", "dst", "198.18.0.2"));
        m.putAll(fields);
        return ProfileSpec.builder(type, StreamSpec.fromSeed(m)).pps(200).build();
    }

    private static ReplyException refused(ErrorCode code, Lab.Call call) throws Exception {
        ReplyException e = assertThrows(ReplyException.class, call::run);
        assertEquals(code.code(), e.failureCode(), e.getMessage());
        long before = lab.poll("h2", "bg").counters().recv();
        RunStatus after = lab.pollUntil("h2", "bg", s -> s.counters().recv() > before, 10);
        assertEquals(RunState.RUNNING, after.state(), "the run started before still counts");
        return e;
    }

    @Test
    void refusesARunPastTheLiveRunsAndThreadsLimits() throws Exception {
        ProfileSpec wide = ProfileSpec.builder(ProfileType.CONTINUOUS, udp(Map.of("dport", 8001),
                ProfileType.CONTINUOUS).stream()).pps(100).threads(7).build();
        assertTrue(refused(ErrorCode.LIMIT, () -> lab.start("h1", CommandOp.START_SENDER, "wide", wide))
                .getMessage().contains("--max-tx-threads"));
        for (int i = 0; i < 3; i++) {
            lab.start("h1", CommandOp.START_SENDER, "q" + i, udp(Map.of("dport", 8002), ProfileType.CONTINUOUS));
        }
        ReplyException e = refused(ErrorCode.LIMIT, () -> lab.start("h1", CommandOp.START_SENDER, "q3",
                udp(Map.of("dport", 8002), ProfileType.CONTINUOUS)));
        assertTrue(e.getMessage().startsWith("live runs: 4 in use (expected: at most 4 on this agent; "
                + "--max-live-runs sets it)"), e.getMessage());
        for (int i = 0; i < 3; i++) {
            lab.stop("h1", "q" + i);
        }
        lab.start("h1", CommandOp.START_SENDER, "q3", udp(Map.of("dport", 8002), ProfileType.CONTINUOUS));
        lab.stop("h1", "q3");
    }

    @Test
    void refusesCapturesOnAnyLoopbackOrManagementAndLongFilters() throws Exception {
        for (String iface : new String[] {"any", "lo", "mgmt0"}) {
            ProfileSpec p = ProfileSpec.builder(ProfileType.CONTINUOUS, udp(Map.of("dport", 8010),
                    ProfileType.CONTINUOUS).stream()).iface(iface).build();
            ReplyException e = refused(ErrorCode.NOT_ALLOWED, () -> lab.start("h2", CommandOp.START_RECEIVER,
                    "sniff", p));
            assertTrue(e.getMessage().startsWith("iface: " + iface), e.getMessage());
        }
        ProfileSpec longFilter = ProfileSpec.builder(ProfileType.CONTINUOUS, udp(Map.of("dport", 8011),
                ProfileType.CONTINUOUS).stream()).capfilter("udp port 8011 or ".repeat(100) + "udp").build();
        assertTrue(refused(ErrorCode.LIMIT, () -> lab.start("h2", CommandOp.START_RECEIVER, "long", longFilter))
                .getMessage().contains("--max-capfilter-chars"));
    }

    @Test
    void refusesSpoofedSourcesTunnelsAndRoutingIcmp() throws Exception {
        assertTrue(refused(ErrorCode.NOT_ALLOWED, () -> lab.start("h1", CommandOp.START_SENDER, "spoof",
                udp(Map.of("src", "198.18.0.99"), ProfileType.STANDARD))).getMessage().startsWith("src: 198.18.0.99"));
        assertTrue(refused(ErrorCode.NOT_ALLOWED, () -> lab.start("h1", CommandOp.START_SENDER, "gre",
                udp(Map.of("ip.proto", 47), ProfileType.STANDARD))).getMessage().startsWith("proto: 47"));
        assertTrue(refused(ErrorCode.NOT_ALLOWED, () -> lab.start("h1", CommandOp.START_SENDER, "vxlan",
                udp(Map.of("dport", 4789), ProfileType.STANDARD))).getMessage().startsWith("dport: 4789"));
        ProfileSpec redirect = ProfileSpec.builder(ProfileType.STANDARD, StreamSpec.fromSeed(Map.of("proto", "icmp",
                "dst", "198.18.0.2", "type", 5))).build();
        assertTrue(refused(ErrorCode.NOT_ALLOWED, () -> lab.start("h1", CommandOp.START_SENDER, "redirect",
                redirect)).getMessage().startsWith("type: 5"));
        assertTrue(refused(ErrorCode.NOT_ALLOWED, () -> lab.start("h1", CommandOp.START_SENDER, "mgmt",
                udp(Map.of("dst", "198.19.0.2"), ProfileType.STANDARD))).getMessage().startsWith("dst: 198.19.0.2"),
                "the management network is no default destination");
    }

    @Test
    void capsTheConnectionsAReceiversListenerHolds() throws Exception {
        ProfileSpec tcp = ProfileSpec.builder(ProfileType.CONTINUOUS, StreamSpec.fromSeed(Map.of("proto", "tcp",
                "dst", "198.18.0.2", "dport", 9100))).build();
        lab.start("h2", CommandOp.START_RECEIVER, "listen", tcp);
        // Ten connections from h1, held open for 3 s: the agent keeps three, closes the rest at once.
        Process p = new ProcessBuilder("ip", "netns", "exec", "fg-h1", "python3", "-c", "import socket, time\n"
                + "ss = [socket.create_connection(('198.18.0.2', 9100)) for _ in range(10)]\ntime.sleep(3)")
                .redirectErrorStream(true).start();
        long deadline = System.nanoTime() + 2_000_000_000L;
        int held = 0;
        while (System.nanoTime() < deadline) {
            held = Lab.inHost(2, "ss", "-Htn", "state", "established", "( sport = :9100 )").strip().lines()
                    .mapToInt(l -> 1).sum();
            if (held >= 3) {
                break;
            }
            Thread.sleep(50);
        }
        Thread.sleep(500);
        held = Lab.inHost(2, "ss", "-Htn", "state", "established", "( sport = :9100 )").strip().lines()
                .mapToInt(l -> 1).sum();
        assertEquals(3, held, "connections held by the listener (--max-listener-connections 3)");
        lab.stop("h2", "listen");
        assertEquals("", Lab.inHost(2, "ss", "-Htn", "state", "established", "( sport = :9100 )").strip(),
                "every connection closes with the run");
        p.waitFor();
    }

    @Test
    void jumboFramesAbove2KiBArriveWholeAndAReusedNameLeavesNoFile() throws Exception {
        for (String link : new String[] {"fg-data", "fg-d1", "fg-d2"}) {
            Lab.sh("ip", "link", "set", link, "mtu", "9000");
        }
        Lab.inHost(1, "ip", "link", "set", "data0", "mtu", "9000");
        Lab.inHost(2, "ip", "link", "set", "data0", "mtu", "9000");
        try {
            // IPv6: a destination no earlier run resolved, so its route is read with the new MTU.
            ProfileSpec big = ProfileSpec.builder(ProfileType.STANDARD, StreamSpec.fromSeed(Map.of("proto", "udp",
                    "dst", "2001:2::2", "dport", 8020))).size(3000).count(1000).pps(20_000).chksum(true).pcap(10)
                    .build();
            lab.start("h2", CommandOp.START_RECEIVER, "jumbo", big);
            lab.start("h1", CommandOp.START_SENDER, "jumbo", big);
            RunStatus r = lab.pollUntil("h2", "jumbo", s -> s.state().isTerminal(), 20);
            assertEquals(1000, r.counters().recv(), "every 3,000-byte frame arrived with good checksums: " + r);
            assertEquals(0, r.counters().corrupt());
        } finally {
            Lab.inHost(1, "ip", "link", "set", "data0", "mtu", "1500");
            Lab.inHost(2, "ip", "link", "set", "data0", "mtu", "1500");
        }
        Path file = Path.of("/tmp/fleetgen-pcap-h2/jumbo.pcap");
        assertTrue(Files.exists(file), "the recording");
        ProfileSpec again = ProfileSpec.builder(ProfileType.STANDARD, StreamSpec.fromSeed(Map.of("proto", "udp",
                "dst", "198.18.0.2", "dport", 8021))).count(1).build();
        lab.start("h2", CommandOp.START_RECEIVER, "jumbo", again);
        assertFalse(Files.exists(file), "the name's earlier recording goes with it");
        lab.stop("h2", "jumbo");
    }

    /**
     * Issue 15: a finite paced receiver gets a ring that holds its whole run (for 1,000 packets at 1 kpps, the 12 x 12
     * mesh's pairs, a frame ring of 0.8 MiB; a block ring would take 12), an endless one 32 MiB; read from the
     * agent's own mappings of its packet sockets, and the run counts every packet with no capture drop.
     */
    @Test
    void aFinitePacedReceiverGetsARingForItsWholeRunAndCountsItAll() throws Exception {
        List<Long> before = ringsKib("h2");
        assertTrue(before.contains(32L << 10), "the endless background receiver's ring: " + before);
        ProfileSpec pair = ProfileSpec.builder(ProfileType.STANDARD, StreamSpec.fromSeed(Map.of("proto", "udp",
                "dst", "198.18.0.2", "dport", 8030))).count(1000).pps(1000).build();
        lab.start("h2", CommandOp.START_RECEIVER, "ring", pair);
        List<Long> added = new ArrayList<>(ringsKib("h2"));
        before.forEach(added::remove);
        assertEquals(1, added.size(), "one new ring: " + added);
        assertTrue(added.get(0) >= 600 && added.get(0) <= 1024, "the new receiver's frame ring, KiB: " + added);
        lab.start("h1", CommandOp.START_SENDER, "ring", pair);
        RunStatus r = lab.pollUntil("h2", "ring", s -> s.state().isTerminal(), 20);
        assertEquals(1000, r.counters().recv(), r.toString());
        assertEquals(0, r.counters().drops(), r.toString());
    }

    /** The sizes in KiB of the packet rings an agent has mapped (mappings of its sockets). */
    private static List<Long> ringsKib(String host) throws Exception {
        String pid = Files.readString(Lab.ROOT.resolve("deploy/.lab/" + host + ".pid")).strip();
        List<Long> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc", pid, "maps"))) {
            if (line.contains(" socket:[")) {
                String[] range = line.substring(0, line.indexOf(' ')).split("-");
                out.add((Long.parseUnsignedLong(range[1], 16) - Long.parseUnsignedLong(range[0], 16)) >> 10);
            }
        }
        return out;
    }
}
