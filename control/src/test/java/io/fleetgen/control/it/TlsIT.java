package io.fleetgen.control.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.codec.StreamSpec;
import io.fleetgen.codec.cluster.ClusterOptions;
import io.fleetgen.control.Fleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A fleet with mutual TLS on the event bus: the legitimate control works; a control without a certificate and
 * one with a certificate from another CA cannot start a run (no packets leave); the legitimate control still
 * works afterwards.
 */
@EnabledIfSystemProperty(named = "fleetgen.lab", matches = "true")
class TlsIT {
    private static final ProfileSpec UDP = ProfileSpec.builder(ProfileType.CONTINUOUS,
            StreamSpec.fromSeed(Map.of("proto", "udp", "dst", "198.18.0.2", "dport", 8000))).pps(1000).build();

    private static ClusterOptions tls(Path dir, String name) {
        return ControlLab.cluster(2).setTlsKeyStore(dir.resolve(name + ".p12").toString())
                .setTlsTrustStore(dir.resolve("truststore.p12").toString())
                .setTlsPassword(read(dir.resolve("password")));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void onlyAControlWithACertificateFromTheFleetCaCanCommand() throws Exception {
        Path fleetCa = Files.createTempDirectory("fleetgen-tls");
        Path otherCa = Files.createTempDirectory("fleetgen-tls-other");
        String tlsScript = ControlLab.ROOT.resolve("deploy/tls.sh").toString();
        ControlLab.sh(tlsScript, fleetCa.toString(), "h1", "h2", "control");
        ControlLab.sh(tlsScript, otherCa.toString(), "control");
        ControlLab.sh(ControlLab.LAB, "up", "2");
        try {
            ControlLab.run(List.of("env", "FLEETGEN_LAB_TLS=" + fleetCa, ControlLab.LAB, "agents", "start"), null);
            assertTrue(Files.readString(ControlLab.ROOT.resolve("deploy/.lab/h1.log")).contains("(mutual TLS)"));
            try (Fleet fleet = Fleet.join(tls(fleetCa, "control"))) {
                fleet.awaitHosts(2, 30);
                fleet.receiver("guard", UDP, fleet.host("h2")).start();
                exactRun(fleet, "legit1");

                refused(ControlLab.cluster(2), "plain");
                refused(tls(otherCa, "control"), "other-ca");

                RunStatus guard = fleet.poll(fleet.host("h2"), "guard").get(0);
                exactRun(fleet, "legit2");
                assertTrue(fleet.list(fleet.host("h1")).stream().noneMatch(s -> s.name().startsWith("evil")),
                        "no run of the attackers exists on h1");
                RunStatus after = fleet.stop(fleet.host("h2"), "guard").get(0);
                RunStatus l2 = fleet.poll(fleet.host("h1"), "legit2").get(0);
                assertEquals(guard.counters().recv() + l2.counters().sent(), after.counters().recv(),
                        "h2 saw only the legitimate runs' packets");
            }
        } finally {
            ControlLab.sh(ControlLab.LAB, "down");
        }
    }

    private static void exactRun(Fleet fleet, String name) {
        Fleet.Pair p = fleet.pair(name, ProfileSpec.builder(ProfileType.STANDARD, UDP.stream()).count(200)
                .build(), fleet.host("h1"), fleet.host("h2"));
        p.sender().waitFinished(20);
        p.receiver().waitFinished(20);
        assertEquals(200, p.receiver().recv());
    }

    /** An attacker's control joins Hazelcast (membership is not protected) but cannot deliver a command. */
    private static void refused(ClusterOptions options, String who) {
        try (Fleet attacker = Fleet.join(options)) {
            boolean failed;
            try {
                attacker.sender("evil-" + who, UDP, attacker.host("h1")).startAsync().toCompletionStage()
                        .toCompletableFuture().get(8, TimeUnit.SECONDS);
                failed = false;
            } catch (Exception e) {
                failed = true;
            }
            assertTrue(failed, who + ": the start must not succeed");
        }
    }
}
