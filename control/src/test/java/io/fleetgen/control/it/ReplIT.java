package io.fleetgen.control.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The REPL driven as a user would: non-interactive with --json, a script on stdin, and a tmux terminal. */
@EnabledIfSystemProperty(named = "fleetgen.lab", matches = "true")
class ReplIT {
    private static final String CLI = ControlLab.ROOT.resolve("deploy/fleetgen").toString();
    private static ControlLab lab;

    @BeforeAll
    static void up() throws Exception {
        lab = ControlLab.up(2);
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    private static List<String> cli(String... args) {
        return ControlLab.cli(2, args);
    }

    @Test
    void nonInteractiveJsonDefinesStartsPollsAndStops() throws Exception {
        ControlLab.Result r = ControlLab.run(cli("--json", "-c",
                "stream s proto=udp dst=198.18.0.2 dport=8000; profile p standard stream=s count=250; "
                + "receiver r1 p h2; sender r1 p h1; wait h1 r1 finished; wait h2 r1 recv>=250; poll h1 r1; "
                + "stop h2 r1"), null);
        assertEquals(0, r.code, r.out + r.err);
        String[] lines = r.out.strip().split("\n");
        JsonObject sender = new JsonArray(lines[lines.length - 2]).getJsonObject(0);
        JsonObject receiver = new JsonArray(lines[lines.length - 1]).getJsonObject(0);
        assertEquals("finished", sender.getString("state"));
        assertEquals(250, sender.getJsonObject("counters").getLong("sent"));
        assertEquals(250, receiver.getJsonObject("counters").getLong("recv"));
        assertEquals("finished", receiver.getString("state"));
    }

    @Test
    void receiverRecordsAPcapFileTheControlFetches() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("fleetgen-it", ".pcap");
        ControlLab.Result live = ControlLab.run(cli("-c",
                "stream s proto=udp dst=198.18.0.2 dport=8300; profile c continuous stream=s pcap=5; "
                + "receiver live c h2; pcap h2 live " + file), null);
        assertEquals(1, live.code, live.out + live.err);
        assertTrue(live.err.contains("live on h2 is still running (expected: an ended run; stop it first)"),
                live.err);
        ControlLab.Result stopped = ControlLab.run(cli("-c", "stop h2 live"), null);
        assertEquals(0, stopped.code, stopped.out + stopped.err);

        ControlLab.Result r = ControlLab.run(cli("--json", "-c",
                "stream s proto=udp dst=198.18.0.2 dport=8301; profile p standard stream=s count=200 pcap=50; "
                + "pair cap p h1 h2; wait h2 cap finished; pcap h2 cap " + file), null);
        assertEquals(0, r.code, r.out + r.err);
        String[] lines = r.out.strip().split("\n");
        assertEquals(file.toString(), new JsonObject(lines[lines.length - 1]).getString("pcap"));
        String dump = ControlLab.sh("tcpdump", "-n", "-r", file.toString());
        String[] packets = dump.strip().split("\n");
        assertEquals(50, packets.length, "the first 50 of the 200 packets: " + dump);
        for (String p : packets) {
            assertTrue(p.contains("198.18.0.1.8000 > 198.18.0.2.8301: UDP, length 100"), p);
        }
        java.nio.file.Files.delete(file);
        // The lab's agents run as root with the default java.io.tmpdir; their private directory outlives them.
        ControlLab.sh("rm", "-rf", "/tmp/fleetgen-pcap-h2");
    }

    /**
     * A paced run sends its schedule exactly (issue 17): {@code pps x duration} departures, each either sent or
     * counted as skipped after a stall, never more; the receiver counts every one sent.
     */
    @Test
    void pacedRunSendsItsScheduleExactly() throws Exception {
        ControlLab.Result r = ControlLab.run(cli("--json", "-c",
                "stream s proto=udp dst=198.18.0.2 dport=8303; profile tx continuous stream=s pps=2000 duration=1; "
                + "profile rx continuous stream=s duration=20; receiver pc rx h2; sender pc tx h1; "
                + "wait h1 pc finished timeout=20; poll h1 pc"), null);
        assertEquals(0, r.code, r.out + r.err);
        String[] lines = r.out.strip().split("\n");
        JsonObject tx = new JsonArray(lines[lines.length - 1]).getJsonObject(0).getJsonObject("counters");
        assertEquals(2000, tx.getLong("sent") + tx.getLong("skipped"), "1 s at 2 kpps: " + tx);
        assertTrue(tx.getLong("sent") >= 1900, "a stall of 50 ms or more in a 1 s run: " + tx);
        ControlLab.Result stopped = ControlLab.run(cli("--json", "-c", "wait h2 pc recv>=" + tx.getLong("sent")
                + " timeout=20; stop h2 pc"), null);
        assertEquals(0, stopped.code, stopped.out + stopped.err);
        String[] out = stopped.out.strip().split("\n");
        JsonObject rx = new JsonArray(out[out.length - 1]).getJsonObject(0).getJsonObject("counters");
        assertEquals(tx.getLong("sent"), rx.getLong("recv"), "the receiver counts every one sent: " + rx);
    }

