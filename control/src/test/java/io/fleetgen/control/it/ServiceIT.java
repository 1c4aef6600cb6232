package io.fleetgen.control.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 13: {@code fleetgen serve} runs a test through its HTTP API alone with exact counts; its errors are the
 * REPL's codes and messages; {@code /metrics}, read by Prometheus's own text-format parser, equals the run's final
 * counters; a one-shot REPL command goes through the running service; a service on the network refuses to start
 * without TLS and a token, and with them refuses a remote request that lacks the token.
 */
@EnabledIfSystemProperty(named = "fleetgen.lab", matches = "true")
class ServiceIT {
    private static final String LOCAL = "http://127.0.0.1:7480";

    @Test
    void aRunDrivenThroughTheApiCountsExactlyAndTheMetricsAgree() throws Exception {
        try (ControlLab lab = ControlLab.up(2); ServiceProcess svc = ServiceProcess.start(2, LOCAL)) {
            svc.ok("PUT", "/api/streams/s", "{\"proto\":\"udp\",\"dst\":\"198.18.0.2\",\"dport\":\"8700\"}");
            svc.ok("PUT", "/api/profiles/p", "{\"type\":\"standard\",\"stream\":\"s\",\"count\":2500,\"pps\":10000,"
                    + "\"pcap\":100}");
            JsonArray started = new JsonArray(svc.ok("POST", "/api/pairs",
                    "{\"run\":\"api1\",\"profile\":\"p\",\"from\":\"h1\",\"to\":\"h2\"}"));
            assertEquals("h1", started.getJsonObject(0).getString("host"));
            svc.ok("POST", "/api/hosts/h1/runs/api1/wait", "{\"until\":\"finished\",\"timeout\":30}");
            svc.ok("POST", "/api/hosts/h2/runs/api1/wait", "{\"until\":\"recv>=2500\",\"timeout\":30}");
            JsonObject sender = new JsonArray(svc.ok("GET", "/api/hosts/h1/runs/api1", null)).getJsonObject(0);
            JsonObject receiver = new JsonArray(svc.ok("DELETE", "/api/hosts/h2/runs/api1", null)).getJsonObject(0);
            assertEquals(2500, sender.getJsonObject("counters").getLong("sent"));
            assertEquals(2500, receiver.getJsonObject("counters").getLong("recv"), receiver.encode());
            assertEquals(0, receiver.getJsonObject("counters").getLong("duplicates"));
            assertEquals(2500, lab.fleet.poll(lab.fleet.host("h2"), "api1").get(0).counters().recv(),
                    "the agent, asked by another control, has the same count");

            errorsAreTheRepls(svc);

            metricsEqualFinalCounters(svc, sender, receiver);

            // The receiver's recording, downloaded: a nanosecond pcap of its first 100 frames.
            HttpResponse<byte[]> pcap = svc.bytes("/api/hosts/h2/runs/api1/pcap");
            assertEquals(200, pcap.statusCode());
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(pcap.body()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            assertEquals(0xa1b23c4d, b.getInt(0), "nanosecond pcap magic");
            int frames = 0;
            for (int at = 24; at < b.limit(); at += 16 + b.getInt(at + 8)) {
                frames++;
            }
            assertEquals(100, frames);

            // The one-shot REPL uses the local service: no cluster options, the service's answer.
            ControlLab.Result r = ControlLab.run(List.of(ControlLab.ROOT.resolve("deploy/fleetgen").toString(),
                    "--json", "-c", "poll h2 api1"), null);
            assertEquals(0, r.code, r.out + r.err);
            assertEquals(2500, new JsonArray(r.out.trim()).getJsonObject(0).getJsonObject("counters").getLong("recv"));
            ControlLab.Result err = ControlLab.run(List.of(ControlLab.ROOT.resolve("deploy/fleetgen").toString(),
                    "-c", "sender c p h9"), null);
            assertEquals(1, err.code);
            assertTrue(err.err.contains("error: sender c p h9: unknown host h9 (known: h1, h2)"), err.err);

            streamMetricsEqualTheStreamsCounters(svc);
        }
    }

    /** A run of two streams, through the service: each stream's counters on {@code /metrics}, to the packet. */
    private static void streamMetricsEqualTheStreamsCounters(ServiceProcess svc) throws Exception {
        ControlLab.Result r = ControlLab.run(List.of(ControlLab.ROOT.resolve("deploy/fleetgen").toString(),
                "--json", "-c", "stream a proto=udp dst=198.18.0.2 dport=9600; stream b proto=udp dst=198.18.0.2 "
                + "dport=9601; profile ab standard stream=a,b count=200 pps=2000,1000; pair ms ab h1 h2; "
                + "wait h1 ms finished; wait h2 ms recv>=400; poll h2 ms"), null);
        assertEquals(0, r.code, r.out + r.err);
        String[] lines = r.out.strip().split("\n");
        JsonArray streams = new JsonArray(lines[lines.length - 1]).getJsonObject(0).getJsonArray("streams");
        assertEquals(2, streams.size(), r.out);
        String key = "fleetgen_run_stream_recv_packets_total{host=h2,role=receiver,run=ms,stream=%d}";
        Map<String, Double> m = Map.of();
        for (int i = 0; i < 50; i++) {
            m = parse(svc.ok("GET", "/metrics", null));
            if (m.getOrDefault(String.format(key, 1), -1.0) == 200.0) {
                break;
            }
            Thread.sleep(100);
        }
        for (int i = 0; i < 2; i++) {
            assertEquals(200, streams.getJsonObject(i).getLong("recv"), streams.encode());
            assertEquals(200.0, m.get(String.format(key, i)), "stream " + i);
            assertEquals(200.0, m.get(String.format("fleetgen_run_stream_sent_packets_total{host=h1,role=sender,"
                    + "run=ms,stream=%d}", i)), "stream " + i);
        }
    }

    /** Errors: the REPL's codes and messages, the command they stand for, an HTTP status to match. */
    private static void errorsAreTheRepls(ServiceProcess svc) throws Exception {
        HttpResponse<String> bad = svc.send("PUT", "/api/streams/bad",
                "{\"proto\":\"udp\",\"dst\":\"198.18.0.2\",\"dport\":\"70000\"}");
        assertEquals(422, bad.statusCode());
        JsonObject e = new JsonObject(bad.body()).getJsonObject("error");
        assertEquals("INVALID", e.getString("code"));
        assertEquals("dport: 70000 (expected: 0-65535)", e.getString("message"));
        HttpResponse<String> unknown = svc.send("POST", "/api/runs",
                "{\"role\":\"sender\",\"run\":\"x\",\"profile\":\"p\",\"host\":\"h9\"}");
        assertEquals(404, unknown.statusCode());
        assertEquals("UNKNOWN_HOST", new JsonObject(unknown.body()).getJsonObject("error").getString("code"));
        assertEquals("sender x p h9", new JsonObject(unknown.body()).getJsonObject("error").getString("command"));
        assertEquals(400, svc.send("POST", "/api/runs", "[1,2]").statusCode());

        // A page elsewhere in the operator's browser cannot command the fleet, nor can a rebound DNS name.
        assertEquals(403, curl("-X", "POST", "-H", "Origin: http://evil.example", "-H",
                "Content-Type: application/json", "-d", "{}", LOCAL + "/api/pairs"));
        assertEquals(403, curl("-H", "Host: evil.example:7480", LOCAL + "/api/hosts"));
    }

    /** {@code /metrics} through prometheus_client's parser: the run's counters are the final ones, to the packet. */
    private static void metricsEqualFinalCounters(ServiceProcess svc, JsonObject sender, JsonObject receiver)
            throws Exception {
        Map<String, Double> m = Map.of();
        for (int i = 0; i < 50; i++) {   // the final counter events reach the service within ~1 s of the stop
            m = parse(svc.ok("GET", "/metrics", null));
            if (m.getOrDefault("fleetgen_run_recv_packets_total{host=h2,role=receiver,run=api1}", -1.0)
                    == receiver.getJsonObject("counters").getLong("recv").doubleValue()) {
                break;
            }
            Thread.sleep(100);
        }
        JsonObject sc = sender.getJsonObject("counters");
        JsonObject rc = receiver.getJsonObject("counters");
        assertEquals((double) sc.getLong("sent"), m.get("fleetgen_run_sent_packets_total{host=h1,role=sender,"
                + "run=api1}"));
        assertEquals((double) sc.getLong("sentBytes"), m.get("fleetgen_run_sent_bytes_total{host=h1,role=sender,"
                + "run=api1}"));
        assertEquals((double) rc.getLong("recv"), m.get("fleetgen_run_recv_packets_total{host=h2,role=receiver,"
                + "run=api1}"));
        assertEquals((double) rc.getLong("recvBytes"), m.get("fleetgen_run_recv_bytes_total{host=h2,role=receiver,"
                + "run=api1}"));
        assertEquals((double) rc.getJsonObject("latency").getLong("p99Nanos") / 1e9,
                m.get("fleetgen_run_latency_seconds{host=h2,quantile=0.99,role=receiver,run=api1}"), 1e-9);
        assertEquals(2.0, m.get("fleetgen_agents_alive"));
        assertTrue(m.get("fleetgen_commands_total{command=pair,result=OK}") >= 1);
        assertTrue(m.get("fleetgen_commands_total{command=stream,result=INVALID}") >= 1);
        assertTrue(m.keySet().stream().anyMatch(k -> k.startsWith("vertx_eventbus_")), "Vert.x event bus metrics");
        assertTrue(m.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_used_bytes")), "JVM metrics");
    }

    /** Samples as {@code name{label=value,...}} (labels sorted) to value, parsed by prometheus_client. */
    static Map<String, Double> parse(String text) throws Exception {
        Path in = Files.createTempFile("metrics", ".txt");
        Files.writeString(in, text);
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3",
                Path.of(ServiceIT.class.getResource("/promparse.py").toURI()).toString()).redirectInput(in.toFile());
        ControlLab.Result r = ControlLab.run(pb);
        Files.delete(in);
        assertEquals(0, r.code, "prometheus_client could not parse /metrics: " + r.err);
        Map<String, Double> out = new HashMap<>();
        for (String line : r.out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonObject s = new JsonObject(line);
            StringBuilder k = new StringBuilder(s.getString("name"));
            JsonObject labels = s.getJsonObject("labels");
            if (!labels.isEmpty()) {
                k.append('{');
                labels.fieldNames().stream().sorted().forEach(l -> k.append(l).append('=')
                        .append(labels.getString(l)).append(','));
                k.setCharAt(k.length() - 1, '}');
            }
            out.put(k.toString(), s.getDouble("value"));
        }
        return out;
    }

    @Test
    void aServiceOnTheNetworkNeedsTlsAndATokenAndRefusesRemoteRequestsWithoutIt() throws Exception {
        Path dir = Files.createTempDirectory("fleetgen-token");
        Path token = dir.resolve("service.token");
        String creds = ControlLab.CONTROL_CREDENTIALS.toString();
        try (ControlLab lab = ControlLab.up(2)) {
            // No TLS on a network address: refused before anything listens, naming the option.
            List<String> plain = ControlLab.cli(lab.hosts, "--http-bind", "198.19.0.254", "--http-port", "7481");
            plain.add(1, "serve");
            ControlLab.Result r = ControlLab.run(plain, null);
            assertEquals(2, r.code, r.out + r.err);
            assertTrue(r.err.contains("--http-bind: 198.19.0.254 (expected: a loopback address, or --http-tls and "
                    + "--token-file"), r.err);

            try (ServiceProcess svc = ServiceProcess.start(2, "https://198.19.0.254:7481", "--http-bind",
                    "198.19.0.254", "--http-port", "7481", "--http-tls", "--token-file", token.toString())) {
                assertTrue(svc.output().contains("dashboard https://198.19.0.254:7481/"), svc.output());
                String t = Files.readString(token, StandardCharsets.UTF_8).trim();
                assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(token)));
                String ca = ControlLab.CONTROL_CREDENTIALS.resolve("fleet-ca.crt").toString();
                // From h1's namespace over the management network: the service's certificate is the fleet's
                // control credential (checked by name, "control"); no token, a wrong one: 401.
                List<String> remote = List.of("ip", "netns", "exec", "fg-h1", "curl", "-s", "-o", "/dev/null", "-w",
                        "%{http_code}", "--cacert", ca, "--resolve", "control:7481:198.19.0.254",
                        "https://control:7481/api/hosts");
                assertEquals("401", ControlLab.sh(remote.toArray(new String[0])));
                List<String> wrong = new java.util.ArrayList<>(remote);
                wrong.addAll(5, List.of("-H", "Authorization: Bearer 0123456789abcdef0123456789abcdef"));
                assertEquals("401", ControlLab.sh(wrong.toArray(new String[0])));
                List<String> right = new java.util.ArrayList<>(remote);
                right.addAll(5, List.of("-H", "Authorization: Bearer " + t));
                assertEquals("200", ControlLab.sh(right.toArray(new String[0])));
                assertEquals("401", ControlLab.sh("ip", "netns", "exec", "fg-h1", "curl", "-s", "-o", "/dev/null",
                        "-w", "%{http_code}", "--cacert", ca, "--resolve", "control:7481:198.19.0.254",
                        "https://control:7481/metrics"));
                // Clear text to the TLS port gets no answer at all.
                assertFalse(ControlLab.run(List.of("ip", "netns", "exec", "fg-h1", "curl", "-s", "-f",
                        "http://198.19.0.254:7481/api/hosts"), null).code == 0);

                // The REPL through it: HTTPS trusted by the fleet CA, the token from the file.
                ControlLab.Result viaService = ControlLab.run(List.of(ControlLab.ROOT.resolve("deploy/fleetgen")
                        .toString(), "--service", "https://198.19.0.254:7481", "--token-file", token.toString(),
                        "--credentials", creds, "-c", "hosts"), null);
                assertEquals(0, viaService.code, viaService.out + viaService.err);
                assertTrue(viaService.out.contains("h2"), viaService.out);
                ControlLab.Result noToken = ControlLab.run(List.of(ControlLab.ROOT.resolve("deploy/fleetgen")
                        .toString(), "--service", "https://198.19.0.254:7481", "--credentials", creds, "--json", "-c",
                        "hosts"), null);
                assertEquals(1, noToken.code);
                assertTrue(noToken.out.contains("UNAUTHENTICATED"), noToken.out);
            }
        } finally {
            Files.deleteIfExists(token);
            Files.deleteIfExists(dir);
        }
    }

    /** The HTTP status curl got. */
    private static int curl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}"));
        cmd.addAll(List.of(args));
        return Integer.parseInt(ControlLab.sh(cmd.toArray(new String[0])).trim());
    }
}
