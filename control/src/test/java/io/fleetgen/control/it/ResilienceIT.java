package io.fleetgen.control.it;

import static io.fleetgen.control.it.ControlLab.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.Role;
import io.fleetgen.codec.RunState;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.codec.StreamSpec;
import io.fleetgen.control.Fleet;
import io.fleetgen.control.FleetException;
import io.fleetgen.control.Host;
import io.fleetgen.control.HostStatus;
import io.fleetgen.control.RunView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The 4-agent form of issue 15's partition and crash tests: one agent's management link cut for 30 s while its run
 * goes on; the fleet split in two halves for 30 s; a control killed (kill -9) during a broadcast start and a new one
 * finding and stopping every run; an agent killed and restarted with a clean state. One lab, in order.
 */
@EnabledIfSystemProperty(named = "fleetgen.lab", matches = "true")
class ResilienceIT {
    private static final long S = 1_000_000_000L;

    private static ProfileSpec udp(String dst, int dport, long pps, long durationMillis) {
        StreamSpec s = StreamSpec.fromSeed(Map.of("proto", "udp", "dst", dst, "dport", dport));
        return ProfileSpec.builder(ProfileType.CONTINUOUS, s).size(32).pps(pps).durationMillis(durationMillis)
                .build();
    }

    private static boolean alive(Fleet fleet, String id) {
        return fleet.hosts().stream().anyMatch(h -> h.id().equals(id) && h.alive());
    }

