package io.fleetgen.agent.impl.net;

import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * Runs a command with its output in temporary files, so that the timeout holds even when the command never
     * closes its output (reading a pipe to its end first would wait for ever).
     */
    static String run(List<String> cmd) throws IOException {
        Path out = Files.createTempFile("fleetgen-cmd", ".out");
        Path err = Files.createTempFile("fleetgen-cmd", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": timed out after " + TIMEOUT_SECONDS + " s");
            }
            String errText = Files.readString(err, StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + ": " + (errText.isEmpty() ? "exit " + p.exitValue()
                        : errText));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
