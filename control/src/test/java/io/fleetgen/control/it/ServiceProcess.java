package io.fleetgen.control.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@code fleetgen serve} process of the lab's control, started as an operator would, and an HTTP client of it. */
final class ServiceProcess implements AutoCloseable {
    final Process process;
    final StringBuilder output = new StringBuilder();
    final String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private ServiceProcess(Process p, String base) {
        this.process = p;
        this.base = base;
    }

    /** Starts {@code deploy/fleetgen serve} with the lab's cluster options and {@code extra}; waits until it serves. */
    static ServiceProcess start(int hosts, String base, String... extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(ControlLab.cli(hosts));
        cmd.add(1, "serve");
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ServiceProcess s = new ServiceProcess(p, base);
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Thread t = new Thread(() -> {
            try {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (s.output) {
                        s.output.append(line).append('\n');
                        s.output.notifyAll();
                    }
                }
            } catch (IOException e) {
                // The process ended.
            }
        }, "serve-output");
        t.setDaemon(true);
        t.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        synchronized (s.output) {
            while (s.output.indexOf("fleetgen serve: ") < 0 && p.isAlive() && System.nanoTime() < deadline) {
                s.output.wait(200);
            }
        }
        if (s.output.indexOf("fleetgen serve: ") < 0) {
            s.close();
            throw new IOException("fleetgen serve did not start:\n" + s.output());
        }
        return s;
    }

    String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(90));
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET of bytes (a pcap download). */
    HttpResponse<byte[]> bytes(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(90)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A request that must succeed; returns its body. */
    String ok(String method, String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> r = send(method, path, json);
        if (r.statusCode() != 200) {
            throw new AssertionError(method + " " + path + " " + json + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /** Ends the service as systemd would (SIGTERM), and waits for it. */
    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the service", e);
        }
    }
}
