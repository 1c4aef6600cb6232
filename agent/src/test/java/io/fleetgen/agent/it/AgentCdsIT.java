package io.fleetgen.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.RunState;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.codec.StreamSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The agents' class-data archive ({@code deploy/agent-cds.sh}, made once per jar by {@code lab.sh}) holds what a
 * run loads, not only what a start loads (issue 15): after a receiver and a sender ran, every Fleetgen class either
 * agent loaded was mapped from the archive (read from each JVM's class-load log), so the first command a fleet gets
 * does not wait for hundreds of classes to be read and verified.
 */
@EnabledIfSystemProperty(named = "fleetgen.lab", matches = "true")
class AgentCdsIT {
    private static final String ARCHIVED = "source: shared objects file";

    @Test
    void aRunLoadsNoFleetgenClassFromTheJar() throws Exception {
        Path logs = Lab.ROOT.resolve("deploy/.lab");
        StreamSpec udp = StreamSpec.fromSeed(Map.of("proto", "udp", "dst", "198.18.0.2", "dport", 9600));
        ProfileSpec p = ProfileSpec.builder(ProfileType.STANDARD, udp).count(500).pps(1000).build();
        try (Lab lab = Lab.up(2, "", "-Xlog:class+load=info:file=" + logs + "/classes-%p.log")) {
            lab.start("h2", CommandOp.START_RECEIVER, "r", p);
            lab.start("h1", CommandOp.START_SENDER, "s", p);
            RunStatus r = lab.pollUntil("h2", "r", s -> s.state().isTerminal(), 20);
            assertEquals(RunState.FINISHED, r.state(), r.toString());
            assertEquals(500, r.counters().recv(), r.toString());
            for (String host : List.of("h1", "h2")) {
                String pid = Files.readString(logs.resolve(host + ".pid")).strip();
                Path log = logs.resolve("classes-" + pid + ".log");
                List<String> ours = Files.readAllLines(log).stream().filter(l -> l.contains(" io.fleetgen."))
                        .filter(l -> !l.contains("$$Lambda")).toList();
                Files.delete(log);
                String run = host.equals("h1") ? "io.fleetgen.agent.impl.tx.TransmitLoop "
                        : "io.fleetgen.agent.impl.rx.CaptureLoop ";
                assertTrue(ours.stream().anyMatch(l -> l.contains(run + ARCHIVED)),
                        host + ": the run's loop class from the archive: " + ours.size() + " classes");
                assertEquals(List.of(), ours.stream().filter(l -> !l.contains(ARCHIVED)).toList(),
                        host + ": Fleetgen classes read from the jar, not the archive");
            }
        }
    }
}
