package io.fleetgen.agent.it;

import io.fleetgen.codec.Addresses;
import io.fleetgen.codec.Command;
import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.CounterBatch;
import io.fleetgen.codec.CounterEvent;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.Reply;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.codec.cluster.ClusterOptions;
import io.fleetgen.codec.HostInfo;
import io.fleetgen.codec.WireFormatException;
import io.fleetgen.codec.cluster.FleetgenCluster;
import io.fleetgen.codec.cluster.FleetgenNode;
import io.fleetgen.codec.security.AuthException;
import io.fleetgen.codec.security.CredentialRole;
import io.fleetgen.codec.security.Identity;
import io.fleetgen.codec.security.Opened;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The namespace lab with one agent JVM per host, and a test client: a clustered Vert.x lite member in the root
 * namespace using the codec. Real namespaces, real pcap, a real Hazelcast cluster; nothing mocked.
 */
final class Lab implements AutoCloseable {
    static final Path ROOT = Path.of(System.getProperty("fleetgen.root", "..")).toAbsolutePath().normalize();
    private static final long TIMEOUT_S = 20;

    final Vertx client;
    final FleetgenNode node;
    final List<CounterEvent> events = new CopyOnWriteArrayList<>();
    final Map<String, RunStatus> finals = new ConcurrentHashMap<>();
    /** Each agent's verified identity, from its signed announcements. */
    private final Map<String, Identity> agents = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    /** Counter events and announcements that did not open (a test swapped the codec). */
    final AtomicLong unverifiable = new AtomicLong();

    private Lab(FleetgenNode node) {
        this.node = node;
        this.client = node.vertx();
        client.eventBus().consumer(Addresses.COUNTERS, m -> {
            CounterBatch b = openOrNull(m.body(), CounterBatch.class);
            if (b == null) {
                return;
            }
            for (CounterEvent e : b.events()) {
                events.add(e);
                if (e.last()) {
                    finals.put(e.status().host() + "/" + e.status().name(), e.status());
                }
            }
        });
        client.eventBus().consumer(Addresses.ANNOUNCE, m -> {
            try {
                Opened<HostInfo> o = Opened.of(node.keyring(), m.body(), HostInfo.class);
                agents.put(o.value().hostId(), o.sender());
            } catch (WireFormatException | AuthException e) {
                // Not while a test has swapped the codec (FloodIT); an agent's announcement always verifies.
                unverifiable.incrementAndGet();
            }
        });
    }

    /** The value, or {@code null} when the body does not open (counted in {@link #unverifiable}). */
    private <T> T openOrNull(Object body, Class<T> type) {
        try {
            return Opened.of(node.keyring(), body, type).value();
        } catch (WireFormatException | AuthException e) {
            unverifiable.incrementAndGet();
            return null;
        }
    }

    private <T> T open(Object body, Class<T> type) {
        try {
            return Opened.of(node.keyring(), body, type).value();
        } catch (WireFormatException | AuthException e) {
            throw new IllegalStateException(type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** The lab's control credential, as the agents started by {@code lab.sh agents start} trust it. */
    static ClusterOptions cluster(int hosts) {
        List<String> members = new ArrayList<>();
        for (int i = 1; i <= hosts; i++) {
            members.add("198.19.0." + i);
        }
        return new ClusterOptions().setMembers(members).setBind("198.19.0.254").setLiteMember(true)
                .setCredentials(ROOT.resolve("deploy/.lab/creds/nodes/control").toString()).setBusTls(false);
    }

    /** An agent's identity once it announced itself (at most 10 s). */
    Identity agent(String host) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!agents.containsKey(host) && System.nanoTime() < deadline) {
            client.eventBus().publish(Addresses.DISCOVER, "hello");
            Thread.sleep(100);
        }
        Identity id = agents.get(host);
        if (id == null) {
            throw new IllegalStateException(host + " did not announce itself");
        }
        return id;
    }

    /** A command bound to {@code host}, now, and a fresh nonce, as a control issues it. */
    Command bind(String host, Command cmd) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        return cmd.bind(host, System.currentTimeMillis(), nonce);
    }

    /** A call that may throw, for assertThrows. */
    interface Call {
        void run() throws Exception;
    }

    static Lab up(int hosts) throws Exception {
        return up(hosts, "");
    }

    /** The lab with agents started with extra options ({@code FLEETGEN_AGENT_OPTS}). */
    static Lab up(int hosts, String agentOptions) throws Exception {
        return up(hosts, agentOptions, "");
    }

    /** The lab with agents started with extra options and extra JVM flags ({@code FLEETGEN_JAVA_EXTRA}). */
    static Lab up(int hosts, String agentOptions, String javaExtra) throws Exception {
        sh(ROOT.resolve("deploy/lab.sh").toString(), "up", Integer.toString(hosts));
        sh("env", "FLEETGEN_AGENT_OPTS=" + agentOptions, "FLEETGEN_JAVA_EXTRA=" + javaExtra,
                ROOT.resolve("deploy/lab.sh").toString(), "agents", "start");
        FleetgenNode n = FleetgenCluster.join(cluster(hosts), new VertxOptions(), CredentialRole.CONTROL, null, null)
                .await(60, TimeUnit.SECONDS);
        return new Lab(n);
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

    /**
     * Sends a command to an agent as a control does (bound, sealed for the agent) and opens its reply; a refusal
     * surfaces as a {@link ReplyException} with the agent's code.
     */
    Reply request(String host, Command cmd) throws Exception {
        Command bound = bind(host, cmd);
        Object body = client.eventBus().request(Addresses.agent(host), Opened.sealTo(node.keyring(), bound,
                agent(host), null), new DeliveryOptions().setSendTimeout(TIMEOUT_S * 1000)).map(m -> m.body())
                .await(TIMEOUT_S + 1, TimeUnit.SECONDS);
        Reply r = open(body, Reply.class);
        if (!r.ok()) {
            throw new ReplyException(ReplyFailure.RECIPIENT_FAILURE, r.errorCode(), r.error());
        }
        return r;
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
