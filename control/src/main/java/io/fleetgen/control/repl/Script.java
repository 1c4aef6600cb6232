package io.fleetgen.control.repl;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;

/** A script of REPL commands (one per line or {@code ;}-separated), run in order until the first failure. */
public final class Script {
    private Script() {
    }

    /**
     * Runs a script's commands in order, printing each output to {@code out} (errors: one JSON document on
     * {@code out} with --json, else a line on {@code err}); stops at the first failure. Returns the exit code:
     * 0, or 1 after a failure.
     */
    public static int run(Repl repl, String script, PrintStream out, PrintStream err) {
        for (String cmd : Words.commands(script)) {
            if (cmd.startsWith("#")) {
                continue;
            }
            if (cmd.equals("quit") || cmd.equals("exit")) {
                return 0;
            }
            try {
                if (cmd.startsWith("watch")) {
                    throw new ReplException("USAGE", "watch: needs an interactive terminal (from a script: runs, or "
                            + "runs with --json, polled)");
                }
                String o = repl.execute(cmd);
                if (!o.isEmpty()) {
                    out.println(o);
                }
            } catch (ReplException e) {
                if (repl.json()) {
                    out.println(errorJson(cmd, e.code(), e.getMessage()));
                } else {
                    err.println("error: " + cmd + ": " + e.getMessage());
                }
                return 1;
            }
        }
        return 0;
    }

    /** An error as one JSON document: {@code {"error": {"command", "code", "message"}}}. */
    public static String errorJson(String cmd, String code, String message) {
        return new JsonObject().put("error", new JsonObject().put("command", cmd).put("code", code)
                .put("message", message)).encode();
    }
}
