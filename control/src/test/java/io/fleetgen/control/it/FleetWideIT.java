package io.fleetgen.control.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.RunState;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.codec.StreamSpec;
import io.fleetgen.control.Fleet;
import io.fleetgen.control.FleetResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 12: one profile serves a fleet-wide receiver on every host (each listens on its own address in the network
 * of the profile's dst) and counts exactly; a fleet start that fails on one host is undone on the others unless
 * kept, and the result says per host what happened.
 */
@EnabledIfSystemProperty(named = "fleetgen.lab", matches = "true")
class FleetWideIT {
    @Test
    void oneProfileServesReceiversOnEveryHostAndAFailedStartIsRolledBack() throws Exception {
        try (ControlLab lab = ControlLab.up(3)) {
            Fleet fleet = lab.fleet;
            ProfileSpec everywhere = ProfileSpec.builder(ProfileType.CONTINUOUS, StreamSpec.fromSeed(Map.of(
                    "proto", "udp", "dst", "198.18.0.0", "dport", 8600))).build();
            FleetResult r = fleet.startEverywhere(CommandOp.START_RECEIVER, "fw", everywhere, List.of(), false);
            assertTrue(r.ok(), r.outcomes().toString());
            assertEquals(3, r.replies().size());
            for (int i = 1; i <= 3; i++) {
                int to = i % 3 + 1;
                ProfileSpec p = ProfileSpec.builder(ProfileType.STANDARD, StreamSpec.fromSeed(Map.of("proto", "udp",
                        "dst", "198.18.0." + to, "dport", 8600))).count(300 * i).pps(10_000).build();
                fleet.sender("fws", p, fleet.host("h" + i)).start();
            }
            for (int i = 1; i <= 3; i++) {
                int from = (i + 1) % 3 + 1;
                long expected = 300L * from;
                RunStatus s = fleet.waitUntil(fleet.host("h" + i), "fw", x -> x.counters().recv() >= expected, 20);
                assertEquals(expected, s.counters().recv(), "h" + i + " counted exactly what h" + from + " sent");
            }
            fleet.broadcast(CommandOp.STOP, "fw", null, List.of());

            // Fleet-wide senders toward one host: h2 and h3 send to h1's own address in the profile's network.
            ProfileSpec toward = ProfileSpec.builder(ProfileType.STANDARD, StreamSpec.fromSeed(Map.of("proto", "udp",
                    "dst", "198.18.0.0", "dport", 8602))).count(250).pps(10_000).build();
            fleet.receiver("tw", ProfileSpec.builder(ProfileType.CONTINUOUS, StreamSpec.fromSeed(Map.of("proto",
                    "udp", "dst", "198.18.0.1", "dport", 8602))).build(), fleet.host("h1")).start();
            FleetResult sent = fleet.sendEverywhereTo("tw", toward, List.of(), fleet.host("h1"), false);
            assertTrue(sent.ok(), sent.outcomes().toString());
            assertEquals(List.of("h2", "h3"), sent.replies().keySet().stream().sorted().toList());
            assertEquals(500, fleet.waitUntil(fleet.host("h1"), "tw", x -> x.counters().recv() >= 500, 20)
                    .counters().recv(), "250 from each of h2 and h3");
            fleet.stop(fleet.host("h1"), "tw");

            // h2 already runs "rb": the fleet start fails there, and is undone on h1 and h3.
            ProfileSpec p = ProfileSpec.builder(ProfileType.CONTINUOUS, StreamSpec.fromSeed(Map.of("proto", "udp",
                    "dst", "198.18.0.0", "dport", 8601))).build();
            fleet.receiver("rb", ProfileSpec.builder(ProfileType.CONTINUOUS, StreamSpec.fromSeed(Map.of("proto",
                    "udp", "dst", "198.18.0.2", "dport", 8601))).build(), fleet.host("h2")).start();
            FleetResult failed = fleet.startEverywhere(CommandOp.START_RECEIVER, "rb", p, List.of(), false);
            assertFalse(failed.ok());
            assertEquals(List.of("h1", "h3"), failed.rolledBack().stream().sorted().toList());
            assertTrue(failed.outcomes().get("h2").startsWith("failed: rb: already running on h2"),
                    failed.outcomes().toString());
            assertEquals("started, rolled back", failed.outcomes().get("h1"));
            assertEquals(RunState.STOPPED, fleet.poll(fleet.host("h1"), "rb").get(0).state());
            assertEquals(RunState.RUNNING, fleet.poll(fleet.host("h2"), "rb").get(0).state(), "h2's own run goes on");

            FleetResult kept = fleet.startEverywhere(CommandOp.START_RECEIVER, "rb", p, List.of(), true);
            assertFalse(kept.ok());
            assertTrue(kept.rolledBack().isEmpty());
            assertEquals(RunState.RUNNING, fleet.poll(fleet.host("h3"), "rb").get(0).state(), "kept when asked");
            fleet.broadcast(CommandOp.STOP, "rb", null, List.of());

            listShowsTheLatestEnded(fleet);
        }
    }

    /** After 500 runs, list shows the live ones and the latest 20 ended; list all shows every one. */
    private static void listShowsTheLatestEnded(Fleet fleet) throws Exception {
        ProfileSpec shortRun = ProfileSpec.builder(ProfileType.CONTINUOUS, StreamSpec.fromSeed(Map.of("proto",
                "udp", "dst", "198.18.0.2", "dport", 8603))).pps(100).build();
        for (int i = 0; i < 500; i++) {
            io.fleetgen.control.Sender s = fleet.sender("old" + i, shortRun, fleet.host("h1"));
            s.start();
            s.stop();
        }
        ControlLab.Result list = ControlLab.run(ControlLab.cli(3, "-c", "list h1"), null);
        assertEquals(0, list.code, list.out + list.err);
        assertEquals(20, list.out.lines().filter(l -> l.matches("h1\\s+old\\d+ .*")).count(), list.out);
        assertTrue(list.out.lines().filter(l -> l.matches("h1\\s+\\S+ .*")).count() <= 20, "ended rows shown");
        assertTrue(list.out.strip().matches("(?s).*\\(\\d+ older ended runs: list all\\)"), list.out);
        ControlLab.Result all = ControlLab.run(ControlLab.cli(3, "--json", "-c", "list h1 all"), null);
        assertEquals(500, new io.vertx.core.json.JsonArray(all.out.strip()).stream()
                .filter(o -> ((io.vertx.core.json.JsonObject) o).getString("name").startsWith("old")).count());
    }
}
