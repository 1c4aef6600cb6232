package io.fleetgen.control.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import io.fleetgen.codec.Addresses;
import io.fleetgen.codec.Command;
import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.CounterBatch;
import io.fleetgen.codec.CounterEvent;
import io.fleetgen.codec.Counters;
import io.fleetgen.codec.Envelope;
import io.fleetgen.codec.ErrorCode;
import io.fleetgen.codec.HostInfo;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.Role;
import io.fleetgen.codec.RunState;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.codec.StreamSpec;
import io.fleetgen.codec.cluster.ClusterOptions;
import io.fleetgen.codec.cluster.FleetgenCluster;
import io.fleetgen.codec.cluster.FleetgenNode;
import io.fleetgen.codec.security.CredentialRole;
import io.fleetgen.codec.security.Identity;
import io.fleetgen.codec.security.Keyring;
import io.fleetgen.codec.security.Opened;
import io.fleetgen.control.Fleet;
import io.fleetgen.control.FleetException;
import io.fleetgen.control.Host;
import io.fleetgen.control.Pair;
import io.fleetgen.control.HostStatus;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 10's attacks, run for real against a 2-host lab fleet: a Hazelcast client is refused; a Hazelcast member
 * without a fleet credential, and one that claims another member's address, do not join ({@link MemberImpostors}); a
 * rogue member with a compromised host's credential rewrites the cluster's routing maps; a rogue event-bus node
 * sends unsealed commands,
 * commands sealed with an agent's credential and with another CA's control credential, replays captured commands and
 * forges counter events; a stranger opens 60 idle connections to each of an agent's two ports
 * ({@link ConnectionFlood}); with bus TLS off, a stranger announces a 2 GiB message on an agent's bus port
 * ({@link BusPortAttack}). No agent runs any of it (tcpdump on the data bridge sees no packet), the control gets
 * clear errors while the maps are altered
 * and works again once the agents have repaired them, and the repairs are logged.
 */
@EnabledIfSystemProperty(named = "fleetgen.lab", matches = "true")
class SecurityIT {
    private static final ProfileSpec EVIL = ProfileSpec.builder(ProfileType.CONTINUOUS,
            StreamSpec.fromSeed(Map.of("proto", "udp", "dst", "198.18.0.2", "dport", 7777))).pps(1000).build();
    private static final Path LAB_STATE = ControlLab.STATE;

    @ParameterizedTest(name = "bus TLS {0}")
    @ValueSource(booleans = {false, true})
    void noRogueNodeRunsACommandAndTamperingIsRefusedReportedAndRepaired(boolean busTls) throws Exception {
        ControlLab.sh(ControlLab.LAB, "up", "2");
        Process tcpdump = null;
        Path capture = Files.createTempFile("fleetgen-security", ".pcap");
        try {
            ControlLab.run(List.of("env", "FLEETGEN_LAB_BUS_TLS=" + (busTls ? 1 : 0), ControlLab.LAB, "agents",
                    "start"), null);
            assertTrue(Files.readString(LAB_STATE.resolve("h1.log")).contains(busTls
                    ? "(authenticated commands, mutual TLS)" : "(authenticated commands, bus TLS off)"));
            tcpdump = new ProcessBuilder("tcpdump", "-i", "fg-data", "-n", "-p", "-U", "-w", capture.toString(),
                    "udp", "port", "7777").redirectErrorStream(true).start();
            try (Fleet fleet = Fleet.join(ControlLab.cluster(2).setBusTls(busTls))) {
                assertEquals(2, fleet.hosts().size(), "join waits for every agent to announce itself");
                assertTrue(fleet.list(fleet.host("h1")).isEmpty());
                rogueNodeCommandsNothing(fleet, busTls);
                MapTampering.aHazelcastClientIsRefused();
                ClusterPortAttack.oversizedPacketsAreRefusedBeforeTheyAreAllocated(fleet);
                ConnectionFlood.anAddressKeepsAtMostItsShareOfEachPortOpen(fleet);
                MemberImpostors.strangersAndImpostorsDoNotJoin(fleet);
                if (!busTls) {
                    BusPortAttack.anOversizedMessageClosesTheConnectionAtItsLength(fleet);
                }
                MapTampering.rogueMemberTampersWithTheMaps(fleet);
                assertTrue(fleet.list(fleet.host("h1")).isEmpty(), "no run of the attackers exists on h1");
                assertTrue(fleet.list(fleet.host("h2")).isEmpty(), "nor on h2");
                aBroadcastRunsOnlyWhereItIsSealedFor(fleet, busTls);
            }
        } finally {
            if (tcpdump != null) {
                tcpdump.destroy();
                tcpdump.waitFor(5, TimeUnit.SECONDS);
            }
            ControlLab.sh(ControlLab.LAB, "down");
        }
        String read = ControlLab.run(List.of("tcpdump", "-r", capture.toString(), "-n"), null).out;
        assertEquals("", read.strip(), "packets of an attacker's run on the data bridge");
        Files.deleteIfExists(capture);
    }

