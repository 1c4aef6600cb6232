package io.fleetgen.control.repl;

import io.fleetgen.codec.ValidationException;
import io.fleetgen.codec.cluster.ClusterCli;
import io.fleetgen.codec.cluster.ClusterOptions;
import io.fleetgen.control.Fleet;
import io.fleetgen.control.FleetException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.NonBlockingReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The control's command line: an interactive REPL (JLine: history, completion, {@code watch}), or
 * non-interactive with {@code -c "cmd; cmd"} or a script on standard input, with {@code --json} output. In
 * non-interactive mode the first failing command ends the run with exit code 1.
 */
@Command(name = "fleetgen", mixinStandardHelpOptions = true, version = "0.1.0",
        description = "Fleetgen control: define streams and profiles, start, poll and stop runs on agents.")
public final class ControlMain implements Callable<Integer> {
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    @Mixin
    private ClusterCli clusterCli;

    @Option(names = "-c", description = "Commands to run, separated by ';'; then exit.")
    private String commands;

    @Option(names = "--json", description = "Machine-readable output: one JSON document per command.")
    private boolean json;

    @Option(names = "--hosts", defaultValue = "0", description = "Wait until this many agents have announced.")
    private int waitHosts;

    @Option(names = "--file", description = "Script file to run (one command per line or ';'-separated).")
    private Path file;

    @Option(names = "--service", description = "Run one-shot commands (-c, --file, standard input) on this "
            + "fleetgen serve (http://HOST:PORT or https://...); without it, a service on " + ServiceClient.LOCAL
            + " is used when one listens, else the control joins the cluster.")
    private String service;

    @Option(names = "--no-service", description = "Join the cluster even when a local service runs.")
    private boolean noService;

    @Option(names = "--token-file", description = "The service's token (see fleetgen serve --token-file).")
    private Path tokenFile;

    @Option(names = "--service-ca", description = "The fleet CA (PEM) an HTTPS service's certificate must chain "
            + "to (default: fleet-ca.crt in --credentials).")
    private Path serviceCa;

    @Option(names = "--verbose", description = "Also print what Hazelcast and Vert.x log (warnings, joins).")
    private boolean verbose;

    @Override
    public Integer call() throws IOException {
        quietLogs(verbose);
        String script = commands;
        if (script == null && file != null) {
            script = Files.readString(file, StandardCharsets.UTF_8);
        } else if (script == null && System.console() == null) {
            script = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (script != null && offlineOnly(script)) {
            return batch(new Repl(null, json), script, System.out, System.err, json);
        }
        if (script != null && (service != null || !noService && ServiceClient.localListening())) {
            return viaService(script);
        }
        ClusterOptions cluster;
        try {
            cluster = clusterCli.options();
        } catch (ValidationException e) {
            return fail(json, "", "INVALID", e.getMessage(), 2);
        }
        try (Fleet fleet = Fleet.join(cluster)) {
            if (waitHosts > 0) {
                fleet.awaitHosts(waitHosts, 30);
            }
            Repl repl = new Repl(fleet, json);
            return script != null ? batch(repl, script, System.out, System.err, json) : interactive(repl);
        } catch (FleetException e) {
            return fail(json, "", e.code().name(), e.getMessage(), 1);
        } catch (ValidationException e) {
            // A credential that cannot be used: wrong password, another CA, another role.
            return fail(json, "", "INVALID", e.getMessage(), 2);
        }
    }

    /** Runs a one-shot script on a running service instead of joining the cluster. */
    private int viaService(String script) {
        String url = service != null ? service : ServiceClient.LOCAL;
        Path ca = serviceCa;
        if (ca == null && clusterCli.credentials() != null) {
            ca = Path.of(clusterCli.credentials(), io.fleetgen.codec.cluster.ClusterOptions.CA_FILE);
        }
        try {
            return ServiceClient.of(url, tokenFile, ca).run(script, json);
        } catch (IOException | java.security.GeneralSecurityException e) {
            return fail(json, "", "UNREACHABLE", "service " + url + ": " + e.getMessage(), 1);
        }
    }

    /** Hazelcast's and Vert.x's own messages only with --verbose. */
    private static void quietLogs(boolean verbose) {
        Level level = verbose ? Level.WARNING : Level.OFF;
        HAZELCAST_LOG.setLevel(level);
        Logger.getLogger("io.vertx").setLevel(level);
        Logger.getLogger("io.netty").setLevel(level);
    }

    /** Whether a script needs no cluster (help, stream and profile definitions). */
    static boolean offlineOnly(String script) {
        for (String cmd : Words.commands(script)) {
            String first = cmd.split("\\s+", 2)[0].toLowerCase(java.util.Locale.ROOT);
            ReplCommand c = ReplCommand.of(first);
            if (!cmd.startsWith("#") && !cmd.isBlank() && !first.equals("exit") && (c == null || c.needsCluster())) {
                return false;
            }
        }
        return true;
    }

    /** Prints an error (one JSON document with --json, else a line on standard error) and returns the code. */
    private static int fail(boolean json, String cmd, String code, String message, int exit) {
        if (json) {
            System.out.println(errorJson(cmd, code, message));
        } else {
            System.err.println("fleetgen: " + message);
        }
        return exit;
    }

    static String errorJson(String cmd, String code, String message) {
        return Script.errorJson(cmd, code, message);
    }

    /** Runs the commands in order; stops at the first failure. */
    static int batch(Repl repl, String script, PrintStream out, PrintStream err, boolean json) {
        return Script.run(repl, script, out, err);
    }

    private static int interactive(Repl repl) throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("fleetgen")
                    .completer(new ReplCompleter(repl))
                    .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".fleetgen_history"))
                    .build();
            terminal.writer().println("Fleetgen control. 'help' lists the commands, Tab completes, 'quit' leaves.");
            for (;;) {
                String line;
                try {
                    line = reader.readLine("fleetgen> ");
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    return 0;
                }
                String cmd = line.trim();
                if (cmd.equals("quit") || cmd.equals("exit")) {
                    return 0;
                }
                try {
                    String out = cmd.startsWith("watch") ? watch(repl, terminal) : repl.execute(cmd);
                    if (!out.isEmpty()) {
                        terminal.writer().println(out);
                    }
                } catch (ReplException e) {
                    terminal.writer().println("error: " + e.getMessage());
                }
                terminal.flush();
            }
        }
    }

    /** Redraws the aggregated counters and rates every second until a key is pressed. */
    private static String watch(Repl repl, Terminal terminal) throws IOException {
        Attributes saved = terminal.enterRawMode();
        try {
            NonBlockingReader in = terminal.reader();
            for (;;) {
                terminal.writer().print("\033[H\033[2J");
                terminal.writer().println(repl.runs().replace("\n", "\r\n"));
                terminal.writer().print("\r\n(press any key to stop watching)\r\n");
                terminal.flush();
                if (in.read(1000) != NonBlockingReader.READ_EXPIRED) {
                    return "";
                }
            }
        } finally {
            terminal.setAttributes(saved);
        }
    }
}
