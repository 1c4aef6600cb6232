package io.fleetgen.control.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.Counters;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.Role;
import io.fleetgen.codec.RunState;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.codec.StreamSpec;
import io.fleetgen.control.Fleet;
import io.fleetgen.control.FleetResult;
import io.fleetgen.control.Host;
import io.fleetgen.control.RunView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fleet-wide runs over 4 agents, a second control process taking over, and an agent killed mid-run. One lab
 * for the whole story, in order, because the kill ends it.
 */
@EnabledIfSystemProperty(named = "fleetgen.lab", matches = "true")
class FleetIT {

    @Test
    void broadcastRunsSecondControlAndLostAgent() throws Exception {
        try (ControlLab lab = ControlLab.up(4)) {
            Fleet fleet = lab.fleet;
            Host h4 = fleet.host("h4");
            ProfileSpec toH4 = ProfileSpec.builder(ProfileType.CONTINUOUS,
                    StreamSpec.fromSeed(Map.of("proto", "udp", "dst", "198.18.0.4", "dport", 8000))).pps(3000).build();
            fleet.receiver("mesh", toH4, h4).start();
            List<Host> senders = List.of(fleet.host("h1"), fleet.host("h2"), fleet.host("h3"));

            FleetResult started = fleet.broadcast(CommandOp.START_SENDER, "mesh", toH4, senders);
            assertTrue(started.ok(), started.replies() + " missing " + started.missing());
            assertEquals(3, started.replies().size());
            fleet.waitUntil(h4, "mesh", s -> s.counters().recv() >= 3000, 20);

            secondControlListsPollsAndStops(lab);

            FleetResult polled = fleet.broadcast(CommandOp.POLL, "mesh", null, senders);
            long sumOfOwnPolls = 0;
            for (Host h : senders) {
                RunStatus own = fleet.poll(h, "mesh").get(0);
                assertEquals(RunState.STOPPED, own.state(), "stopped by the second control: " + own);
                assertEquals(own.counters().sent(), polled.replies().get(h.id()).runs().get(0).counters().sent());
                sumOfOwnPolls += own.counters().sent();
            }
            assertEquals(sumOfOwnPolls, polled.total().sent(), "fleet total = sum of the agents' own polls");
            RunStatus r = fleet.waitUntil(h4, "mesh", s -> s.counters().recv() >= polled.total().sent(), 10);
            assertEquals(polled.total().sent(), r.counters().recv(), "every packet of the fleet counted at h4");
            fleet.stop(h4, "mesh");

            watchingControlWithItsOwnCredential(lab);
            agentKilledMidRunIsReportedLost(lab);
        }
    }

    /** A second control process (the REPL, --json) started mid-run lists, polls and stops the runs exactly. */
    private static void secondControlListsPollsAndStops(ControlLab lab) throws Exception {
        ControlLab.Result r = ControlLab.run(ControlLab.cli(lab.hosts, "--json",
                "-c", "list h1 h2 h3; fleet stop mesh h1 h2 h3"), null);
        assertEquals(0, r.code, r.out + r.err);
        String[] lines = r.out.strip().split("\n");
        JsonArray listed = new JsonArray(lines[lines.length - 2]);
        assertEquals(3, listed.size(), listed.encode());
        for (int i = 0; i < listed.size(); i++) {
            JsonObject run = listed.getJsonObject(i);
            assertEquals("mesh", run.getString("name"));
            assertEquals("running", run.getString("state"));
        }
        JsonObject stopped = new JsonObject(lines[lines.length - 1]);
        long total = 0;
        for (Object o : stopped.getJsonArray("hosts")) {
            JsonObject run = (JsonObject) o;
            assertEquals("stopped", run.getString("state"));
            total += run.getJsonObject("counters").getLong("sent");
        }
        assertEquals(total, stopped.getJsonObject("total").getLong("sent"));
        assertTrue(total > 0);
    }

    /**
     * A second control with a credential of its own (issued by the fleet CA, never used to command these agents)
     * sees exact counters of a run the first control started: the agents' batches carry pair-key codes only for the
     * controls that commanded them, so it checks their signatures. Once it has commanded the agents too, their
     * batches carry a code for each control, and both still take every event and refuse none.
     */
    private static void watchingControlWithItsOwnCredential(ControlLab lab) throws Exception {
        Path creds = ControlLab.STATE.resolve("creds");
        if (!Files.exists(creds.resolve("nodes/watcher/node.p12"))) {
            ControlLab.sh(ControlLab.ROOT.resolve("deploy/tls.sh").toString(), "control", creds.toString(), "watcher");
        }
        try (Fleet watcher = Fleet.join(ControlLab.cluster(lab.hosts)
                .setCredentials(creds.resolve("nodes/watcher").toString()))) {
            watcher.awaitHosts(lab.hosts, 30);
            long refusedBefore = lab.fleet.refusedEvents();
            exactInBothViews(lab.fleet, watcher, "watched");
            RunStatus own = watcher.poll(watcher.host("h2"), "watched").get(0);
            assertEquals(2000, own.counters().sent(), "the watcher's own poll: " + own);
            exactInBothViews(lab.fleet, watcher, "watched2");
            assertEquals(0, watcher.refusedEvents(), "the watcher refused none");
            assertEquals(refusedBefore, lab.fleet.refusedEvents(), "the first control refused none");
        }
    }