    /** A rogue event-bus node: no credential, an agent's, another CA's control; captured commands replayed. */
    private static void rogueNodeCommandsNothing(Fleet fleet, boolean busTls) throws Exception {
        Path otherCa = Files.createTempDirectory("fleetgen-other-ca");
        String tls = ControlLab.ROOT.resolve("deploy/tls.sh").toString();
        ControlLab.sh(tls, "init", otherCa.toString());
        ControlLab.sh(tls, "control", otherCa.toString(), "control");
        FleetgenNode rogue = rogue(busTls);
        try {
            Keyring none = Keyring.insecure();
            Keyring agentH2 = keyring(LAB_STATE.resolve("creds/nodes/h2"), CredentialRole.AGENT, "h2");
            Keyring foreign = keyring(otherCa.resolve("nodes/control"), CredentialRole.CONTROL, null);
            Keyring legit = keyring(ControlLab.CONTROL_CREDENTIALS, CredentialRole.CONTROL, null);
            Identity h1 = fleet.hosts().get(0).identity();
            Identity h2 = fleet.hosts().get(1).identity();
            Command evil = bind(Command.of(CommandOp.START_SENDER, "evil", EVIL), "h1");

            assertEquals(ErrorCode.UNAUTHENTICATED, refusal(rogue, "h1", Opened.seal(none, evil)));
            assertEquals(ErrorCode.FORBIDDEN, refusal(rogue, "h1", Opened.sealTo(agentH2, evil, h1, null)));
            assertEquals(ErrorCode.FORBIDDEN, refusal(rogue, "h1", Opened.seal(agentH2, evil)));
            assertEquals(ErrorCode.FORBIDDEN, refusal(rogue, "h1", Opened.sealTo(foreign, evil, h1, null)));
            assertEquals(ErrorCode.MISDIRECTED, refusal(rogue, "h2", Opened.sealTo(legit, evil, h1, null)),
                    "a command sealed for h1, delivered to h2");
            Envelope retargeted = Opened.sealTo(legit, bind(Command.of(CommandOp.START_SENDER, "evil", EVIL), "h1"),
                    h2, null);
            assertEquals(ErrorCode.MISDIRECTED, refusal(rogue, "h2", retargeted), "a command for h1 sealed for h2");

            // A captured command (the attacker holds its exact bytes): once is the control's own; again is a replay.
            Envelope captured = Opened.sealTo(legit, bind(Command.of(CommandOp.LIST, "", null), "h1"), h1, null);
            rogue.vertx().eventBus().request(Addresses.agent("h1"), captured).await(10, TimeUnit.SECONDS);
            assertEquals(ErrorCode.REPLAYED, refusal(rogue, "h1", captured));
            assertEquals(ErrorCode.MISDIRECTED, refusal(rogue, "h2", captured));
            Envelope broadcast = Opened.seal(legit, bind(Command.of(CommandOp.LIST, "", null), Command.EVERY_HOST));
            assertEquals(ErrorCode.MISDIRECTED, refusal(rogue, "h1", broadcast), "a broadcast sent to one host");
            Envelope stale = Opened.sealTo(legit, Command.of(CommandOp.LIST, "", null).bind("h1",
                    System.currentTimeMillis() - 120_000, nonce()), h1, null);
            assertEquals(ErrorCode.EXPIRED, refusal(rogue, "h1", stale));

            forgedCountersAreNotShown(fleet, rogue, new Keyring[] {none, agentH2, legit, foreign});
        } finally {
            rogue.close().await(20, TimeUnit.SECONDS);
        }
    }

