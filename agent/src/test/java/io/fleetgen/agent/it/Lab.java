package io.fleetgen.agent.it;

import io.fleetgen.codec.Addresses;
import io.fleetgen.codec.Command;
import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.CounterEvent;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.Reply;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.codec.cluster.ClusterOptions;
import io.fleetgen.codec.cluster.FleetgenCluster;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The namespace lab with one agent JVM per host, and a test client: a clustered Vert.x lite member in the root
 * namespace using the codec. Real namespaces, real pcap, a real Hazelcast cluster; nothing mocked.
 */
final class Lab implements AutoCloseable {
    static final Path ROOT = Path.of(System.getProperty("fleetgen.root", "..")).toAbsolutePath().normalize();
    private static final long TIMEOUT_S = 20;

    final Vertx client;
    final List<CounterEvent> events = new CopyOnWriteArrayList<>();
    final Map<String, RunStatus> finals = new ConcurrentHashMap<>();

    private Lab(Vertx client) {
        this.client = client;
        client.eventBus().<CounterEvent>consumer(Addresses.COUNTERS, m -> {
            events.add(m.body());
            if (m.body().last()) {
                finals.put(m.body().status().host() + "/" + m.body().status().name(), m.body().status());
            }
        });
    }

    /** A call that may throw, for assertThrows. */
    interface Call {
        void run() throws Exception;
    }

    static Lab up(int hosts) throws Exception {
        sh(ROOT.resolve("deploy/lab.sh").toString(), "up", Integer.toString(hosts));
        sh(ROOT.resolve("deploy/lab.sh").toString(), "agents", "start");
        StringBuilder members = new StringBuilder();
        for (int i = 1; i <= hosts; i++) {
            members.append(i == 1 ? "" : ",").append("198.19.0.").append(i);
        }
        ClusterOptions co = new ClusterOptions().setMembers(List.of(members.toString().split(",")))
                .setBind("198.19.0.254").setLiteMember(true);
        Vertx v = FleetgenCluster.start(co, new VertxOptions()).await(60, TimeUnit.SECONDS);
        return new Lab(v);
    }

    static String sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed:\n" + out);
        }
        return out;
    }

    /** Runs a command in a lab host's namespace. */
    static String inHost(int host, String... cmd) throws IOException, InterruptedException {
        String[] full = new String[cmd.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = "fg-h" + host;
        System.arraycopy(cmd, 0, full, 4, cmd.length);
        return sh(full);
    }

    Reply request(String host, Command cmd) throws Exception {
        return client.eventBus().<Reply>request(Addresses.agent(host), cmd,
                new DeliveryOptions().setSendTimeout(TIMEOUT_S * 1000)).map(m -> m.body())
                .await(TIMEOUT_S + 1, TimeUnit.SECONDS);
    }

    RunStatus start(String host, CommandOp op, String name, ProfileSpec p) throws Exception {
        return request(host, Command.of(op, name, p)).runs().get(0);
    }

    RunStatus poll(String host, String name) throws Exception {
        return request(host, Command.of(CommandOp.POLL, name, null)).runs().get(0);
    }

    RunStatus stop(String host, String name) throws Exception {
        return request(host, Command.of(CommandOp.STOP, name, null)).runs().get(0);
    }

    /** Polls until the run's status satisfies {@code done}, with a deadline. */
    RunStatus pollUntil(String host, String name, Predicate<RunStatus> done, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        RunStatus s = poll(host, name);
        while (!done.test(s)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("run " + host + "/" + name + " not done in " + seconds + " s: " + s);
            }
            Thread.sleep(50);
            s = poll(host, name);
        }
        return s;
    }

    @Override
    public void close() throws IOException {
        try {
            client.close().await(20, TimeUnit.SECONDS);
            sh(ROOT.resolve("deploy/lab.sh").toString(), "down");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while tearing the lab down", e);
        } catch (java.util.concurrent.TimeoutException e) {
            sh0("down");
            throw new IOException("client did not leave the cluster in 20 s", e);
        }
    }

    private static void sh0(String arg) throws IOException {
        try {
            sh(ROOT.resolve("deploy/lab.sh").toString(), arg);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