    /** The first control pairs h2 to h3 (2,000 packets); both controls' views show both ends exactly. */
    private static void exactInBothViews(Fleet first, Fleet watcher, String run) throws Exception {
        ProfileSpec p = ProfileSpec.builder(ProfileType.STANDARD,
                StreamSpec.fromSeed(Map.of("proto", "udp", "dst", "198.18.0.3", "dport", 8200))).count(2000)
                .pps(2000).build();
        first.pair(run, p, first.host("h2"), first.host("h3"));
        RunStatus recv = first.waitUntil(first.host("h3"), run, s -> s.counters().recv() >= 2000, 20);
        assertEquals(2000, recv.counters().recv(), "received: " + recv);
        for (Fleet f : List.of(first, watcher)) {
            ControlLab.await(run + " exact in a control's view", 10, () -> {
                RunView s = f.aggregator().run("h2", run, Role.SENDER);
                RunView r = f.aggregator().run("h3", run, Role.RECEIVER);
                return s != null && r != null && s.status().counters().sent() == 2000
                        && r.status().counters().recv() == 2000;
            });
        }
    }

    private static void agentKilledMidRunIsReportedLost(ControlLab lab) throws Exception {
        Fleet fleet = lab.fleet;
        ProfileSpec p = ProfileSpec.builder(ProfileType.CONTINUOUS,
                StreamSpec.fromSeed(Map.of("proto", "udp", "dst", "198.18.0.4", "dport", 8100))).pps(1000).build();
        fleet.pair("doomed", p, fleet.host("h1"), fleet.host("h4"));
        ProfileSpec toH3 = ProfileSpec.builder(ProfileType.CONTINUOUS,
                StreamSpec.fromSeed(Map.of("proto", "udp", "dst", "198.18.0.3", "dport", 8100))).pps(1000).build();
        fleet.pair("survivor", toH3, fleet.host("h2"), fleet.host("h3"));
        fleet.waitUntil(fleet.host("h4"), "doomed", s -> s.counters().recv() > 500, 20);
        long until = System.nanoTime() + 10_000_000_000L;
        RunView seen = fleet.aggregator().run("h1", "doomed", Role.SENDER);
        while ((seen == null || seen.status().counters().sent() <= 500) && System.nanoTime() < until) {
            Thread.sleep(50);
            seen = fleet.aggregator().run("h1", "doomed", Role.SENDER);
        }
        assertTrue(seen != null && seen.status().counters().sent() > 500, "counter events arrive: " + seen);
        ControlLab.sh("kill", "-9", Long.toString(ControlLab.agentPid("h1")));
        long killedAt = System.nanoTime();
        RunView lost = null;
        while (System.nanoTime() - killedAt < 10_000_000_000L) {
            lost = fleet.aggregator().run("h1", "doomed", Role.SENDER);
            if (lost != null && lost.status().state() == RunState.LOST) {
                break;
            }
            Thread.sleep(50);
        }
        assertTrue(lost != null && lost.status().state() == RunState.LOST, "LOST within 10 s: " + lost);
        assertTrue(lost.status().counters().sent() > 500, "last counters kept: " + lost);
        long t0 = System.nanoTime();
        io.fleetgen.control.FleetException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.fleetgen.control.FleetException.class, () -> fleet.poll(fleet.host("h1"), "doomed"));
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "a poll of the lost host does not hang: " + e);
        Counters before = fleet.poll(fleet.host("h3"), "survivor").get(0).counters();
        fleet.waitUntil(fleet.host("h3"), "survivor", x -> x.counters().recv() > before.recv(), 10);
        RunStatus s = fleet.stop(fleet.host("h2"), "survivor").get(0);
        RunStatus r = fleet.waitUntil(fleet.host("h3"), "survivor", x -> x.counters().recv() >= s.counters().sent(),
                10);
        assertEquals(s.counters().sent(), r.counters().recv());
    }
}
