package io.fleetgen.agent.impl.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.agent.Cidr;
import io.fleetgen.codec.ErrorCode;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.StreamSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What an agent may send and capture, decided before anything is prepared (issue 11). */
class PolicyTest {
    private static final Policy POLICY = new Policy(List.of(Cidr.parse("allow", "198.18.0.0/24")),
            List.of(Cidr.parse("allow-sources", "198.18.0.200/30")), Set.of("198.18.0.1", "198.19.0.1"),
            Set.of("data0"), 64);

    private static ProfileSpec udp(Object... kv) {
        Map<String, Object> m = new HashMap<>(Map.of("proto", "udp", "dst", "198.18.0.2"));
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return ProfileSpec.builder(ProfileType.STANDARD, StreamSpec.fromSeed(m)).build();
    }

    private static Policy.Refusal refused(ProfileSpec p) {
        return assertThrows(Policy.Refusal.class, () -> POLICY.checkSender(p));
    }

    @Test
    void aPlainSenderInsideTheAllowListPasses() throws Exception {
        POLICY.checkSender(udp());
        POLICY.checkSender(udp("src", "198.18.0.1"));
        POLICY.checkSender(udp("src", "198.18.0.201"));
    }

    @Test
    void refusesDestinationsOutsideTheAllowList() {
        Policy.Refusal r = refused(udp("dst", "198.19.0.2"));
        assertEquals(ErrorCode.NOT_ALLOWED, r.code());
        assertTrue(r.getMessage().startsWith("dst: 198.19.0.2 (expected: an address inside the allow-list"),
                r.getMessage());
    }

    @Test
    void refusesASpoofedSourceUnlessAllowed() {
        Policy.Refusal r = refused(udp("src", "198.18.0.9"));
        assertTrue(r.getMessage().startsWith("src: 198.18.0.9 (expected: an address of this host"), r.getMessage());
    }

    @Test
    void refusesTunnelsThroughAnotherIpProtocolOrATunnelPort() {
        assertTrue(refused(udp("ip.proto", 47)).getMessage().startsWith("proto: 47 (expected: 17 (udp)"));
        assertTrue(refused(udp("ip.proto", 4)).getMessage().contains("IP-in-IP"));
        assertTrue(refused(udp("dport", 4789)).getMessage().startsWith("dport: 4789"));
    }

    @Test
    void refusesIcmpThatChangesRoutingAndSourceRoutes() throws Exception {
        ProfileSpec redirect = ProfileSpec.builder(ProfileType.STANDARD, StreamSpec.fromSeed(Map.of("proto", "icmp",
                "dst", "198.18.0.2", "type", 5))).build();
        assertTrue(refused(redirect).getMessage().startsWith("type: 5"));
        assertEquals(0x83, Policy.sourceRouteOption(new byte[] {1, (byte) 0x83, 7, 4, 0, 0, 0, 0}));
        assertEquals(0x89, Policy.sourceRouteOption(new byte[] {(byte) 0x89, 3, 4, 0}));
        assertEquals(-1, Policy.sourceRouteOption(new byte[] {7, 7, 4, 0, 0, 0, 0, 0}), "record route is fine");
        assertEquals(-1, Policy.sourceRouteOption(new byte[] {(byte) 0x94, 4, 0, 0}), "router alert is fine");
    }

    @Test
    void capturesOnlyOnCaptureInterfacesWithABoundedFilter() throws Exception {
        ProfileSpec p = udp();
        POLICY.checkReceiver(p, "data0");
        for (String iface : List.of("any", "lo", "mgmt0")) {
            Policy.Refusal r = assertThrows(Policy.Refusal.class, () -> POLICY.checkReceiver(p, iface));
            assertTrue(r.getMessage().startsWith("iface: " + iface + " (expected: one of the capture interfaces"),
                    r.getMessage());
        }
        ProfileSpec longFilter = ProfileSpec.builder(ProfileType.STANDARD, p.stream()).capfilter("udp port 8000 or "
                .repeat(10)).build();
        Policy.Refusal r = assertThrows(Policy.Refusal.class, () -> POLICY.checkReceiver(longFilter, "data0"));
        assertEquals(ErrorCode.LIMIT, r.code());
        assertTrue(r.getMessage().contains("--max-capfilter-chars"), r.getMessage());
    }

    /** Issue 14: every address a range produces is checked, the first one outside named; huge ranges cost nothing. */
    @Test
    void everyAddressOfARangeIsInsideTheListsOrTheFirstOutsideIsNamed() throws Exception {
        POLICY.checkSender(udp().toBuilder().ranges("dst=198.18.0.2..198.18.0.255").build());
        POLICY.checkSender(udp("src", "198.18.0.1").toBuilder().ranges("src=198.18.0.200..198.18.0.203").build());
        assertEquals("dst: 198.18.1.0 (of range dst=198.18.0.250..198.18.1.9) (expected: every address of a range "
                + "inside the allow-list [198.18.0.0/24]; the agent's --allow sets it)",
                refused(udp().toBuilder().ranges("dst=198.18.0.250..198.18.1.9").build()).getMessage());
        assertEquals(ErrorCode.NOT_ALLOWED, refused(udp().toBuilder().ranges("src=198.18.0.201..198.18.0.204")
                .build()).code());
        assertTrue(refused(udp().toBuilder().ranges("src=198.18.0.201..198.18.0.204").build()).getMessage()
                .startsWith("src: 198.18.0.204 (of range"));
        // A step that jumps over the gap produces no address in it.
        POLICY.checkSender(udp("src", "198.18.0.1").toBuilder().ranges("src=198.18.0.1..198.18.0.201/200")
                .build());
        Policy v6 = new Policy(List.of(Cidr.parse("allow", "2001:2::/64")), List.of(Cidr.parse("allow-sources",
                "2001:2::/64")), Set.of("2001:2::1"), Set.of("data0"), 64);
        ProfileSpec big = ProfileSpec.builder(ProfileType.STANDARD, StreamSpec.fromSeed(Map.of("proto", "udp",
                "dst", "2001:2::2"))).ranges("src=2001:2::100..2001:2::ffff:ffff,dst=2001:2::2..2001:2::ffff").build();
        v6.checkSender(big);
        assertTrue(assertThrows(Policy.Refusal.class, () -> v6.checkSender(big.toBuilder()
                .ranges("dst=2001:2::ffff:ffff:ffff:ff00..2001:2:0:1::ff").build())).getMessage()
                .startsWith("dst: 2001:2:0:1:: (of range"));
    }
}