    /**
     * The launcher's class-data archives of the control: one made by the first run that joins a cluster, another by
     * the first that does not (such as {@code help}). A single archive made by {@code help} (1.9 MB) held none of
     * the cluster's classes, and every later command read them from the jar.
     */
    @Test
    void theControlsClusterArchiveIsMadeByTheFirstRunThatJoins() throws Exception {
        Path cache = Files.createTempDirectory("fleetgen-cache");
        try {
            ProcessBuilder help = new ProcessBuilder(CLI, "-c", "help");
            help.environment().put("XDG_CACHE_HOME", cache.toString());
            assertEquals(0, ControlLab.run(help).code);
            assertEquals(List.of(), archives(cache, "control-cluster-"), "help makes no cluster archive");
            assertEquals(1, archives(cache, "control-client-").size(), "but one of its own");
            ProcessBuilder hosts = new ProcessBuilder(cli("-c", "hosts"));
            hosts.environment().put("XDG_CACHE_HOME", cache.toString());
            ControlLab.Result r = ControlLab.run(hosts);
            assertEquals(0, r.code, r.out + r.err);
            List<Path> made = archives(cache, "control-cluster-");
            assertEquals(1, made.size(), "the first run that joined made it: " + made);
            long bytes = Files.size(made.get(0));
            assertTrue(bytes > 10 << 20, "it holds the cluster's classes: " + bytes + " bytes");
        } finally {
            try (Stream<Path> all = Files.walk(cache)) {
                all.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static List<Path> archives(Path cache, String prefix) throws java.io.IOException {
        Path dir = cache.resolve("fleetgen");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)
                    && f.getFileName().toString().endsWith(".jsa")).toList();
        }
    }

    @Test
    void badFieldIsRejectedWithItsMessageAndExitCodeOne() throws Exception {
        ControlLab.Result r = ControlLab.run(cli("-c", "stream s proto=udp dst=198.18.0.2 dport=70000; hosts"), null);
        assertEquals(1, r.code, r.out + r.err);
        assertTrue(r.err.contains("error: stream s proto=udp dst=198.18.0.2 dport=70000: dport: 70000 (expected: "
                + "0-65535)"), r.err);
        assertTrue(!r.out.contains("HOST"), "stops at the first failure: " + r.out);
        assertTrue(!r.err.contains("Exception"), "no stack trace: " + r.err);
    }

    @Test
    void scriptOnStandardInput() throws Exception {
        ControlLab.Result r = ControlLab.run(cli("--json"), "hosts\nstream s6 proto=icmp dst=2001:2::2\n"
                + "profile p6 standard stream=s6 count=100\npair x p6 h1 h2\nwait h2 x finished\n"
                + "wait h1 x finished\npoll h1 x\n");
        assertEquals(0, r.code, r.out + r.err);
        String[] lines = r.out.strip().split("\n");
        JsonArray hosts = new JsonArray(lines[0]);
        assertEquals(2, hosts.size());
        assertEquals("h1", hosts.getJsonObject(0).getString("id"));
        assertTrue(hosts.getJsonObject(0).getBoolean("alive"));
        JsonObject s = new JsonArray(lines[lines.length - 1]).getJsonObject(0);
        assertEquals(100, s.getJsonObject("counters").getLong("sent"));
        assertEquals(100, s.getJsonObject("counters").getLong("recv"), "echo replies " + s);
    }

    /**
     * Typed into a pseudo-terminal ({@code pty_session.py}): completion, errors, runs, {@code watch} (redrawn
     * every second until a key is pressed), help, quit.
     */
    @Test
    void interactiveSessionInATerminal() throws Exception {
        String[][] script = {
            {"expect", "fleetgen> "}, {"send", "hos\t"}, {"expect", "hosts"}, {"send", "\r"},
            {"expect", "198.19.0.2"},
            {"send", "stream s proto=udp dst=198.18.0.2 ttl=300\r"}, {"expect", "error: ttl: 300 (expected: 0-255)"},
            {"send", "stream s proto=udp dst=198.18.0.2\r"}, {"expect", "stream s: protocol=ip"},
            {"send", "profile p continuous stream=s pps=500\r"}, {"expect", "ContinuousProfile"},
            {"send", "pair t p h1 h2\r"}, {"expect", "sender   RUNNING"},
            {"send", "watch\r"}, {"expect", "TX PPS"}, {"expect", "(press any key to stop watching)"},
            {"expect", "h1   t                sender   RUNNING"}, {"expect", "(press any key to stop watching)"},
            {"send", "q"}, {"expect", "fleetgen> "},
            {"send", "stop h1 t\r"}, {"expect", "sender   STOPPED"},
            {"send", "help stream\r"}, {"expect", "UDPHeader : (sport 0-65535"},
            {"send", "quit\r"}};
        JsonArray steps = new JsonArray();
        for (String[] st : script) {
            steps.add(new JsonArray().add(st[0]).add(st[1]));
        }
        List<String> cmd = new ArrayList<>(List.of("python3",
                ControlLab.ROOT.resolve("control/src/test/resources/pty_session.py").toString(), steps.encode(), "--"));
        cmd.addAll(cli());
        ControlLab.Result r = ControlLab.run(cmd, null);
        assertEquals(0, r.code, r.out + r.err);
    }
}
