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
    void tcpStandardCountsPshAckSegments() throws Exception {
        standard("tcp4", stream("proto", "tcp", "dst", "198.18.0.2", "dport", 9000), 300);
    }

    @Test
    void icmpEchoRequestsCountedAndRepliesSeenBySender() throws Exception {
        ProfileSpec p = ProfileSpec.builder(ProfileType.CONTINUOUS, stream("proto", "icmp", "dst", "198.18.0.2"))
                .pps(2000).build();
        lab.start("h2", CommandOp.START_RECEIVER, "icmp", p);
        lab.start("h1", CommandOp.START_SENDER, "icmp", p);
        lab.pollUntil("h2", "icmp", x -> x.counters().recv() >= 500, 20);
        RunStatus s = lab.stop("h1", "icmp");
        RunStatus r = lab.pollUntil("h2", "icmp", x -> x.counters().recv() >= s.counters().sent(), 10);
        RunStatus rs = lab.stop("h2", "icmp");
        assertEquals(RunState.STOPPED, s.state());
        assertExact(s, rs, s.counters().sent());
        assertEquals(s.counters().sent(), s.counters().recv(), "echo replies " + s);
        assertTrue(r.counters().recv() > 0);
    }

    @Test
    void icmpv6StandardCountsExactly() throws Exception {
        standard("icmp6", stream("proto", "icmp", "dst", "2001:2::2"), 200);
    }
}
