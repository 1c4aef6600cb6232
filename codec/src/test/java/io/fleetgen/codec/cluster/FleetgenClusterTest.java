package io.fleetgen.codec.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.cluster.Address;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.impl.MemberImpl;
import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.instance.EndpointQualifier;
import io.fleetgen.codec.security.CredentialRole;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Hazelcast configuration each kind of member gets, and how a control tells agents from controls. */
class FleetgenClusterTest {
    private static ClusterOptions options(boolean lite) {
        return new ClusterOptions().setMembers(List.of("127.0.0.1")).setBind("127.0.0.1").setInsecure(true)
                .setLiteMember(lite);
    }

    private static Member member(Map<String, String> attributes, boolean lite) throws Exception {
        return new MemberImpl.Builder(new Address("127.0.0.1", 5701)).attributes(attributes).liteMember(lite).build();
    }

    @Test
    void aLiteAgentIsAnAgentWithTheAgentsThreadsAndNoPartitions() {
        Config cfg = FleetgenCluster.hazelcastConfig(options(true), CredentialRole.AGENT);
        assertTrue(cfg.isLiteMember());
        assertEquals("AGENT", cfg.getMemberAttributeConfig().getAttribute(FleetgenCluster.ROLE_ATTRIBUTE));
        assertEquals("1", cfg.getProperty("hazelcast.io.thread.count"), "an agent's reduced Hazelcast threads");
        assertEquals("71", cfg.getProperty("hazelcast.partition.count"));
        Config data = FleetgenCluster.hazelcastConfig(options(false), CredentialRole.AGENT);
        assertFalse(data.isLiteMember());
        assertEquals("1", data.getProperty("hazelcast.io.thread.count"));
    }

    @Test
    void aMemberClaimsItsBindAddressAsAnAddressAndConnectsFromIt() {
        Config cfg = FleetgenCluster.hazelcastConfig(options(false).setBind("localhost"), CredentialRole.AGENT);
        assertEquals("127.0.0.1", cfg.getProperty("hazelcast.local.localAddress"), "a name, resolved once");
        assertEquals("false", cfg.getProperty("hazelcast.socket.client.bind.any"),
                "connections leave from the address their handshake claims (MemberClaims)");
    }

    @Test
    void membersListenForMembersOnlyOnTheBindAddress() {
        for (CredentialRole role : CredentialRole.values()) {
            Config cfg = FleetgenCluster.hazelcastConfig(options(false), role);
            AdvancedNetworkConfig net = cfg.getAdvancedNetworkConfig();
            assertTrue(net.isEnabled(), role + ": without it every member also serves Hazelcast clients");
            assertEquals(Set.of(EndpointQualifier.MEMBER), net.getEndpointConfigs().keySet(), role.name());
            ServerSocketEndpointConfig member = (ServerSocketEndpointConfig) net.getEndpointConfigs()
                    .get(EndpointQualifier.MEMBER);
            assertEquals(ClusterOptions.DEFAULT_HAZELCAST_PORT, member.getPort());
            assertEquals(List.of("127.0.0.1"), List.copyOf(member.getInterfaces().getInterfaces()));
            assertTrue(member.getInterfaces().isEnabled());
            assertEquals(32, member.getSocketRcvBufferSizeKb());
            assertEquals(List.of("127.0.0.1"), net.getJoin().getTcpIpConfig().getMembers());
            assertFalse(net.getJoin().getMulticastConfig().isEnabled());
        }
    }

    @Test
    void heartbeatsGoEveryFifthOfTheTimeoutAndAtLeastEverySecond() {
        for (int[] c : new int[][] {{2, 1}, {5, 1}, {9, 1}, {10, 2}, {15, 3}, {300, 60}}) {
            Config cfg = FleetgenCluster.hazelcastConfig(options(false).setMaxNoHeartbeatSeconds(c[0]),
                    CredentialRole.AGENT);
            assertEquals(Integer.toString(c[0]), cfg.getProperty("hazelcast.max.no.heartbeat.seconds"));
            assertEquals(Integer.toString(c[1]), cfg.getProperty("hazelcast.heartbeat.interval.seconds"),
                    "interval at a timeout of " + c[0] + " s");
        }
    }

    @Test
    void aControlKeepsHazelcastsThreadsAndSaysWhatItIs() {
        Config cfg = FleetgenCluster.hazelcastConfig(options(true), CredentialRole.CONTROL);
        assertEquals("CONTROL", cfg.getMemberAttributeConfig().getAttribute(FleetgenCluster.ROLE_ATTRIBUTE));
        assertNull(cfg.getProperty("hazelcast.io.thread.count"));
        assertEquals("71", cfg.getProperty("hazelcast.partition.count"), "the partition count is cluster-wide");
    }

    @Test
    void agentsAreCountedByWhatTheySayNotByHoldingPartitions() throws Exception {
        assertTrue(FleetgenCluster.isAgent(member(Map.of(FleetgenCluster.ROLE_ATTRIBUTE, "AGENT"), true)));
        assertTrue(FleetgenCluster.isAgent(member(Map.of(FleetgenCluster.ROLE_ATTRIBUTE, "AGENT"), false)));
        assertFalse(FleetgenCluster.isAgent(member(Map.of(FleetgenCluster.ROLE_ATTRIBUTE, "CONTROL"), true)));
        assertTrue(FleetgenCluster.isAgent(member(Map.of(), false)), "a member that says nothing and holds data");
        assertFalse(FleetgenCluster.isAgent(member(Map.of(), true)), "a member that says nothing and holds none");
    }

    @Test
    void nettysFlightRecorderEventsAreOffUnlessTheOperatorAskedForThem() {
        String key = "io.netty.jfr.enabled";
        String before = System.getProperty(key);
        try {
            System.clearProperty(key);
            FleetgenCluster.quietNetty();
            assertEquals("false", System.getProperty(key));
            System.setProperty(key, "true");
            FleetgenCluster.quietNetty();
            assertEquals("true", System.getProperty(key), "an operator's -Dio.netty.jfr.enabled=true stays");
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }
}
