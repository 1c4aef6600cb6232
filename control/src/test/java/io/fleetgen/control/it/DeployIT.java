package io.fleetgen.control.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.StreamSpec;
import io.fleetgen.control.Fleet;
import io.fleetgen.control.Pair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The installer as a user runs it, inside lab host h2, then the unit's ExecStart started by hand as the
 * {@code fleetgen} user with only the unit's capabilities (systemd does not run in the lab): the unprivileged
 * agent receives UDP and runs a TCP session (which needs its iptables rule) with exact counts.
 */
@EnabledIfSystemProperty(named = "fleetgen.lab", matches = "true")
class DeployIT {

    @Test
    void installedAgentWorksUnprivilegedWithTheUnitsCapabilities() throws Exception {
        ControlLab.sh(ControlLab.LAB, "up", "2");
        Process agent = null;
        Process service = null;
        Path unpacked = Files.createTempDirectory("fleetgen-dist");
        try {
            String tarball = ControlLab.sh(ControlLab.ROOT.resolve("deploy/dist.sh").toString()).strip();
            ControlLab.sh("tar", "-C", unpacked.toString(), "-xzf", tarball);
            Path dist = unpacked.resolve("fleetgen-0.1.0");
            String out = ControlLab.sh("ip", "netns", "exec", "fg-h2", dist.resolve("install.sh").toString(),
                    "--host-id", "h2", "--members", "198.19.0.1,198.19.0.2", "--bind", "198.19.0.2", "--credentials",
                    ControlLab.ROOT.resolve("deploy/.lab/creds/nodes/h2").toString(), "--bus-tls", "false",
                    "--service", ControlLab.CONTROL_CREDENTIALS.toString(), "--no-start");
            assertTrue(out.contains("install: done"), out);
            // A second run upgrades in place and keeps the configuration.
            ControlLab.sh("ip", "netns", "exec", "fg-h2", dist.resolve("install.sh").toString(), "--no-start");
            String conf = Files.readString(Path.of("/etc/fleetgen/agent.conf"));
            assertTrue(conf.contains("--host-id=h2") && conf.contains("--bind=198.19.0.2")
                    && conf.contains("--credentials=/etc/fleetgen/credentials"), conf);
            ControlLab.Result verify = ControlLab.run(List.of("systemd-analyze", "verify",
                    "/etc/systemd/system/fleetgen-agent.service"), null);
            assertEquals(0, verify.code, verify.out + verify.err);
            List<String> unit = Files.readAllLines(Path.of("/etc/systemd/system/fleetgen-agent.service"));
            assertEquals("512", value(unit, "TasksMax"), "resource ceilings (issue 11)");
            assertEquals("768M", value(unit, "MemoryMax"));
            assertEquals("4096", value(unit, "LimitNOFILE"));

            theServiceIsConfiguredAsTheAgentsCluster();

            agent = startAsTheUnitWould();
            ControlLab.sh(ControlLab.LAB, "agents", "start", "h1");
            service = startServiceAsTheUnitWould();
            try (Fleet fleet = Fleet.join(ControlLab.cluster(2))) {
                fleet.awaitHosts(2, 60);
                // ip netns exec, env, setpriv and the launcher all exec: the process is the JVM itself.
                assertEquals("fleetgen", ControlLab.sh("ps", "-o", "user=", "-p", Long.toString(agent.pid())).strip());
                String status = Files.readString(Path.of("/proc/" + agent.pid() + "/status"));
                assertTrue(status.contains("CapEff:\t0000000000003000"), "only NET_ADMIN and NET_RAW: " + status);
                standardPair(fleet, "udp", "198.18.0.2", 8000, 500, "h1", "h2");
                Pair t = standardPair(fleet, "tcp", "198.18.0.1", 9000, 300, "h2", "h1");
                assertEquals(300, t.sender().recv(), "segments acknowledged: the unprivileged TCP session worked");
            }
            theInstalledServiceServes(service);
        } finally {
            for (Process p : new Process[] {service, agent}) {
                if (p != null) {
                    p.destroy();
                    p.waitFor();
                }
            }
            ControlLab.run(List.of("ip", "netns", "exec", "fg-h2",
                    unpacked.resolve("fleetgen-0.1.0/uninstall.sh").toString()), null);
            ControlLab.sh(ControlLab.LAB, "down");
        }
        assertTrue(!Files.exists(Path.of("/opt/fleetgen")) && !Files.exists(Path.of("/etc/fleetgen")),
                "uninstall removes everything");
        assertEquals(1, ControlLab.run(List.of("id", "fleetgen"), null).code, "user removed");
    }