    /**
     * A rogue event-bus node. It holds h2's credential, as a compromised host would: without one it could not join
     * the cluster ({@link MemberImpostors}), and with bus TLS on it could not connect to the bus either.
     */
    private static FleetgenNode rogue(boolean busTls) throws Exception {
        ClusterOptions rogueOptions = ControlLab.cluster(2).setLiteMember(true).setBusTls(busTls)
                .setCredentials(LAB_STATE.resolve("creds/nodes/h2").toString());
        return FleetgenCluster.join(rogueOptions, new VertxOptions(), CredentialRole.AGENT, "h2", null)
                .await(60, TimeUnit.SECONDS);
    }

    /**
     * Broadcasts sealed for named agents (a pair-key code each): only they run one, whatever the command selects,
     * and a code moved under another agent's fingerprint opens nowhere. The rogue publishes them in order on the
     * broadcast address; each agent takes them in that order, so once the last one meant for it runs, it has
     * refused the earlier ones.
     */
    private static void aBroadcastRunsOnlyWhereItIsSealedFor(Fleet fleet, boolean busTls) throws Exception {
        Keyring legit = keyring(ControlLab.CONTROL_CREDENTIALS, CredentialRole.CONTROL, null);
        Identity h1 = fleet.hosts().get(0).identity();
        Identity h2 = fleet.hosts().get(1).identity();
        ProfileSpec rx = ProfileSpec.builder(ProfileType.CONTINUOUS, StreamSpec.fromSeed(Map.of("proto", "udp",
                "dst", "198.18.0.0", "dport", 8610))).build();
        String results = Addresses.RESULTS_PREFIX + "rogue";
        Command both = new Command(CommandOp.START_RECEIVER, "macs", rx, results, List.of("h1", "h2"));
        Envelope forH2 = Opened.sealToMany(legit, bind(both, Command.EVERY_HOST), List.of(h2));
        Envelope e = Opened.sealToMany(legit, bind(new Command(CommandOp.START_RECEIVER, "moved", rx, results,
                List.of()), Command.EVERY_HOST), List.of(h2));
        Envelope moved = new Envelope(Envelope.MACS, e.type(), e.body(), e.cert(), e.senderFingerprint(),
                h1.fingerprint(), e.tag());
        FleetgenNode rogue = rogue(busTls);
        for (Envelope x : List.of(forH2, moved, everyHost(legit, "after", rx, results, h1),
                everyHost(legit, "last", rx, results, h2))) {
            rogue.vertx().eventBus().publish(Addresses.BROADCAST, x);
        }
        List<String> onH1 = awaitRunning(fleet, "h1", "after");
        List<String> onH2 = awaitRunning(fleet, "h2", "last", "macs");
        rogue.close().await(20, TimeUnit.SECONDS);
        assertEquals(List.of("after"), onH1, "h1 ran only the broadcast sealed for it");
        assertEquals(List.of("last", "macs"), onH2, "h2 ran the two sealed for it");
        fleet.broadcast(CommandOp.STOP, "after", null, List.of(fleet.host("h1")));
        fleet.broadcast(CommandOp.STOP, "last", null, List.of(fleet.host("h2")));
        fleet.broadcast(CommandOp.STOP, "macs", null, List.of(fleet.host("h2")));
    }

    private static Envelope everyHost(Keyring legit, String name, ProfileSpec rx, String results, Identity to) {
        return Opened.sealToMany(legit, bind(new Command(CommandOp.START_RECEIVER, name, rx, results, List.of()),
                Command.EVERY_HOST), List.of(to));
    }

