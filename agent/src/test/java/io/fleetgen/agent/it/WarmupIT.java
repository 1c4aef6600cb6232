package io.fleetgen.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.codec.StreamSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 15: once ready, an agent does what a first start costs ({@code Warmup}), every step of it, and the first
 * runs of a sender and a receiver then load none of the classes the warm-up covers (pcap4j, JNA, the EC arithmetic
 * of a control's first seal, the agent's frames and channels; not a route's reply, which the warm-up does not reach:
 * its neighbour look-up could send an ARP request): each agent JVM logs its class loads, and the lines after the
 * warm-up's are those of the runs. Without the warm-up the same runs load them (dozens).
 */
@EnabledIfSystemProperty(named = "fleetgen.lab", matches = "true")
class WarmupIT {
    private static final List<String> COVERED = List.of("org.pcap4j.", "com.sun.jna.", "sun.security.ec.",
            "io.fleetgen.agent.frame.", "io.fleetgen.agent.impl.tx.TxHandlePool", "io.fleetgen.agent.impl.rx.Capture",
            "io.fleetgen.agent.impl.sys.PacketSocket");

    @Test
    void theFirstRunsLoadNothingTheWarmUpCovers() throws Exception {
        Path dir = Files.createTempDirectory("fleetgen-warmup");
        try (Lab lab = Lab.up(2, "", "-Xlog:class+load=info:file=" + dir + "/classes-%p.log")) {
            int[] mark = new int[3];
            for (int h = 1; h <= 2; h++) {
                Path log = Lab.ROOT.resolve("deploy/.lab/h" + h + ".log");
                String line = awaitLine(log, "warmed up in", 60);
                assertTrue(line.endsWith("(6 steps, 0 skipped)"), "h" + h + ": " + line);
                mark[h] = Files.readAllLines(classLog(dir, h)).size();
            }
            ProfileSpec p = ProfileSpec.builder(ProfileType.STANDARD, StreamSpec.fromSeed(Map.of("proto", "udp",
                    "dst", "198.18.0.2", "dport", 9600))).count(200).pps(1000).build();
            lab.start("h2", CommandOp.START_RECEIVER, "warm", p);
            lab.start("h1", CommandOp.START_SENDER, "warm", p);
            RunStatus s = lab.pollUntil("h1", "warm", x -> x.state().isTerminal(), 20);
            RunStatus r = lab.pollUntil("h2", "warm", x -> x.counters().recv() >= 200, 10);
            lab.stop("h2", "warm");
            assertEquals(200, s.counters().sent(), s.toString());
            assertEquals(200, r.counters().recv(), r.toString());
            List<String> late = new ArrayList<>();
            for (int h = 1; h <= 2; h++) {
                List<String> lines = Files.readAllLines(classLog(dir, h));
                for (String l : lines.subList(mark[h], lines.size())) {
                    String cls = l.replaceFirst("^\\[[^]]*\\]\\[[^]]*\\]\\[[^]]*\\] ", "").split(" ")[0];
                    if (COVERED.stream().anyMatch(cls::startsWith)) {
                        late.add("h" + h + " " + cls);
                    }
                }
            }
            assertEquals(List.of(), late, "classes the warm-up covers, first loaded by a run");
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    private static Path classLog(Path dir, int host) throws Exception {
        String pid = Files.readString(Lab.ROOT.resolve("deploy/.lab/h" + host + ".pid")).strip();
        return dir.resolve("classes-" + pid + ".log");
    }

    private static String awaitLine(Path log, String text, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            for (String l : Files.readAllLines(log)) {
                if (l.contains(text)) {
                    return l;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError(log + ": no \"" + text + "\" within " + seconds + " s");
    }
}
