package io.fleetgen.agent.impl.net;

import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs iproute2's {@code ip -j ...} and returns its JSON. Blocking: call it off the event loop. */
final class IpCommand {
    private static final long TIMEOUT_SECONDS = 5;

    private IpCommand() {
    }

    static JsonArray json(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.add("-j");
        cmd.addAll(List.of(args));
        String out = run(cmd);
        return out.isBlank() ? new JsonArray() : new JsonArray(out);
    }

    static String run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        try (InputStream in = p.getInputStream(); InputStream err = p.getErrorStream()) {
            String out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String errText = new String(err.readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": timed out");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + ": " + (errText.isEmpty() ? "exit " + p.exitValue()
                        : errText));
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
