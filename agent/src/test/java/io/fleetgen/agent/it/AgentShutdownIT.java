package io.fleetgen.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.RunState;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.codec.StreamSpec;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** SIGTERM during a Continuous TCP run: the final counter event arrives and no RST rule is left behind. */
@EnabledIfSystemProperty(named = "fleetgen.lab", matches = "true")
class AgentShutdownIT {

    @Test
    void sigtermPublishesFinalCountersAndRemovesTheRstRule() throws Exception {
        try (Lab lab = Lab.up(2)) {
            ProfileSpec p = ProfileSpec.builder(ProfileType.CONTINUOUS, StreamSpec.fromSeed(Map.of("proto", "tcp",
                    "dst", "198.18.0.2", "dport", 9000))).pps(5000).build();
            lab.start("h2", CommandOp.START_RECEIVER, "term", p);
            lab.start("h1", CommandOp.START_SENDER, "term", p);
            lab.pollUntil("h2", "term", x -> x.counters().recv() >= 1000, 20);
            assertTrue(Lab.inHost(1, "iptables", "-S", "OUTPUT").contains("fleetgen:h1:term"));
            long pid = Long.parseLong(Files.readString(Lab.ROOT.resolve("deploy/.lab/h1.pid")).trim());
            Lab.sh("kill", "-TERM", Long.toString(pid));
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (!lab.finals.containsKey("h1/term") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            RunStatus last = lab.finals.get("h1/term");
            assertTrue(last != null, "final counter event of h1/term");
            assertEquals(RunState.STOPPED, last.state());
            assertTrue(last.counters().sent() >= 1000, last.toString());
            RunStatus r = lab.pollUntil("h2", "term", x -> x.counters().recv() >= last.counters().sent(), 10);
            assertEquals(last.counters().sent(), r.counters().recv());
            assertFalse(Lab.inHost(1, "iptables", "-S", "OUTPUT").contains("fleetgen:"), "RST rule removed");

            // A restarted agent purges what an agent of its host id left, and no other agent's rule (issue 11).
            Lab.inHost(1, "iptables", "-A", "OUTPUT", "-p", "tcp", "--dport", "9", "-m", "comment", "--comment",
                    "fleetgen:h1:stale", "-j", "DROP");
            Lab.inHost(1, "iptables", "-A", "OUTPUT", "-p", "tcp", "--dport", "9", "-m", "comment", "--comment",
                    "fleetgen:h9:live", "-j", "DROP");
            Lab.sh(Lab.ROOT.resolve("deploy/lab.sh").toString(), "agents", "start", "h1");
            String rules = Lab.inHost(1, "iptables", "-S", "OUTPUT");
            assertFalse(rules.contains("fleetgen:h1:stale"), rules);
            assertTrue(rules.contains("fleetgen:h9:live"), "another agent's rule is untouched: " + rules);
        }
    }
}
