package io.fleetgen.control.it;

import static io.fleetgen.control.it.ControlLab.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.Role;
import io.fleetgen.codec.RunState;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.codec.StreamSpec;
import io.fleetgen.control.Fleet;
import io.fleetgen.control.Pair;
import io.fleetgen.control.RunView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Agents as Hazelcast lite members (issue 15, the deployment docs/SCALE.md proposes for large fleets): h1 holds the
 * cluster's data, h2 and h3 join with {@code --lite-member}. A lite agent with no data member to join refuses to
 * start, naming the option; with one, the control sees all three agents, runs between lite agents count exactly,
 * and a lite agent killed (-9) has its run turn LOST as a data member's does.
 */
@EnabledIfSystemProperty(named = "fleetgen.lab", matches = "true")
class LiteMemberIT {
    private static ControlLab.Result start(String options, String... hosts) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(ControlLab.LAB, "agents", "start"));
        cmd.addAll(List.of(hosts));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("FLEETGEN_AGENT_OPTS", options);
        pb.environment().put("FLEETGEN_LAB_READY_SECONDS", "40");
        return ControlLab.run(pb);
    }

    private static ProfileSpec udp(String dst, int dport, long count, long pps) {
        StreamSpec s = StreamSpec.fromSeed(Map.of("proto", "udp", "dst", dst, "dport", dport));
        return ProfileSpec.builder(ProfileType.STANDARD, s).size(64).count(count).pps(pps).build();
    }

    @Test
    void liteAgentsNeedADataMemberThenServeAsAnyAgent() throws Exception {
        ControlLab.sh(ControlLab.LAB, "up", "3");
        ControlLab.Result alone = start("--lite-member", "h2");
        assertTrue(alone.code != 0, "a lite agent with no data member must not start: " + alone.out + alone.err);
        String log = ControlLab.log("h2");
        assertTrue(log.contains("fleetgen-agent: lite-member: true (expected: a member of the cluster at "), log);
        ControlLab.Result data = start("", "h1");
        assertEquals(0, data.code, "the data member starts: " + data.out + data.err);
        ControlLab.Result lite = start("--lite-member", "h2", "h3");
        assertEquals(0, lite.code, "the lite agents start: " + lite.out + lite.err);
        try (ControlLab lab = ControlLab.join(3)) {
            Fleet fleet = lab.fleet;
            assertEquals(3, fleet.hosts().stream().filter(h -> h.alive()).count(), "agents: " + fleet.hosts());
            long lites = fleet.hazelcast().getCluster().getMembers().stream().filter(m -> m.isLiteMember()).count();
            assertEquals(3, lites, "h2, h3 and the control are lite members");

            Pair pair = fleet.pair("lite", udp("198.18.0.3", 9100, 2000, 1000), fleet.host("h2"), fleet.host("h3"));
            pair.sender().waitFinished(30);
            RunStatus recv = pair.receiver().waitFinished(30);
            assertEquals(2000, pair.sender().sent(), "h2 sent: " + pair.sender().status());
            assertEquals(2000, recv.counters().recv(), "h3 received each once: " + recv);
            assertEquals(0, recv.counters().duplicates() + recv.counters().outOfOrder(), recv.toString());

            fleet.sender("doomed", udp("198.18.0.1", 9200, 60_000, 500), fleet.host("h3")).start();
            await("the run on h3 seen", 10, () -> fleet.aggregator().run("h3", "doomed", Role.SENDER) != null);
            ControlLab.sh("kill", "-9", Long.toString(ControlLab.agentPid("h3")));
            await("the killed lite agent's run LOST", 10,
                    () -> lost(fleet.aggregator().run("h3", "doomed", Role.SENDER)));
        }
    }

    private static boolean lost(RunView v) {
        return v != null && v.status().state() == RunState.LOST;
    }
}
