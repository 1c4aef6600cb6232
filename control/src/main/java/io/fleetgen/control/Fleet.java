package io.fleetgen.control;

import io.fleetgen.codec.Addresses;
import io.fleetgen.codec.Command;
import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.CounterEvent;
import io.fleetgen.codec.ErrorCode;
import io.fleetgen.codec.HostInfo;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.Reply;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.codec.cluster.ClusterOptions;
import io.fleetgen.codec.cluster.FleetgenCluster;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A connection to the fleet: joins the cluster as a Hazelcast lite member (no data partitions), keeps the
 * directory of agents from their announcements and the cluster's membership, aggregates counter events, and
 * hands out {@link Sender}s and {@link Receiver}s. Thread-safe. Close it to leave the cluster.
 */
public final class Fleet implements AutoCloseable {
    /** Longest a blocking call waits for its agent(s). */
    public static final long TIMEOUT_SECONDS = 20;

    private final Map<String, HostStatus> hosts = new ConcurrentHashMap<>();
    private final Aggregator aggregator = new Aggregator();
    /** This control's one address for fleet-wide results, and the commands waiting for them by correlation id. */
    private final String resultsAddress = Addresses.results(UUID.randomUUID().toString());
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private Vertx vertx;

    /** The replies to one fleet-wide command, complete when every expected host answered. */
    private static final class Pending {
        final List<String> expected;
        final Map<String, Reply> replies = new LinkedHashMap<>();
        final Promise<Void> all = Promise.promise();

        Pending(List<String> expected) {
            this.expected = expected;
        }

        synchronized void add(Reply r) {
            replies.put(r.host(), r);
            if (replies.keySet().containsAll(expected)) {
                all.tryComplete();
            }
        }

        synchronized FleetResult result() {
            List<String> missing = new ArrayList<>(expected);
            missing.removeAll(replies.keySet());
            return new FleetResult(new LinkedHashMap<>(replies), missing);
        }
    }

    private Fleet() {
    }

    /** Joins the cluster (blocking, at most 60 s) and asks every agent to announce itself. */
    public static Fleet join(ClusterOptions options) {
        Fleet f = new Fleet();
        ClusterOptions o = new ClusterOptions(options).setLiteMember(true);
        try {
            f.vertx = FleetgenCluster.start(o, new VertxOptions(), f::onMemberLeft).await(60, TimeUnit.SECONDS);
            f.vertx.eventBus().<CounterEvent>consumer(Addresses.COUNTERS, m -> f.aggregator.onEvent(m.body()))
                    .completion().await(10, TimeUnit.SECONDS);
            f.vertx.eventBus().<HostInfo>consumer(Addresses.ANNOUNCE, m -> f.onAnnounce(m.body()))
                    .completion().await(10, TimeUnit.SECONDS);
            f.vertx.eventBus().<Reply>consumer(f.resultsAddress, f::onResult).completion().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (f.vertx != null) {
                f.vertx.close();
            }
            throw new FleetException(ErrorCode.IO, "join: " + e.getMessage(), e);
        }
        f.vertx.eventBus().publish(Addresses.DISCOVER, "hello");
        return f;
    }

    private void onResult(Message<Reply> m) {
        String id = m.headers().get(Addresses.CORRELATION_HEADER);
        Pending p = id == null ? null : pending.get(id);
        if (p != null) {
            p.add(m.body());
        }
    }

    private void onAnnounce(HostInfo info) {
        hosts.put(info.hostId(), new HostStatus(info, !info.leaving(), System.currentTimeMillis()));
        if (info.leaving()) {
            aggregator.onHostLost(info.hostId());
        }
    }

    private void onMemberLeft(String address) {
        for (HostStatus h : hosts.values()) {
            if (h.info().managementAddress().equals(address) && h.alive()) {
                hosts.put(h.id(), h.dead());
                aggregator.onHostLost(h.id());
            }
        }
    }

    /** The clustered Vert.x, for Future-based code. */
    public Vertx vertx() {
        return vertx;
    }

    public Aggregator aggregator() {
        return aggregator;
    }

    /** Known agents, sorted by host id. */
    public List<HostStatus> hosts() {
        List<HostStatus> out = new ArrayList<>(hosts.values());
        out.sort(Comparator.comparing(HostStatus::id));
        return out;
    }

    /** Waits until at least {@code n} agents are alive, at most {@code seconds}. */
    public List<HostStatus> awaitHosts(int n, long seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (hosts().stream().filter(HostStatus::alive).count() < n) {
            if (System.nanoTime() > deadline) {
                throw new FleetException(ErrorCode.UNREACHABLE, "only " + hosts() + " announced in " + seconds
                        + " s (expected: " + n + " agents)", null);
            }
            vertx.eventBus().publish(Addresses.DISCOVER, "hello");
            sleep(100);
        }
        return hosts();
    }

    /** A host by agent id, or by management address when an agent announced it. */
    public Host host(String idOrAddress) {
        for (HostStatus h : hosts.values()) {
            if (h.info().managementAddress().equals(idOrAddress)) {
                return new Host(h.id());
            }
        }
        return new Host(idOrAddress);
    }

    /** Whether the host is known to have left; unknown hosts count as alive (the bus will tell). */
    boolean gone(Host host) {
        HostStatus h = hosts.get(host.id());
        return h != null && !h.alive();
    }

    public Sender sender(String name, ProfileSpec profile, Host host) {
        return new Sender(this, name, profile, host);
    }

    public Receiver receiver(String name, ProfileSpec profile, Host host) {
        return new Receiver(this, name, profile, host);
    }

