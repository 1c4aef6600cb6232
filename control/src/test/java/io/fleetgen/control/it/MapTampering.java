package io.fleetgen.control.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.cluster.Member;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.multimap.MultiMap;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import io.fleetgen.codec.Addresses;
import io.fleetgen.codec.ErrorCode;
import io.fleetgen.codec.cluster.ClusterOptions;
import io.fleetgen.codec.cluster.FleetgenCluster;
import io.fleetgen.codec.security.CredentialRole;
import io.fleetgen.control.Fleet;
import io.fleetgen.control.FleetException;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.spi.cluster.hazelcast.impl.HazelcastNodeInfo;
import io.vertx.spi.cluster.hazelcast.impl.HazelcastRegistrationInfo;
import java.io.InputStream;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * {@link SecurityIT}'s attacks on the cluster's maps: who may reach them (members, not clients), and what the agents
 * and the control do when a rogue member rewrites them.
 */
final class MapTampering {
    private MapTampering() {
    }

    /**
     * A Hazelcast client that knows the cluster name is not let in: the members listen for members only, so no client
     * engine answers it (an agent with Hazelcast's default network accepted one, which could then rewrite the maps).
     */
    static void aHazelcastClientIsRefused() {
        ClientConfig cc = new ClientConfig().setClusterName(ClusterOptions.DEFAULT_CLUSTER_NAME);
        cc.getNetworkConfig().addAddress("198.19.0.1:5701", "198.19.0.2:5701");
        cc.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(3_000);
        cc.setProperty("hazelcast.logging.type", "none");
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> HazelcastClient.newHazelcastClient(cc).shutdown(), "a client connected to an agent");
        assertTrue(refused.getMessage().contains("Unable to connect"), refused.getMessage());
    }

    /**
     * A rogue Hazelcast member adds, overwrites and deletes routing entries, and tries data structures the agents do
     * not register (its calls time out after 10 s instead of Hazelcast's 60, should an agent not answer). A member
     * now proves a fleet credential to join ({@link MemberImpostors}): this one holds h2's, as a compromised host
     * would. Until then anyone who knew the cluster name could do all of this.
     */
    static void rogueMemberTampersWithTheMaps(Fleet fleet) throws Exception {
        ClusterOptions rogueOptions = ControlLab.cluster(2).setLiteMember(true)
                .setCredentials(ControlLab.STATE.resolve("creds/nodes/h2").toString());
        HazelcastInstance member = FleetgenCluster.member(FleetgenCluster.hazelcastConfig(rogueOptions,
                CredentialRole.AGENT).setProperty("hazelcast.operation.call.timeout.millis", "10000"), rogueOptions,
                CredentialRole.AGENT, "h2");
        try (ServerSocket trap = new ServerSocket(0, 50, InetAddress.getByName("198.19.0.254"))) {
            AtomicLong trapped = new AtomicLong();
            Thread t = new Thread(() -> drain(trap, trapped), "attacker-socket");
            t.setDaemon(true);
            t.start();
            MultiMap<String, HazelcastRegistrationInfo> subs = member.getMultiMap("__vertx.subs");
            IMap<String, HazelcastNodeInfo> nodes = member.getMap("__vertx.nodeInfo");
            String h1 = Addresses.agent("h1");
            String rogueNode = UUID.randomUUID().toString();
            nodes.put(rogueNode, new HazelcastNodeInfo(new NodeInfo("198.19.0.254", trap.getLocalPort(), null)));

            tamperedThenRepaired(fleet, () -> subs.put(h1, new HazelcastRegistrationInfo(new RegistrationInfo(
                    rogueNode, 1, false))), ErrorCode.TAMPERED, "node " + rogueNode);
            awaitLog("removed node " + rogueNode + "'s subscription to " + h1);

            String h1Node = fleet.hosts().get(0).info().nodeId();
            tamperedThenRepaired(fleet, () -> nodes.put(h1Node, new HazelcastNodeInfo(new NodeInfo("198.19.0.254",
                    trap.getLocalPort(), null))), ErrorCode.TAMPERED, "198.19.0.254:" + trap.getLocalPort());
            awaitLog("this node's entry in __vertx.nodeInfo was 198.19.0.254:" + trap.getLocalPort());

            tamperedThenRepaired(fleet, () -> subs.remove(h1), ErrorCode.UNREACHABLE, "no agent h1 consumes");
            awaitLog("this agent's subscription to " + h1 + " was missing; restored");

            subs.get(Addresses.BROADCAST).stream().filter(r -> r.unwrap().nodeId().equals(h1Node))
                    .forEach(r -> subs.remove(Addresses.BROADCAST, r));
            String back = "this agent's subscription to " + Addresses.BROADCAST + " was missing; restored";
            ControlLab.await("h1's entry for a shared address put back at its next check, told by the map's event "
                    + "(not at the full scan every 30 s)", 5, () -> ControlLab.log("h1").contains(back));

            // A Java-serialized value of a class outside the filter: refused when read, and removed.
            member.getMultiMap("__vertx.subs").put(Addresses.pcap("h1"), new picocli.CommandLine.PicocliException("x"));
            awaitLog("an unreadable subscription to " + Addresses.pcap("h1"));
            assertTrue(fleet.list(fleet.host("h1")).isEmpty());
            assertEquals(0, trapped.get(), "bytes a control sent to the attacker's socket");
            otherStructuresAreNotDecoded(member);
        } finally {
            member.shutdown();
        }
    }

    /**
     * While the maps are altered a command fails fast with {@code code}; once repaired it works (within 10 s). The
     * agent may repair the maps before the control looks (its check runs every 2 s): the tampering is then done
     * again, a few times at most, until the control has seen it.
     */
    private static void tamperedThenRepaired(Fleet fleet, Runnable tamper, ErrorCode code, String detail)
            throws Exception {
        boolean refused = false;
        for (int attempt = 0; attempt < 5 && !refused; attempt++) {
            tamper.run();
            long seen = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (!refused && System.nanoTime() < seen) {
                refused = refusedFast(fleet, code, detail);
                Thread.sleep(10);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (refused && System.nanoTime() < deadline) {
            if (!refusedFast(fleet, code, detail)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(refused ? "not repaired in 10 s" : "the tampering was never noticed");
    }

    /** Whether a command to h1 is refused now, as the tampering should make it: fast, with the code and detail. */
    private static boolean refusedFast(Fleet fleet, ErrorCode code, String detail) {
        long t0 = System.nanoTime();
        try {
            fleet.list(fleet.host("h1"));
            return false;
        } catch (FleetException e) {
            assertEquals(code, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("h1") && e.getMessage().contains(detail), e.getMessage());
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2), "a clear error, not a timeout");
            return true;
        }
    }

    /**
     * A rogue member's operations on a data structure Fleetgen never uses are not decoded by an agent, whose jar
     * registers only the families its cluster uses (codec's META-INF/services). With Hazelcast's full list an agent
     * stored a rogue queue's items, and decoded an executor task up to the Java class filter.
     */
    private static void otherStructuresAreNotDecoded(HazelcastInstance member) throws Exception {
        Member h1 = member.getCluster().getMembers().stream()
                .filter(m -> m.getAddress().getHost().equals("198.19.0.1")).findFirst().orElseThrow();
        String queue = IntStream.range(0, 10_000).mapToObj(i -> "rogue-" + i)
                .filter(n -> h1.equals(member.getPartitionService().getPartition(n).getOwner())).findFirst()
                .orElseThrow();
        HazelcastSerializationException offer = assertThrows(HazelcastSerializationException.class,
                () -> member.getQueue(queue).offer("x"), "a rogue's queue item stored on h1");
        assertTrue(offer.getMessage().contains("No DataSerializerFactory registered"), offer.getMessage());
        ExecutionException task = assertThrows(ExecutionException.class,
                () -> member.getExecutorService("rogue").submitToMember(new RogueTask(), h1).get(10, TimeUnit.SECONDS),
                "a rogue's task run on h1");
        assertTrue(task.getCause().getMessage().contains("No DataSerializerFactory registered"), task.getMessage());
    }

    /** What a rogue member would run on an agent. */
    static final class RogueTask implements Callable<String>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public String call() {
            return "ran on " + System.getProperty("user.dir");
        }
    }

    static void awaitLog(String text) throws Exception {
        ControlLab.await("h1's log saying: " + text, 10, () -> ControlLab.log("h1").contains(text));
    }

    private static void drain(ServerSocket trap, AtomicLong trapped) {
        try {
            while (true) {
                try (Socket s = trap.accept(); InputStream in = s.getInputStream()) {
                    byte[] b = new byte[4096];
                    for (int n = in.read(b); n > 0; n = in.read(b)) {
                        trapped.addAndGet(n);
                    }
                }
            }
        } catch (java.io.IOException e) {
            // The socket closed: the test is over.
        }
    }
}