    /**
     * Starts a pair once both agents answer: right after a merge the control's read of an agent's node map entry can
     * fail for a moment (seen in 3 of 8 runs) and a command is refused as UNREACHABLE; a list (no side effect) is
     * retried for 10 s until both routes are verified, then the pair starts once.
     */
    private static void pairRetrying(Fleet fleet, String name, ProfileSpec p, Host from, Host to) throws Exception {
        long until = System.nanoTime() + 10 * S;
        for (;;) {
            try {
                fleet.list(from);
                fleet.list(to);
                break;
            } catch (FleetException e) {
                if (e.code() != io.fleetgen.codec.ErrorCode.UNREACHABLE || System.nanoTime() > until) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
        fleet.pair(name, p, from, to);
    }

    /**
     * Waits until the cluster's node map holds every agent's entry again, as the control's commands need (it checks
     * the route before sending), and prints what was missing and for how long.
     */
    private static void settled(Fleet fleet) throws InterruptedException {
        com.hazelcast.map.IMap<Object, Object> nodes = fleet.hazelcast().getMap("__vertx.nodeInfo");
        long t0 = System.nanoTime();
        java.util.Set<String> missing = new java.util.TreeSet<>();
        await("every agent's entry in the node map", 30, () -> {
            boolean all = true;
            for (HostStatus h : fleet.hosts()) {
                if (nodes.get(h.info().nodeId()) == null) {
                    missing.add(h.id());
                    all = false;
                }
            }
            return all;
        });
        System.out.printf("node map: missing %s, whole after %.1f s%n", missing, (System.nanoTime() - t0) / 1e9);
    }

    @Test
    void partitionControlCrashAndAgentRestart() throws Exception {
        try (ControlLab lab = ControlLab.up(4)) {
            partitionedAgentKeepsCountingAndComesBack(lab.fleet);
            settled(lab.fleet);
            splitHalvesHealAndCountOnce(lab.fleet);
            frozenHalfIsThawedAndMerges(lab.fleet);
            settled(lab.fleet);
            controlKilledDuringBroadcastStart(lab);
            restartedAgentRejoinsClean(lab.fleet);
        }
    }

    /**
     * The fleet split in two halves again, and h3's and h4's half left {@code FROZEN}, as a split-brain merge that
     * did not finish leaves it (once in CI: h3 alone and frozen for good, ignoring the other half's join checks): a
     * member of a third party's joins that half from h3's namespace, freezes it and leaves. Its master makes it
     * {@code ACTIVE} again after 10 s and says so, and once the halves are joined the cluster is one again.
     */
    private static void frozenHalfIsThawedAndMerges(Fleet fleet) throws Exception {
        ControlLab.sh(ControlLab.LAB, "split", "h3", "h4");
        try {
            await("h3 and h4 gone from the control's view", 15, () -> !alive(fleet, "h3") && !alive(fleet, "h4"));
            long thawsBefore = thaws();
            ControlLab.Result frozen = ControlLab.run(List.of("ip", "netns", "exec", "fg-h3",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-cp",
                    System.getProperty("java.class.path"), FreezeHalf.class.getName(),
                    ControlLab.STATE.resolve("creds/nodes/h3").toString()), null);
            assertTrue(frozen.out.contains("members 3") && frozen.out.contains("state FROZEN"),
                    "h3's and h4's half joined and frozen: " + frozen.out + frozen.err);
            await("the frozen half made active by its master", 20, () -> thaws() == thawsBefore + 1);
        } finally {
            ControlLab.sh(ControlLab.LAB, "heal");
        }
        long healedAt = System.nanoTime();
        await("one cluster of five again after the frozen half", 40,
                () -> fleet.hazelcast().getCluster().getMembers().size() == 5
                        && List.of("h1", "h2", "h3", "h4").stream().allMatch(h -> alive(fleet, h)));
        System.out.printf("frozen half: one cluster %.1f s after the halves were joined%n",
                (System.nanoTime() - healedAt) / 1e9);
    }

    /** How many times h3's and h4's masters have logged that they made their frozen cluster active. */
    private static long thaws() {
        return (ControlLab.log("h3") + ControlLab.log("h4")).lines()
                .filter(l -> l.contains("had been FROZEN") && l.contains("now ACTIVE")).count();
    }

    /**
     * h3 sends to h1 for 45 s at 1 kpps; h3's management link goes down for 30 s of it. The control marks h3 gone
     * and its run LOST (not silently stale); the data path is untouched, so the run goes on. When the link returns,
     * h3 is back in the control's view within 10 s, and once the run ends its counters, seen by the control, are
     * exact: what h3 sent (45,000 departures, less any a stall skipped and counted) is what h1 received.
     */
    private static void partitionedAgentKeepsCountingAndComesBack(Fleet fleet) throws Exception {
        ProfileSpec p = udp("198.18.0.1", 8300, 1000, 45_000);
        fleet.pair("cut", p, fleet.host("h3"), fleet.host("h1"));
        fleet.waitUntil(fleet.host("h1"), "cut", s -> s.counters().recv() >= 2000, 20);
        ControlLab.sh("ip", "-n", "fg-h3", "link", "set", "mgmt0", "down");
        long cutAt = System.nanoTime();
        try {
            await("h3 marked gone", 15, () -> !alive(fleet, "h3"));
            RunView lost = fleet.aggregator().run("h3", "cut", Role.SENDER);
            assertEquals(RunState.LOST, lost.status().state(), "the cut agent's run: " + lost);
            long left = 30 * S - (System.nanoTime() - cutAt);
            Thread.sleep(Math.max(0, left / 1_000_000));
            long recvDuringCut = fleet.poll(fleet.host("h1"), "cut").get(0).counters().recv();
            assertTrue(recvDuringCut >= 25_000, "h3 kept sending while cut off: " + recvDuringCut);
        } finally {
            ControlLab.sh("ip", "-n", "fg-h3", "link", "set", "mgmt0", "up");
        }
        long upAt = System.nanoTime();
        await("h3 back in the control's view", 10, () -> alive(fleet, "h3"));
        System.out.printf("partition: h3 back %.1f s after its link returned%n", (System.nanoTime() - upAt) / 1e9);
        RunStatus sent = fleet.waitUntil(fleet.host("h3"), "cut", s -> s.state().isTerminal(), 30);
        // Departures a stall (the merge's) made impossible are skipped and counted, whole periods (issue 17).
        assertEquals(45_000, sent.counters().sent() + sent.counters().skipped(), "pps x duration, sent or skipped: "
                + sent);
        RunStatus recv = fleet.waitUntil(fleet.host("h1"), "cut", s -> s.state().isTerminal(), 10);
        assertEquals(sent.counters().sent(), recv.counters().recv(), "every packet counted: " + recv);
        await("the control's view of h3's run is final and exact", 10, () -> {
            RunView v = fleet.aggregator().run("h3", "cut", Role.SENDER);
            return v != null && v.status().state() == RunState.FINISHED
                    && v.status().counters().sent() == sent.counters().sent();
        });
    }

    /**
     * The management network split in two halves for 30 s ({@code lab.sh split h3 h4}: h3 and h4 reach only each
     * other, h1, h2 and the control only each other), each half a cluster of its own. Runs that cross the split on
     * the data network go on (h3 to h1, h2 to h4, 45 s at 1 kpps), and the control starts one in its own half
     * during the split. The control marks h3 and h4 gone; once healed the cluster is one again (five members), every
     * run is listed once on its host and once in the control's view, and nothing is counted twice: each receiver got
     * what its sender sent, and the control's total of each run is its sender's and receiver's final counters.
     */
    private static void splitHalvesHealAndCountOnce(Fleet fleet) throws Exception {
        Map<String, String[]> runs = Map.of("west", new String[] {"h3", "h1"}, "east", new String[] {"h2", "h4"},
                "during", new String[] {"h1", "h2"});
        pairRetrying(fleet, "west", udp("198.18.0.1", 8600, 1000, 45_000), fleet.host("h3"), fleet.host("h1"));
        pairRetrying(fleet, "east", udp("198.18.0.4", 8601, 1000, 45_000), fleet.host("h2"), fleet.host("h4"));
        fleet.waitUntil(fleet.host("h4"), "east", s -> s.counters().recv() >= 2000, 20);
        ControlLab.sh(ControlLab.LAB, "split", "h3", "h4");
        long cutAt = System.nanoTime();
        try {
            await("h3 and h4 gone from the control's view", 15, () -> !alive(fleet, "h3") && !alive(fleet, "h4"));
            assertTrue(alive(fleet, "h1") && alive(fleet, "h2"), "the control's half stays: " + fleet.hosts());
            assertEquals(3, fleet.hazelcast().getCluster().getMembers().size(), "the control's half: 3 members");
            pairRetrying(fleet, "during", udp("198.18.0.2", 8602, 1000, 10_000), fleet.host("h1"), fleet.host("h2"));
            Thread.sleep(Math.max(0, (30 * S - (System.nanoTime() - cutAt)) / 1_000_000));
        } finally {
            ControlLab.sh(ControlLab.LAB, "heal");
        }
        long healedAt = System.nanoTime();
        await("one cluster of five again", 30, () -> fleet.hazelcast().getCluster().getMembers().size() == 5
                && List.of("h1", "h2", "h3", "h4").stream().allMatch(h -> alive(fleet, h)));
        System.out.printf("split: one cluster %.1f s after the halves were joined%n",
                (System.nanoTime() - healedAt) / 1e9);
        for (Map.Entry<String, String[]> run : runs.entrySet()) {
            String name = run.getKey();
            RunStatus sent = fleet.waitUntil(fleet.host(run.getValue()[0]), name, s -> s.state().isTerminal(), 40);
            RunStatus recv = fleet.waitUntil(fleet.host(run.getValue()[1]), name, s -> s.state().isTerminal(), 10);
            assertEquals(sent.counters().sent(), recv.counters().recv(), name + ": every packet counted once: " + recv);
            assertTrue(sent.counters().sent() > 0, name + ": " + sent);
            for (String h : run.getValue()) {
                long listed = fleet.list(fleet.host(h)).stream().filter(x -> x.name().equals(name)).count();
                assertEquals(1, listed, name + " listed once on " + h);
            }
            await(name + ": the control's view final, once per host and role", 10, () -> {
                List<RunView> views = fleet.aggregator().runs().stream()
                        .filter(v -> v.status().name().equals(name)).toList();
                return views.size() == 2 && views.stream().allMatch(v -> v.status().state() == RunState.FINISHED)
                        && fleet.aggregator().total(name).sent() == sent.counters().sent()
                        && fleet.aggregator().total(name).recv() == recv.counters().recv();
            });
        }
    }

    /**
     * A control process starts a sender on h1, h2 and h4 with one broadcast and is killed (-9) as soon as the first
     * agent runs it. A new control lists every run that started (the agents are the source of truth) and stops
     * them all.
     */
    private static void controlKilledDuringBroadcastStart(ControlLab lab) throws Exception {
        Fleet fleet = lab.fleet;
        List<String> hosts = List.of("h1", "h2", "h4");
        ProcessBuilder pb = new ProcessBuilder(ControlLab.cli(lab.hosts, "-c",
                "stream s proto=udp dst=198.18.0.3 dport=8400; profile p continuous stream=s pps=500 duration=120; "
                + "fleet start sender orphan p h1 h2 h4; sleep 60"));
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process control = pb.start();
        try {
            await("a run started by the doomed control", 60, () -> hosts.stream().anyMatch(h -> {
                try {
                    return fleet.list(fleet.host(h)).stream().anyMatch(x -> x.name().equals("orphan"));
                } catch (FleetException e) {
                    return false;
                }
            }));
        } finally {
            control.destroyForcibly();   // SIGKILL: no goodbye to the cluster
            control.waitFor();
        }
        Thread.sleep(1000);
        int started = 0;
        for (String h : hosts) {
            started += fleet.list(fleet.host(h)).stream().filter(r -> r.name().equals("orphan")).count();
        }
        ControlLab.Result r = ControlLab.run(ControlLab.cli(lab.hosts, "--json", "-c",
                "list h1 h2 h4; fleet stop orphan h1 h2 h4"), null);
        assertEquals(0, r.code, r.out + r.err);
        String[] lines = r.out.strip().split("\n");
        JsonArray listed = new JsonArray(lines[lines.length - 2]);
        long orphans = listed.stream().filter(o -> ((JsonObject) o).getString("name").equals("orphan")).count();
        assertEquals(started, orphans, "the new control lists every run that started: " + listed.encode());
        assertEquals(3, started, "one broadcast reached every selected agent");
        JsonObject stopped = new JsonObject(lines[lines.length - 1]);
        for (Object o : stopped.getJsonArray("hosts")) {
            assertEquals("stopped", ((JsonObject) o).getString("state"), stopped.encode());
        }
        for (String h : hosts) {
            RunStatus s = fleet.poll(fleet.host(h), "orphan").get(0);
            assertEquals(RunState.STOPPED, s.state(), h + ": " + s);
        }
    }

    /**
     * h4 is killed (-9) mid-run: its run turns LOST within 10 s. Restarted, it rejoins with a clean state: no runs,
     * and a poll of the earlier one says it is unknown there.
     */
    private static void restartedAgentRejoinsClean(Fleet fleet) throws Exception {
        fleet.sender("doomed", udp("198.18.0.1", 8500, 500, 60_000), fleet.host("h4")).start();
        await("h4's run in the control's view", 10, () -> fleet.aggregator().run("h4", "doomed", Role.SENDER) != null);
        ControlLab.sh("kill", "-9", Long.toString(ControlLab.agentPid("h4")));
        long killedAt = System.nanoTime();
        await("h4's run LOST", 10, () -> {
            RunView v = fleet.aggregator().run("h4", "doomed", Role.SENDER);
            return v != null && v.status().state() == RunState.LOST;
        });
        System.out.printf("kill -9: LOST after %.1f s%n", (System.nanoTime() - killedAt) / 1e9);
        ControlLab.sh(ControlLab.LAB, "agents", "start", "h4");
        await("h4 back", 20, () -> alive(fleet, "h4"));
        Host h4 = fleet.host("h4");
        assertTrue(fleet.list(h4).isEmpty(), "a restarted agent has no runs: " + fleet.list(h4));
        FleetException e = assertThrows(FleetException.class, () -> fleet.poll(h4, "doomed"));
        assertTrue(e.getMessage().contains("doomed"), e.getMessage());
        HostStatus h = fleet.hosts().stream().filter(x -> x.id().equals("h4")).findFirst().orElseThrow();
        assertTrue(h.alive(), h.toString());
        assertEquals(RunState.LOST, fleet.aggregator().run("h4", "doomed", Role.SENDER).status().state(),
                "the control still says the earlier run was lost");
    }
}