    /**
     * The seed's most common pattern as one call: a receiver on {@code to} (started first, so it is capturing),
     * then a sender on {@code from}, both named {@code name}.
     */
    public Pair pair(String name, ProfileSpec profile, Host from, Host to) {
        Receiver r = receiver(name, profile, to);
        r.start();
        Sender s = sender(name, profile, from);
        s.start();
        return new Pair(s, r);
    }

    /** One run's status (every run's when {@code run} is empty), from the agent itself. */
    public List<RunStatus> poll(Host host, String run) {
        return await(request(host, Command.of(CommandOp.POLL, run, null))).runs();
    }

    /** Stops one run (every run when {@code run} is empty) and returns the final statuses. */
    public List<RunStatus> stop(Host host, String run) {
        return await(request(host, Command.of(CommandOp.STOP, run, null))).runs();
    }

    /** Polls one run until {@code done} holds, at most {@code seconds}; what tests use instead of sleeping. */
    public RunStatus waitUntil(Host host, String run, java.util.function.Predicate<RunStatus> done, long seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        RunStatus s = poll(host, run).get(0);
        while (!done.test(s)) {
            if (System.nanoTime() > deadline) {
                throw new FleetException(ErrorCode.INTERNAL, run + " on " + host + ": not done in " + seconds
                        + " s: " + s, null);
            }
            sleep(20);
            s = poll(host, run).get(0);
        }
        return s;
    }

    /** Every run the agent knows, from the agent itself (the source of truth). */
    public List<RunStatus> list(Host host) {
        return await(request(host, Command.of(CommandOp.LIST, "", null))).runs();
    }

    /** Sends a command to one agent. */
    Future<Reply> request(Host host, Command cmd) {
        if (gone(host)) {
            return Future.failedFuture(new FleetException(ErrorCode.UNREACHABLE, host + " left the cluster", null));
        }
        return vertx.eventBus().<Reply>request(Addresses.agent(host.id()), cmd,
                new DeliveryOptions().setSendTimeout(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS))).map(m -> m.body());
    }

    /**
     * One command to every selected agent with one broadcast: each agent acts and replies on its own. Returns
     * when every expected host has answered or after the timeout; expected are the given hosts, or every alive
     * agent when none are given.
     */
    public FleetResult broadcast(CommandOp op, String name, ProfileSpec profile, List<Host> selection) {
        List<String> ids = new ArrayList<>();
        selection.forEach(h -> ids.add(h.id()));
        List<String> expected = new ArrayList<>(ids);
        if (expected.isEmpty()) {
            hosts().stream().filter(HostStatus::alive).forEach(h -> expected.add(h.id()));
        }
        String id = UUID.randomUUID().toString();
        Pending p = new Pending(expected);
        pending.put(id, p);
        try {
            vertx.eventBus().publish(Addresses.BROADCAST, new Command(op, name, profile, resultsAddress, ids),
                    new DeliveryOptions().addHeader(Addresses.CORRELATION_HEADER, id));
            try {
                p.all.future().await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // Reported below as the hosts that did not answer.
            }
        } catch (Exception e) {
            throw new FleetException(ErrorCode.INTERNAL, "broadcast: " + e.getMessage(), e);
        } finally {
            pending.remove(id);
        }
        return p.result();
    }

    /**
     * A fleet mesh: every selected host (every alive agent when none are given) sends the finite profile to
     * every other one, in the network of the profile's {@code dst}; returns the N×N matrix of sent, received,
     * loss and latency. Blocking, at most about {@code seconds}. See {@link Mesh}.
     */
    public Mesh mesh(String name, ProfileSpec template, List<Host> hosts, long seconds) {
        return Mesh.run(this, name, template, hosts, seconds);
    }

    /**
     * Copies the pcap file that an ended receiver run recorded (its profile's {@code pcap=N}) from its agent to
     * {@code to}; returns the file's size in bytes.
     */
    public long fetchPcap(Host host, String run, Path to) {
        Buffer b = await(vertx.eventBus().<Buffer>request(Addresses.pcap(host.id()), run,
                new DeliveryOptions().setSendTimeout(TIMEOUT_SECONDS * 1000)).map(Message::body));
        try {
            Files.write(to, b.getBytes());
        } catch (IOException e) {
            throw new FleetException(ErrorCode.IO, "pcap: " + to + ": " + e.getMessage(), e);
        }
        return b.length();
    }

    static <T> T await(Future<T> f) {
        try {
            return f.await(TIMEOUT_SECONDS + 1, TimeUnit.SECONDS);
        } catch (FleetException e) {
            throw e;
        } catch (ReplyException e) {
            throw new FleetException(ErrorCode.of(e.failureCode()), e.getMessage(), e);
        } catch (Exception e) {
            throw new FleetException(ErrorCode.INTERNAL, String.valueOf(e.getMessage()), e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FleetException(ErrorCode.INTERNAL, "interrupted", e);
        }
    }

    @Override
    public void close() {
        try {
            vertx.close().await(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new FleetException(ErrorCode.IO, "leave: " + e.getMessage(), e);
        }
    }

    /** A sender and its receiver, started together. */
    public static final class Pair {
        private final Sender sender;
        private final Receiver receiver;

        Pair(Sender sender, Receiver receiver) {
            this.sender = sender;
            this.receiver = receiver;
        }

        public Sender sender() {
            return sender;
        }

        public Receiver receiver() {
            return receiver;
        }

        /** Stops the sender, waits until the receiver has counted what was sent (at most 10 s), stops it. */
        public void stop() {
            sender.stop();
            try {
                receiver.waitUntil(s -> s.counters().recv() + s.counters().corrupt() >= sender.sent(), 10);
            } finally {
                receiver.stop();
            }
        }
    }
}
