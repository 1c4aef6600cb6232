package io.fleetgen.control;

import io.fleetgen.codec.Addresses;
import io.fleetgen.codec.Command;
import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.ErrorCode;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.Reply;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.codec.cluster.ClusterOptions;
import io.fleetgen.codec.ValidationException;
import io.fleetgen.codec.cluster.FleetgenNode;
import io.fleetgen.codec.security.CredentialRole;
import io.fleetgen.codec.security.Identity;
import io.fleetgen.codec.security.Keyring;
import io.fleetgen.codec.cluster.FleetgenCluster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A connection to the fleet: joins the cluster as a Hazelcast lite member (no data partitions), keeps the
 * directory of agents from their announcements and the cluster's membership, aggregates counter events, and
 * hands out {@link Sender}s and {@link Receiver}s. Thread-safe. Close it to leave the cluster.
 */
public final class Fleet implements AutoCloseable {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Fleet.class.getName());
    private static final long WAIT_FIRST_POLL_MS = 20;
    private static final long WAIT_MAX_POLL_MS = 250;
    /** Longest a blocking call waits for its agent(s). */
    public static final long TIMEOUT_SECONDS = 20;
    /** Longest {@link #join} waits for the agents of the cluster to announce themselves. */
    static final long ANNOUNCE_WAIT_SECONDS = 10;

    private final Aggregator aggregator = new Aggregator();
    private Inbox inbox;
    /** This control's one address for fleet-wide results, and the commands waiting for them by correlation id. */
    private final String resultsAddress = Addresses.results(UUID.randomUUID().toString());
    private FleetgenNode node;
    private Keyring keyring;
    private Courier courier;
    private Vertx vertx;

    private Fleet() {
    }

    /**
     * Joins the cluster (blocking, at most 60 s) and waits, at most 10 s, until every agent member of the cluster
     * has announced itself, so that the first command already knows the fleet.
     */
    public static Fleet join(ClusterOptions options) {
        return join(options, new VertxOptions(), null);
    }

    /** {@link #join(ClusterOptions)} with Vert.x options and metrics of the caller's (a service's). */
    public static Fleet join(ClusterOptions options, VertxOptions vertxOptions,
            io.vertx.core.spi.VertxMetricsFactory metrics) {
        Fleet f = new Fleet();
        ClusterOptions o = new ClusterOptions(options).setLiteMember(true);
        try {
            f.node = FleetgenCluster.join(o, vertxOptions, metrics, CredentialRole.CONTROL, null,
                    a -> f.inbox.onMemberLeft(a)).await(60, TimeUnit.SECONDS);
            f.vertx = f.node.vertx();
            f.keyring = f.node.keyring();
            f.courier = new Courier(f.node, TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            FleetgenNode joined = f.node;
            f.inbox = new Inbox(f.vertx, f.keyring, f.courier, f.aggregator,
                    id -> joined.cluster().getNodes().contains(id));
            Inbox in = f.inbox;
            f.vertx.eventBus().consumer(Addresses.COUNTERS, in::onCounterEvent).completion()
                    .await(10, TimeUnit.SECONDS);
            f.vertx.eventBus().consumer(Addresses.ANNOUNCE, in::onAnnounce).completion().await(10, TimeUnit.SECONDS);
            f.vertx.eventBus().consumer(f.resultsAddress, in::onResult).completion().await(10, TimeUnit.SECONDS);
        } catch (ValidationException e) {
            throw e;
        } catch (Exception e) {
            if (f.vertx != null) {
                f.vertx.close();
            }
            throw new FleetException(ErrorCode.IO, "join: " + Courier.describe(e,
                    "60 s to be admitted to the cluster or 10 s to register a consumer"), e);
        }
        f.vertx.eventBus().publish(Addresses.DISCOVER, "hello");
        f.awaitMembers(ANNOUNCE_WAIT_SECONDS);
        Identity self = f.keyring.self();
        if (self != null && self.daysLeft(java.time.Instant.now()) < HostStatus.EXPIRY_WARNING_DAYS) {
            LOG.warning("this control's credential " + self + " expires in " + self.daysLeft(java.time.Instant.now())
                    + " days; renew it with deploy/tls.sh renew");
        }
        return f;
    }

    /** Agent members of the cluster, lite or not (controls are lite members too). */
    private int agentMembers() {
        return (int) node.cluster().getHazelcastInstance().getCluster().getMembers().stream()
                .filter(FleetgenCluster::isAgent).count();
    }

    /** Waits, at most {@code seconds}, until as many agents announced themselves as the cluster has members. */
    private void awaitMembers(long seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (int i = 1; hosts().stream().filter(HostStatus::alive).count() < agentMembers()
                && System.nanoTime() < deadline; i++) {
            sleep(50);
            if (i % 10 == 0) {
                vertx.eventBus().publish(Addresses.DISCOVER, "hello");
            }
        }
    }

    /** Counter events and results refused since this control joined: unsealed, sealed by another host, stale. */
    public long refusedEvents() {
        return inbox.refused();
    }

    /** This control's Hazelcast instance (a lite member), for cluster figures such as membership. */
    public com.hazelcast.core.HazelcastInstance hazelcast() {
        return node.cluster().getHazelcastInstance();
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
        List<HostStatus> out = new ArrayList<>(inbox.hosts.values());
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
        for (HostStatus h : inbox.hosts.values()) {
            if (h.info().managementAddress().equals(idOrAddress)) {
                return new Host(h.id());
            }
        }
        return new Host(idOrAddress);
    }

    /**
     * The agent of a host, as it announced itself.
     *
     * @throws FleetException {@link ErrorCode#UNKNOWN_HOST} naming the known hosts, or
     *     {@link ErrorCode#UNREACHABLE} when it left
     */
    HostStatus agent(Host host) {
        HostStatus h = inbox.hosts.get(host.id());
        if (h == null) {
            List<String> known = new ArrayList<>();
            hosts().forEach(x -> known.add(x.id()));
            throw new FleetException(ErrorCode.UNKNOWN_HOST, "unknown host " + host.id() + " (known: "
                    + (known.isEmpty() ? "none" : String.join(", ", known)) + ")", null);
        }
        if (!h.alive()) {
            throw new FleetException(ErrorCode.UNREACHABLE, host + " left the cluster", null);
        }
        return h;
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

    /**
     * Polls one run until {@code done} holds, at most {@code seconds}; what tests use instead of sleeping. The
     * first polls are 20 ms apart, then further apart up to 250 ms.
     */
    public RunStatus waitUntil(Host host, String run, java.util.function.Predicate<RunStatus> done, long seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        RunStatus s = pollWaiting(host, run, deadline);
        long pause = WAIT_FIRST_POLL_MS;
        while (s == null || !done.test(s)) {
            if (System.nanoTime() > deadline) {
                throw new FleetException(ErrorCode.INTERNAL, run + " on " + host + ": not done in " + seconds
                        + " s: " + s, null);
            }
            sleep(pause);
            // Polls back off to 4 a second: each costs the agent ~25 kB of garbage, and at 40 a second a paced run
            // met a collection every few seconds (issue 17).
            pause = Math.min(WAIT_MAX_POLL_MS, pause * 3 / 2);
            s = pollWaiting(host, run, deadline);
        }
        return s;
    }

    /**
     * One poll of a wait: {@code null} while the agent is unreachable (rejoining after a partition, say) and the
     * deadline has not passed; the error after it.
     */
    private RunStatus pollWaiting(Host host, String run, long deadline) {
        try {
            return poll(host, run).get(0);
        } catch (FleetException e) {
            if (e.code() != ErrorCode.UNREACHABLE || System.nanoTime() > deadline) {
                throw e;
            }
            return null;
        }
    }

    /** Every run the agent knows, from the agent itself (the source of truth). */
    public List<RunStatus> list(Host host) {
        return await(request(host, Command.of(CommandOp.LIST, "", null))).runs();
    }

    /** Sends a command to one agent; its verified reply, or a failed future with a {@link FleetException}. */
    Future<Reply> request(Host host, Command cmd) {
        try {
            courier.checkInCluster();
            HostStatus h = agent(host);
            return courier.request(h.info(), h.identity(), cmd);
        } catch (FleetException e) {
            return Future.failedFuture(e);
        }
    }

    /**
     * One command to every selected agent with one broadcast: each agent acts and replies on its own. Returns
     * when every expected host has answered or after the timeout; expected are the given hosts, or every alive
     * agent when none are given. It is sealed for exactly those (see {@link Courier#broadcast}): no other runs it.
     */
    public FleetResult broadcast(CommandOp op, String name, ProfileSpec profile, List<Host> selection) {
        List<HostStatus> to = new ArrayList<>();
        selection.forEach(h -> to.add(agent(h)));
        List<String> ids = to.stream().map(HostStatus::id).toList();
        if (to.isEmpty()) {
            hosts().stream().filter(HostStatus::alive).forEach(to::add);
        }
        List<String> expected = to.stream().map(HostStatus::id).toList();
        List<Identity> recipients = to.stream().map(HostStatus::identity).toList();
        String id = UUID.randomUUID().toString();
        Inbox.Pending p = new Inbox.Pending(expected);
        inbox.pending.put(id, p);
        try {
            synchronized (p) {
                p.command = courier.broadcast(new Command(op, name, profile, resultsAddress, ids), id,
                        recipients.contains(null) ? List.of() : recipients);
            }
            try {
                p.all.future().await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // Reported below as the hosts that did not answer.
            }
        } catch (Exception e) {
            throw new FleetException(ErrorCode.INTERNAL, "broadcast: " + e.getMessage(), e);
        } finally {
            inbox.pending.remove(id);
        }
        return p.result();
    }

    /**
     * Starts a sender or receiver run on every selected host (every alive agent when none are given) with one
     * broadcast. A receiver whose profile sets no {@code listener} listens on each host's own address in the network
     * of the stream's {@code dst}, so one profile serves the whole fleet. When the start fails on any host, the
     * hosts where it started are stopped again unless {@code keepOnFailure}; the result says per host what happened.
     */
    public FleetResult startEverywhere(CommandOp op, String name, ProfileSpec profile, List<Host> selection,
            boolean keepOnFailure) {
        FleetResult r = broadcast(op, name, profile, selection);
        if (r.ok() || keepOnFailure) {
            return r;
        }
        List<Host> started = new ArrayList<>();
        r.replies().forEach((h, reply) -> {
            if (reply.ok()) {
                started.add(new Host(h));
            }
        });
        if (!started.isEmpty()) {
            broadcast(CommandOp.STOP, name, null, started);
        }
        List<String> ids = new ArrayList<>();
        started.forEach(h -> ids.add(h.id()));
        return r.withRolledBack(ids);
    }

    /**
     * Fleet-wide senders toward one host, from one profile whose {@code dst} names the network: every selected
     * host (every alive agent but {@code to} when none are given) sends to {@code to}'s own address in that network.
     * As {@link #startEverywhere}: undone everywhere when it fails anywhere, unless {@code keepOnFailure}.
     */
    public FleetResult sendEverywhereTo(String name, ProfileSpec profile, List<Host> senders, Host to,
            boolean keepOnFailure) {
        String address = addressIn("fleet start sender", agent(to).id(), profile.stream().dst(),
                profile.stream().dstText());
        ProfileSpec p = profile.toBuilder(profile.stream().toBuilder().dst(address).build()).build();
        List<Host> from = new ArrayList<>(senders);
        if (from.isEmpty()) {
            hosts().stream().filter(h -> h.alive() && !h.id().equals(to.id())).forEach(h -> from.add(new Host(h.id())));
        }
        return startEverywhere(CommandOp.START_SENDER, name, p, from, keepOnFailure);
    }

    /** The host's announced address in the network of {@code dst} (the address's own prefix length). */
    String addressIn(String what, String id, byte[] dst, String dstText) {
        return HostAddresses.in(hosts(), what, id, dst, dstText);
    }

    /**
     * A fleet mesh: every selected host (every alive agent when none are given) sends the finite profile to
     * every other one, in the network of the profile's {@code dst}; returns the N×N matrix of sent, received,
     * loss and latency. Blocking, at most about {@code seconds}. See {@link Mesh}, {@link MeshRun}.
     */
    public Mesh mesh(String name, ProfileSpec template, List<Host> hosts, long seconds) {
        return MeshRun.run(this, name, template, hosts, seconds);
    }

    /**
     * Copies the pcap file that an ended receiver run recorded (its profile's {@code pcap=N}) from its agent to
     * {@code to}; returns the file's size in bytes.
     */
    public long fetchPcap(Host host, String run, Path to) {
        HostStatus h = agent(host);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(to), 1 << 16)) {
            return courier.fetchPcap(h.info(), h.identity(), run, out);
        } catch (IOException e) {
            throw new FleetException(ErrorCode.IO, "pcap: " + to + ": " + e.getMessage(), e);
        }
    }

    static <T> T await(Future<T> f) {
        return Courier.await(f, TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS + 1));
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
            throw new FleetException(ErrorCode.IO, "leave: " + Courier.describe(e, "20 s"), e);
        }
    }
}