    /** install.sh --service: the agent's cluster options, the control credential, loopback; a valid unit. */
    private static void theServiceIsConfiguredAsTheAgentsCluster() throws Exception {
        String control = Files.readString(Path.of("/etc/fleetgen/control.conf"));
        assertTrue(control.contains("--members=198.19.0.1,198.19.0.2") && control.contains("--bind=198.19.0.2")
                && control.contains("--credentials=/etc/fleetgen/control-credentials")
                && !control.contains("--http-bind"), "the service: the agent's cluster, loopback: " + control);
        ControlLab.Result verifyControl = ControlLab.run(List.of("systemd-analyze", "verify",
                "/etc/systemd/system/fleetgen-control.service"), null);
        assertEquals(0, verifyControl.code, verifyControl.out + verifyControl.err);
    }

    /** The installed service, as its unit runs it (user fleetgen, no capabilities), on h2's loopback. */
    private static void theInstalledServiceServes(Process service) throws Exception {
        String hosts = "";
        for (int i = 0; i < 300 && !hosts.contains("\"h1\""); i++) {
            Thread.sleep(100);
            hosts = ControlLab.run(List.of("ip", "netns", "exec", "fg-h2", "curl", "-s",
                    "http://127.0.0.1:7480/api/hosts"), null).out;
        }
        assertTrue(hosts.contains("\"h1\"") && hosts.contains("\"h2\""), "the service sees the fleet: " + hosts);
        assertEquals("fleetgen", ControlLab.sh("ps", "-o", "user=", "-p", Long.toString(service.pid())).strip());
        assertTrue(Files.readString(Path.of("/proc/" + service.pid() + "/status")).contains(
                "CapEff:\t0000000000000000"), "the control service has no capabilities");
    }

    /** A Standard run of {@code count} packets from one host to the other, counted exactly on both ends. */
    private static Pair standardPair(Fleet fleet, String proto, String dst, int dport, long count, String from,
            String to) {
        ProfileSpec p = ProfileSpec.builder(ProfileType.STANDARD, StreamSpec.fromSeed(Map.of("proto", proto,
                "dst", dst, "dport", dport))).count(count).build();
        Pair pair = fleet.pair(proto, p, fleet.host(from), fleet.host(to));
        pair.sender().waitFinished(30);
        pair.receiver().waitFinished(30);
        assertEquals(count, pair.sender().sent(), proto + " sent");
        assertEquals(count, pair.receiver().recv(), proto + " received");
        return pair;
    }

    /** The unit's ExecStart, user, capabilities and environment, as systemd would apply them. */
    private static Process startAsTheUnitWould() throws Exception {
        List<String> unit = Files.readAllLines(Path.of("/etc/systemd/system/fleetgen-agent.service"));
        String exec = value(unit, "ExecStart");
        String caps = value(unit, "AmbientCapabilities").toLowerCase().replace("cap_", "+").replace(" ", ",");
        String env = value(unit, "Environment").replace("\"", "");
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", "fg-h2", "env", env, "setpriv",
                "--reuid=" + value(unit, "User"), "--regid=" + value(unit, "Group"), "--init-groups",
                "--inh-caps=" + caps, "--ambient-caps=" + caps, "--bounding-set=-all," + caps, "--no-new-privs"));
        cmd.addAll(List.of(exec.split(" ")));
        return new ProcessBuilder(cmd).directory(new java.io.File("/var/lib/fleetgen"))
                .redirectErrorStream(true).redirectOutput(new java.io.File("/tmp/fleetgen-deploy-it.log")).start();
    }

    /** The control service's unit, likewise: its user, no capabilities, each quoted Environment entry. */
    private static Process startServiceAsTheUnitWould() throws Exception {
        List<String> unit = Files.readAllLines(Path.of("/etc/systemd/system/fleetgen-control.service"));
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", "fg-h2", "env"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"([^\"]*)\"").matcher(value(unit,
                "Environment"));
        while (m.find()) {
            cmd.add(m.group(1));
        }
        cmd.addAll(List.of("setpriv", "--reuid=" + value(unit, "User"), "--regid=" + value(unit, "Group"),
                "--init-groups", "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all", "--no-new-privs"));
        cmd.addAll(List.of(value(unit, "ExecStart").split(" ")));
        return new ProcessBuilder(cmd).directory(new java.io.File("/var/lib/fleetgen")).redirectErrorStream(true)
                .redirectOutput(new java.io.File("/tmp/fleetgen-deploy-it-service.log")).start();
    }

    private static String value(List<String> unit, String key) {
        for (String line : unit) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1).strip();
            }
        }
        throw new AssertionError("unit has no " + key);
    }
}