    /**
     * The live runs of {@code host}, sorted, once all of {@code runs} are among them (at most 20 s). Two starts an
     * agent accepted may reach RUNNING in either order (workers open their captures in parallel), so "last" running
     * does not mean "macs" is past STARTING yet.
     */
    private static List<String> awaitRunning(Fleet fleet, String host, String... runs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            List<String> names = fleet.list(fleet.host(host)).stream().filter(s -> s.state() == RunState.RUNNING)
                    .map(RunStatus::name).sorted().toList();
            if (names.containsAll(List.of(runs)) || System.nanoTime() > deadline) {
                return names;
            }
            Thread.sleep(100);
        }
    }

    /** Keys: none, h2's, the control's own, another CA's control's. */
    private static void forgedCountersAreNotShown(Fleet fleet, FleetgenNode rogue, Keyring[] keys) throws Exception {
        long refusedBefore = fleet.refusedEvents();
        long now = System.currentTimeMillis();
        CounterBatch forged = new CounterBatch("h1", List.of(new CounterEvent(1, now * 1_000_000L, false,
                new RunStatus("h1", "forged", Role.SENDER, RunState.RUNNING, ProfileType.CONTINUOUS, "198.18.0.2",
                new Counters(999_999, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), null, now, 0))));
        rogue.vertx().eventBus().publish(Addresses.COUNTERS, Opened.seal(keys[0], forged));
        rogue.vertx().eventBus().publish(Addresses.COUNTERS, Opened.seal(keys[1], forged));
        // h2's own pair-key code for the control (which it can make) on a batch that claims to be h1's; then 500
        // naming the control from a certificate it never verified (checked on its worker, not its event loop)
        for (int i = 0; i < 501; i++) {
            rogue.vertx().eventBus().publish(Addresses.COUNTERS, Opened.sealForAll(i == 0 ? keys[1] : keys[3], forged,
                    List.of(keys[2].self())));
        }
        rogue.vertx().eventBus().publish(Addresses.ANNOUNCE, Opened.seal(keys[1], new HostInfo("h1", "9", "198.19.0.9",
                List.of(), List.of(), 0, 0, false)));
        ControlLab.await("504 forgeries refused", 30, () -> fleet.refusedEvents() >= refusedBefore + 504);
        assertEquals(refusedBefore + 504, fleet.refusedEvents(), "each forgery is refused and counted");
        assertNull(fleet.aggregator().run("h1", "forged", Role.SENDER), "a forged counter event is not shown");
        HostStatus h1 = fleet.hosts().get(0);
        assertEquals("198.19.0.1", h1.info().managementAddress(), "a forged announcement is not taken");
    }

    @Test
    void aRenewedAgentCredentialIsPickedUpWhileItsRunGoesOn() throws Exception {
        try (ControlLab lab = ControlLab.up(2)) {
            Fleet fleet = lab.fleet;
            Identity before = fleet.hosts().get(0).identity();
            ProfileSpec udp = ProfileSpec.builder(ProfileType.CONTINUOUS, StreamSpec.fromSeed(Map.of("proto", "udp",
                    "dst", "198.18.0.2", "dport", 8000))).pps(2000).build();
            Pair pair = fleet.pair("renew", udp, fleet.host("h1"), fleet.host("h2"));
            pair.sender().waitUntil(s -> s.counters().sent() >= 1000, 10);
            ControlLab.sh(ControlLab.ROOT.resolve("deploy/tls.sh").toString(), "renew",
                    LAB_STATE.resolve("creds").toString(), "h1");
            MapTampering.awaitLog("credential renewed");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (fleet.hosts().get(0).identity().shortFingerprint().equals(before.shortFingerprint())) {
                assertTrue(System.nanoTime() < deadline, "the control never saw h1's renewed credential");
                Thread.sleep(50);
            }
            assertNotEquals(before.shortFingerprint(), fleet.hosts().get(0).identity().shortFingerprint());
            long sentBefore = pair.sender().poll().counters().sent();
            pair.sender().waitUntil(s -> s.counters().sent() >= sentBefore + 1000, 10);
            assertEquals(RunState.RUNNING, pair.sender().poll().state(), "the run went on through the renewal");
            pair.stop();
            assertEquals(pair.sender().sent(), pair.receiver().recv(), "exact counts across the renewal");
        }
    }

    /**
     * A rogue Hazelcast member (any member may) shuts the whole cluster down; it holds the lab's control credential,
     * since a member without a fleet credential cannot join ({@link MemberImpostors}). Before, h1's JVM went on
     * running outside any cluster, where no control could reach it, and a service manager, seeing it alive, would
     * not start it again. Now it says why and exits (1), and its service manager starts it again.
     */
    @Test
    void anAgentWhoseClusterMemberIsShutDownExits() throws Exception {
        ControlLab.sh(ControlLab.LAB, "up", "1");
        try {
            ControlLab.sh(ControlLab.LAB, "agents", "start");
            long pid = ControlLab.agentPid("h1");
            try (Fleet fleet = Fleet.join(ControlLab.cluster(1))) {
                Host h1 = fleet.host("h1");
                assertTrue(fleet.list(h1).isEmpty());
                ClusterOptions rogue = ControlLab.cluster(1).setLiteMember(true);
                HazelcastInstance member = FleetgenCluster.member(FleetgenCluster.hazelcastConfig(rogue,
                        CredentialRole.CONTROL), rogue, CredentialRole.CONTROL, null);
                // Refused while a partition migration of the join is pending: again until it is not.
                ControlLab.await("the rogue member's cluster shutdown", 30, () -> {
                    try {
                        member.getCluster().shutdown();
                        return true;
                    } catch (IllegalStateException e) {
                        return false;
                    }
                });
                ControlLab.await("h1's JVM exiting", 40,
                        () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
                String log = ControlLab.log("h1");
                assertTrue(log.contains("fleetgen-agent: its cluster member shut down on its own"), log);
                // A control in the cluster (the Java API) is out of it too, and says so at once instead of timing out.
                FleetException out = assertThrows(FleetException.class, () -> fleet.list(h1));
                assertEquals(ErrorCode.IO, out.code());
                assertTrue(out.getMessage().startsWith("this control is no longer in the cluster: its Hazelcast member "
                        + "shut down"), out.getMessage());
            }
        } finally {
            ControlLab.sh(ControlLab.LAB, "down");
        }
    }

    @Test
    void installRefusesToInstallWithoutCredentialsUnlessInsecureIsExplicit() throws Exception {
        ControlLab.Result r = ControlLab.run(List.of(ControlLab.ROOT.resolve("deploy/install.sh").toString(),
                "--host-id", "h1", "--members", "198.19.0.1", "--bind", "127.0.0.1", "--no-start"), null);
        assertEquals(2, r.code, r.out + r.err);
        assertTrue(r.err.contains("--credentials") && r.err.contains("--insecure"), r.err);
        assertFalse(r.out.contains("install: done"), r.out);
    }

    private static Keyring keyring(Path dir, CredentialRole role, String name) {
        return Keyring.load(dir.resolve(ClusterOptions.CREDENTIAL_FILE), dir.resolve(ClusterOptions.PASSWORD_FILE),
                dir.resolve(ClusterOptions.CA_FILE), role, name);
    }

    private static Command bind(Command c, String target) {
        return c.bind(target, System.currentTimeMillis(), nonce());
    }

    private static byte[] nonce() {
        byte[] n = new byte[16];
        new SecureRandom().nextBytes(n);
        return n;
    }

    /** Sends an envelope to a host's address as a rogue node; returns the agent's refusal code. */
    private static ErrorCode refusal(FleetgenNode rogue, String host, Envelope e) {
        Exception x = assertThrows(Exception.class, () -> rogue.vertx().eventBus().request(Addresses.agent(host), e,
                new DeliveryOptions().setSendTimeout(10_000)).await(11, TimeUnit.SECONDS));
        assertTrue(x instanceof ReplyException, "not the agent's refusal: " + x);
        return ErrorCode.of(((ReplyException) x).failureCode());
    }
}
