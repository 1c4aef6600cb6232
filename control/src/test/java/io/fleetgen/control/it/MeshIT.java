package io.fleetgen.control.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.StreamSpec;
import io.fleetgen.control.Mesh;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The fleet mesh over 3 agents: every pair exact; then the path h1 -> h3 broken on the lab bridge (an nftables
 * drop at the ingress of h1's bridge port, before the bridge, so h3 never sees those frames) shows as that one
 * cell lost; the REPL prints the matrix as JSON.
 */
@EnabledIfSystemProperty(named = "fleetgen.lab", matches = "true")
class MeshIT {
    private static final List<String> HOSTS = List.of("h1", "h2", "h3");

    @Test
    void everyPairCountedAndABrokenPathShowsAsItsCell() throws Exception {
        try (ControlLab lab = ControlLab.up(3)) {
            ProfileSpec p = ProfileSpec.builder(ProfileType.STANDARD, StreamSpec.fromSeed(Map.of("proto", "udp",
                    "dst", "198.18.0.0", "dport", 8500))).count(200).build();
            long t0 = System.nanoTime();
            Mesh ok = lab.fleet.mesh("m1", p, List.of(), 60);
            long wallMillis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(HOSTS, ok.hosts());
            assertEquals(6, ok.cells().size());
            assertTrue(ok.complete(), ok.toString());
            for (Mesh.Cell c : ok.cells()) {
                assertEquals(200, c.sent(), c.toString());
                assertEquals(200, c.recv(), c.toString());
                assertEquals(200, c.receiver().counters().latencySamples(), c.toString());
            }
            assertTrue(ok.toString().contains("200/200 0.0%"), ok.toString());
            // Where the time went: every phase timed, each within the call, and the run at least until the senders'
            // last packets were counted (the receivers' phase ends when each saw its run end or after a second).
            Mesh.Timing t = ok.timing();
            assertTrue(t.receiversMillis() > 0 && t.sendersMillis() > 0 && t.runMillis() >= 0
                    && t.lastCountsMillis() >= 0 && t.lastCountsMillis() <= 1500 && t.stopMillis() >= 0, t.toString());
            assertTrue(t.totalMillis() <= wallMillis, t + " within the call's " + wallMillis + " ms");
            assertTrue(ok.toString().endsWith(t.toString()), ok.toString());

            ControlLab.sh("nft", "add", "table", "netdev", "fgmeshit");
            try {
                ControlLab.sh("nft", "add", "chain", "netdev", "fgmeshit", "in",
                        "{ type filter hook ingress device fg-d1 priority 0; }");
                ControlLab.sh("nft", "add", "rule", "netdev", "fgmeshit", "in", "ip", "daddr", "198.18.0.3", "drop");
                Mesh broken = lab.fleet.mesh("m2", p, List.of(), 60);
                for (Mesh.Cell c : broken.cells()) {
                    boolean cut = c.from().equals("h1") && c.to().equals("h3");
                    assertEquals(200, c.sent(), c.toString());
                    assertEquals(cut ? 0 : 200, c.recv(), broken.toString());
                    assertEquals(cut ? 100.0 : 0.0, c.lossPercent(), 1e-9, broken.toString());
                }
            } finally {
                ControlLab.sh("nft", "delete", "table", "netdev", "fgmeshit");
            }

            ControlLab.Result r = ControlLab.run(ControlLab.cli(3, "--json", "-c",
                    "stream s proto=icmp dst=198.18.0.0; profile p standard stream=s count=50; mesh m3 p h2 h3"),
                    null);
            assertEquals(0, r.code, r.out + r.err);
            String[] lines = r.out.strip().split("\n");
            JsonObject m = new JsonObject(lines[lines.length - 1]);
            assertEquals(new JsonArray(List.of("h2", "h3")), m.getJsonArray("hosts"));
            JsonObject timing = m.getJsonObject("timing");
            assertEquals(timing.getLong("totalMillis"), timing.getLong("receiversMillis")
                    + timing.getLong("sendersMillis") + timing.getLong("runMillis") + timing.getLong("lastCountsMillis")
                    + timing.getLong("stopMillis"), m.encode());
            JsonArray cells = m.getJsonArray("cells");
            assertEquals(2, cells.size(), m.encode());
            for (int i = 0; i < cells.size(); i++) {
                assertEquals(50, cells.getJsonObject(i).getLong("sent"), m.encode());
                assertEquals(50, cells.getJsonObject(i).getLong("recv"), m.encode());
            }
        }
    }
}
