package io.fleetgen.control.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 12: the README's REPL examples, taken from README.md itself and run as written (one-shot, no --hosts)
 * against a fresh 3-host lab, with the outputs they promise; help without a cluster; nothing printed but what was
 * asked for.
 */
@EnabledIfSystemProperty(named = "fleetgen.lab", matches = "true")
class ReadmeIT {
    @Test
    void theReadmesReplExamplesWorkAsWritten() throws Exception {
        List<String> readme = Files.readAllLines(ControlLab.ROOT.resolve("README.md"));
        String lab = readme.stream().filter(l -> l.startsWith("LAB=\"")).findFirst().orElseThrow();
        List<String> labArgs = List.of(lab.substring(5, lab.length() - 1).split(" "));
        List<String> examples = readme.stream().filter(l -> l.startsWith("deploy/fleetgen $LAB -c \""))
                .map(l -> l.substring(l.indexOf("-c \"") + 4, l.lastIndexOf('"'))).toList();
        String mesh = readme.stream().filter(l -> l.startsWith("fleetgen> ")).findFirst().orElseThrow()
                .substring("fleetgen> ".length());
        assertEquals(4, examples.size(), examples.toString());

        ControlLab.Result help = ControlLab.run(List.of(ControlLab.ROOT.resolve("deploy/fleetgen").toString(), "-c",
                "help; help profile"), null);
        assertEquals(0, help.code, "help needs no cluster: " + help.out + help.err);
        assertTrue(help.out.contains("burst_interval=") && help.out.contains("fleet start sender|receiver"));
        assertEquals("", help.err);

        ControlLab.sh(ControlLab.LAB, "up", "3");
        try {
            ControlLab.sh(ControlLab.LAB, "agents", "start");
            ControlLab.Result pair = repl(labArgs, "-c", examples.get(0));
            assertEquals(0, pair.code, pair.out + pair.err);
            assertTrue(pair.out.contains("1000"), pair.out);
            assertQuiet(pair);

            ControlLab.Result unknown = repl(labArgs, "-c", examples.get(1));
            assertEquals(1, unknown.code);
            assertTrue(unknown.err.contains("unknown host h9 (known: h1, h2, h3)"), unknown.err);
            ControlLab.Result unknownJson = repl(labArgs, "--json", "-c", examples.get(1));
            String[] lines = unknownJson.out.strip().split("\n");
            assertEquals("UNKNOWN_HOST", new JsonObject(lines[lines.length - 1]).getJsonObject("error")
                    .getString("code"), unknownJson.out);
            assertFalse(unknownJson.out.contains("fleetgen.agent."), "no bus address leaks");

            ControlLab.Result flows = repl(labArgs, "-c", examples.get(2));
            assertEquals(0, flows.code, flows.out + flows.err);
            assertTrue(flows.out.contains("Received=4096 "), flows.out);
            ControlLab.Result two = repl(labArgs, "-c", examples.get(3));
            assertEquals(0, two.code, two.out + two.err);
            for (int i = 0; i < 2; i++) {
                String row = "\\s+stream " + i + "\\s.*Received=1000 .*";
                assertTrue(two.out.lines().anyMatch(l -> l.matches(row)), "stream " + i + ": " + two.out);
            }

            ControlLab.Result meshRun = repl(labArgs, "-c", mesh);
            assertEquals(0, meshRun.code, meshRun.out + meshRun.err);
            assertEquals(6, meshRun.out.split("500/500 0.0%", -1).length - 1, meshRun.out);

            ControlLab.Result json = repl(labArgs, "--json", "-c", "hosts; list");
            assertEquals(0, json.code, json.out + json.err);
            String[] docs = json.out.strip().split("\n");
            assertEquals(2, docs.length, json.out);
            assertEquals(3, new JsonArray(docs[0]).size(), "hosts, without --hosts: " + docs[0]);
            assertQuiet(json);
        } finally {
            ControlLab.sh(ControlLab.LAB, "down");
        }
    }

    private static ControlLab.Result repl(List<String> labArgs, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ControlLab.ROOT.resolve("deploy/fleetgen").toString()));
        cmd.addAll(labArgs);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ControlLab.ROOT.toFile());
        return ControlLab.run(pb);
    }

    /** Normal use prints only what was asked for: no Hazelcast or Vert.x warnings. */
    private static void assertQuiet(ControlLab.Result r) {
        for (String noise : new String[] {"WARNING", "SEVERE", "WARN ", "INFO:", "Exception"}) {
            assertFalse((r.out + r.err).contains(noise), noise + " in: " + r.out + r.err);
        }
    }
}
