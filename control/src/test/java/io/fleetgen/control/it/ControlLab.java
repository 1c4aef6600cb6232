package io.fleetgen.control.it;

import io.fleetgen.codec.cluster.ClusterOptions;
import io.fleetgen.control.Fleet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The namespace lab with agents, and a {@link Fleet} joined from the root namespace. */
final class ControlLab implements AutoCloseable {
    static final Path ROOT = Path.of(System.getProperty("fleetgen.root", "..")).toAbsolutePath().normalize();
    static final String LAB = ROOT.resolve("deploy/lab.sh").toString();
    /** lab.sh's state directory: pid files, agents' logs, credentials. */
    static final Path STATE = ROOT.resolve("deploy/.lab");

    final int hosts;
    final Fleet fleet;

    private ControlLab(int hosts, Fleet fleet) {
        this.hosts = hosts;
        this.fleet = fleet;
    }

    static ControlLab up(int hosts) throws IOException, InterruptedException {
        sh(LAB, "up", Integer.toString(hosts));
        sh(LAB, "agents", "start");
        return join(hosts);
    }

    /** A control joined to the lab's {@code hosts} agents, already started, once every one has announced itself. */
    static ControlLab join(int hosts) {
        Fleet f = Fleet.join(cluster(hosts));
        f.awaitHosts(hosts, 30);
        return new ControlLab(hosts, f);
    }

    /** Waits until {@code done} holds, polling every 50 ms; fails with "{@code what} within N s" after that. */
    static void await(String what, long seconds, BooleanSupplier done) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() >= until) {
                throw new AssertionError(what + " within " + seconds + " s");
            }
            Thread.sleep(50);
        }
    }

    /** What runs while the management bridge has an attacker's address: may throw anything. */
    interface AsAddress {
        void run() throws Exception;
    }

    /**
     * Runs {@code body} while the management bridge also has {@code address}: an attacker's own (no member's), so
     * that what h1 grants per address is not shared with the control's 198.19.0.254.
     */
    static void asAddress(String address, AsAddress body) throws Exception {
        sh("ip", "addr", "add", address + "/24", "dev", "fg-mgmt");
        try {
            body.run();
        } finally {
            run(List.of("ip", "addr", "del", address + "/24", "dev", "fg-mgmt"), null);
        }
    }

    /** An agent's log in the lab's state directory (hI.log). */
    static String log(String host) {
        try {
            return Files.readString(STATE.resolve(host + ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lab's control credential, made by {@code lab.sh up}; the lab's agents run with bus TLS off. */
    static final Path CONTROL_CREDENTIALS = STATE.resolve("creds/nodes/control");

    static ClusterOptions cluster(int hosts) {
        List<String> members = new ArrayList<>();
        for (int i = 1; i <= hosts; i++) {
            members.add("198.19.0." + i);
        }
        return new ClusterOptions().setMembers(members).setBind("198.19.0.254")
                .setCredentials(CONTROL_CREDENTIALS.toString()).setBusTls(false);
    }

    /** The REPL's command line in the lab, then {@code args}. */
    static List<String> cli(int hosts, String... args) {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("deploy/fleetgen").toString(), "--members",
                members(hosts), "--bind", "198.19.0.254", "--credentials", CONTROL_CREDENTIALS.toString(),
                "--bus-tls", "false"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static String members(int hosts) {
        return String.join(",", cluster(hosts).getMembers());
    }

    /** Runs a command; returns its exit code and output (stdout, then stderr). */
    static Result run(List<String> cmd, String stdin) throws IOException, InterruptedException {
        return run(new ProcessBuilder(cmd), stdin);
    }

    /** Runs a prepared process (its working directory, say) with no input. */
    static Result run(ProcessBuilder pb) throws IOException, InterruptedException {
        return run(pb, null);
    }

    private static Result run(ProcessBuilder pb, String stdin) throws IOException, InterruptedException {
        List<String> cmd = pb.command();
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + ": timed out");
        }
        return new Result(p.exitValue(), out, err);
    }

    static String sh(String... cmd) throws IOException, InterruptedException {
        Result r = run(List.of(cmd), null);
        if (r.code != 0) {
            throw new IOException(String.join(" ", cmd) + " failed:\n" + r.out + r.err);
        }
        return r.out;
    }

    /** The agent's pid as the lab recorded it. */
    static long agentPid(String host) throws IOException {
        return Long.parseLong(Files.readString(STATE.resolve(host + ".pid")).trim());
    }

    @Override
    public void close() throws IOException {
        try {
            fleet.close();
        } finally {
            try {
                sh(LAB, "down");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while tearing the lab down", e);
            }
        }
    }

    /** A finished process. */
    static final class Result {
        final int code;
        final String out;
        final String err;

        Result(int code, String out, String err) {
            this.code = code;
            this.out = out;
            this.err = err;
        }
    }
}
