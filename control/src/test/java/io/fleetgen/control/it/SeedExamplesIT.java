package io.fleetgen.control.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.ErrorCode;
import io.fleetgen.codec.ProfileBuilder;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.RunState;
import io.fleetgen.codec.StreamSpec;
import io.fleetgen.control.Fleet;
import io.fleetgen.control.Pair;
import io.fleetgen.control.FleetException;
import io.fleetgen.control.Host;
import io.fleetgen.control.Receiver;
import io.fleetgen.control.Sender;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The seed README's examples and every profile type through the Java API, IPv4 and IPv6, counted exactly. */
@EnabledIfSystemProperty(named = "fleetgen.lab", matches = "true")
class SeedExamplesIT {
    private static ControlLab lab;
    private static Fleet fleet;
    private static Host h1;
    private static Host h2;
    private static Host h3;

    @BeforeAll
    static void up() throws Exception {
        lab = ControlLab.up(3);
        fleet = lab.fleet;
        h1 = fleet.host("h1");
        h2 = fleet.host("h2");
        h3 = fleet.host("h3");
        // h3 answers for the floating IP 198.18.0.103 and DNATs it to its own 198.18.0.3.
        ControlLab.sh("ip", "-n", "fg-h3", "addr", "add", "198.18.0.103/32", "dev", "data0");
        ControlLab.sh("ip", "netns", "exec", "fg-h3", "iptables", "-t", "nat", "-A", "PREROUTING", "-d",
                "198.18.0.103", "-j", "DNAT", "--to-destination", "198.18.0.3");
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    private static StreamSpec stream(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return StreamSpec.fromSeed(m);
    }

    /** start, poll, stop as the seed's README does, then the assertion it makes: sent == recv. */
    private static void continuous(String name, ProfileSpec profile, Host from, Host to) {
        Receiver receiver = fleet.receiver(name, profile, to);
        Sender sender = fleet.sender(name, profile, from);
        receiver.start();
        sender.start();
        receiver.waitUntil(s -> s.counters().recv() >= 1000, 20);
        sender.poll();
        receiver.poll();
        sender.stop();
        receiver.waitUntil(s -> s.counters().recv() >= sender.sent(), 10);
        receiver.stop();
        assertEquals(sender.sent(), receiver.recv(), name);
        assertEquals(0, receiver.corrupt());
        assertEquals(RunState.STOPPED, receiver.status().state());
    }

    @Test
    void icmpContinuousH1ToH2() {
        ProfileSpec p = ProfileSpec.builder(ProfileType.CONTINUOUS, stream("protocol", "ip", "proto", "icmp",
                "src", "198.18.0.1", "dst", "198.18.0.2")).capfilter("icmp").pps(2000).build();
        continuous("icmp", p, h1, h2);
    }

    @Test
    void udpToFloatingIpWithListener() {
        ProfileSpec p = ProfileSpec.builder(ProfileType.CONTINUOUS, stream("protocol", "ip", "proto", "udp",
                "src", "198.18.0.1", "dst", "198.18.0.103", "dport", 9000)).listener("198.18.0.3")
                .capfilter("udp port 9000").build();
        continuous("sendudp", p, h1, h3);
    }

    @Test
    void tcpContinuous() {
        ProfileSpec p = ProfileSpec.builder(ProfileType.CONTINUOUS, stream("protocol", "ip", "proto", "tcp",
                "src", "198.18.0.1", "dst", "198.18.0.2", "dport", 9000)).build();
        continuous("sendtcp", p, h1, h2);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        "standard, udp, 198.18.0.2", "standard, tcp, 2001:2::2", "standard, icmp, 2001:2::2",
        "burst, udp, 2001:2::2", "burst, tcp, 198.18.0.2", "burst, icmp, 198.18.0.2",
        "sportrange, udp, 2001:2::2", "sportrange, tcp, 198.18.0.2", "continuous, udp, 2001:2::2"})
    void everyProfileTypeCountsExactly(String type, String proto, String dst) {
        String name = type + "-" + proto + "-" + (dst.contains(":") ? "v6" : "v4");
        StreamSpec s = proto.equals("icmp") ? stream("proto", proto, "dst", dst)
                : stream("proto", proto, "dst", dst, "dport", 9500 + Math.floorMod(name.hashCode(), 400));
        ProfileBuilder b;
        switch (type) {
            case "standard":
                b = ProfileSpec.builder(ProfileType.STANDARD, s).count(777);
                break;
            case "burst":
                b = ProfileSpec.builder(ProfileType.BURST, s).count(3).burstCount(111).burstIntervalMillis(100);
                break;
            case "sportrange":
                b = ProfileSpec.builder(ProfileType.SPORT_RANGE, s).startport(20000).endport(20099).pps(5000);
                break;
            default:
                b = ProfileSpec.builder(ProfileType.CONTINUOUS, s);
        }
        ProfileSpec p = b.build();
        Pair pair = fleet.pair(name, p, h1, h2);
        if (p.type().isFinite()) {
            pair.sender().waitFinished(30);
            pair.receiver().waitFinished(30);
            assertEquals(p.expectedPackets(), pair.sender().sent(), name);
            assertEquals(pair.sender().sent(), pair.receiver().recv(), name);
            assertEquals(RunState.FINISHED, pair.receiver().status().state());
        } else {
            pair.receiver().waitUntil(x -> x.counters().recv() >= 1000, 20);
            pair.stop();
            assertEquals(pair.sender().sent(), pair.receiver().recv(), name);
        }
        assertEquals(0, pair.receiver().corrupt());
    }

    @Test
    void agentErrorsSurfaceAsFleetExceptionWithTheirCode() {
        ProfileSpec p = ProfileSpec.builder(ProfileType.STANDARD, stream("proto", "udp", "dst", "198.18.9.9"))
                .build();
        FleetException e = assertThrows(FleetException.class, () -> fleet.sender("outside", p, h1).start());
        assertEquals(ErrorCode.NOT_ALLOWED, e.code());
        assertTrue(e.getMessage().startsWith("dst: 198.18.9.9"), e.getMessage());
    }
}
