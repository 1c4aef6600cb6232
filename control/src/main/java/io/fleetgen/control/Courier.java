package io.fleetgen.control;

import com.hazelcast.core.EntryAdapter;
import com.hazelcast.core.EntryEvent;
import io.fleetgen.codec.Addresses;
import io.fleetgen.codec.Command;
import io.fleetgen.codec.ErrorCode;
import io.fleetgen.codec.HostInfo;
import io.fleetgen.codec.PcapChunk;
import io.fleetgen.codec.Reply;
import io.fleetgen.codec.WireFormatException;
import io.fleetgen.codec.cluster.FleetgenNode;
import io.fleetgen.codec.security.AuthException;
import io.fleetgen.codec.security.CredentialRole;
import io.fleetgen.codec.security.Identity;
import io.fleetgen.codec.security.Keyring;
import io.fleetgen.codec.security.Opened;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.core.spi.cluster.RegistrationInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Carries this control's commands to agents and checks what comes back (SPEC §9): each command is bound to its
 * target host, time and a fresh nonce and sealed for that agent's credential; each reply must be sealed by that
 * agent and answer that nonce. Before a command leaves, the cluster's routing maps are checked: a route for
 * host {@code h} that leads to a node other than the one agent {@code h} announced fails at once with
 * {@link ErrorCode#TAMPERED} naming the host (not after a timeout). Thread-safe.
 */
final class Courier {
    /**
     * How long a verified route is trusted before it is checked again; any change to an agent's entries in the
     * cluster's maps forgets it at once.
     */
    static final long ROUTE_TTL_NANOS = 5_000_000_000L;
    /** How long a route must be seen clean after it was found altered before commands use it again. */
    static final long SETTLE_NANOS = 1_500_000_000L;

    /** Vert.x's subscription multimap and node map in Hazelcast (vertx-hazelcast's names). */
    private static final String SUBS_MAP = "__vertx.subs";
    private static final String NODES_MAP = "__vertx.nodeInfo";

    private final FleetgenNode node;
    private final Keyring keyring;
    private final long timeoutMillis;
    private final byte[] noncePrefix = new byte[8];
    private final AtomicLong nonceCounter = new AtomicLong();
    private final Map<String, Long> verifiedRoutes = new ConcurrentHashMap<>();
    private final Map<String, Altered> alteredAt = new ConcurrentHashMap<>();

    public Courier(FleetgenNode node, long timeoutMillis) {
        this.node = node;
        this.keyring = node.keyring();
        this.timeoutMillis = timeoutMillis;
        new SecureRandom().nextBytes(noncePrefix);
        watchRoutingMaps();
    }

    /** Forgets a verified route as soon as the cluster's routing maps change (values are not read). */
    private void watchRoutingMaps() {
        var hz = node.cluster().getHazelcastInstance();
        hz.getMultiMap(SUBS_MAP).addEntryListener(new EntryAdapter<Object, Object>() {
            @Override
            public void onEntryEvent(EntryEvent<Object, Object> event) {
                verifiedRoutes.remove(String.valueOf(event.getKey()));
            }
        }, false);
        hz.getMap(NODES_MAP).addEntryListener(new EntryAdapter<Object, Object>() {
            @Override
            public void onEntryEvent(EntryEvent<Object, Object> event) {
                verifiedRoutes.clear();
            }
        }, false);
    }

    /** A fresh nonce: this control's random prefix and a counter. */
    byte[] nonce() {
        byte[] n = Arrays.copyOf(noncePrefix, 16);
        long c = nonceCounter.incrementAndGet();
        for (int i = 0; i < 8; i++) {
            n[8 + i] = (byte) (c >>> (56 - 8 * i));
        }
        return n;
    }

    /** The command bound to {@code target}, now and a fresh nonce. */
    public Command bind(Command cmd, String target) {
        return cmd.bind(target, System.currentTimeMillis(), nonce());
    }

    /**
     * Sends a command to one agent and returns its verified reply; a refusal fails as {@link FleetException}. The
     * caller checks first that this control is in the cluster ({@link #checkInCluster}).
     */
    public Future<Reply> request(HostInfo agent, Identity identity, Command unbound) {
        Command cmd = bind(unbound, agent.hostId());
        String address = Addresses.agent(agent.hostId());
        return checkRoute(agent, address)
                .compose(v -> node.vertx().eventBus().request(address, Opened.sealTo(keyring, cmd, identity, null),
                        new DeliveryOptions().setSendTimeout(timeoutMillis)))
                .recover(e -> noConsumer(e, agent, address))
                .compose(m -> {
                    Reply r = openReply(m.body(), agent.hostId(), cmd);
                    return r.ok() ? Future.succeededFuture(r) : Future.failedFuture(new FleetException(
                            ErrorCode.of(r.errorCode()), r.error(), null));
                });
    }

    /**
     * Fetches the pcap file of an ended receiver run piece by piece, each piece sealed by the agent and answering
     * its own fetch, into {@code out}; returns the file's size.
     */
    public long fetchPcap(HostInfo agent, Identity identity, String run, OutputStream out) {
        String address = Addresses.pcap(agent.hostId());
        long offset = 0;
        long total;
        do {
            Command cmd = bind(Command.fetchPcap(run, offset), agent.hostId());
            Object body = await(checkRoute(agent, address).compose(v -> node.vertx().eventBus().request(address,
                    Opened.sealTo(keyring, cmd, identity, null), new DeliveryOptions().setSendTimeout(timeoutMillis)))
                    .recover(e -> noConsumer(e, agent, address)).map(m -> m.body()));
            PcapChunk c = openChunk(body, agent.hostId(), cmd);
            if (c.offset() != offset || c.data().length == 0 && offset < c.total()) {
                throw new FleetException(ErrorCode.MALFORMED, "pcap from " + agent.hostId() + ": piece at "
                        + c.offset() + " (expected: " + offset + ")", null);
            }
            try {
                out.write(c.data());
            } catch (IOException e) {
                throw new FleetException(ErrorCode.IO, "pcap: " + e.getMessage(), e);
            }
            offset += c.data().length;
            total = c.total();
        } while (offset < total);
        return total;
    }

    private PcapChunk openChunk(Object body, String host, Command cmd) {
        try {
            Opened<PcapChunk> o = Opened.of(keyring, body, PcapChunk.class);
            if (!sealedBy(o, host) || !Arrays.equals(o.value().inReplyTo(), cmd.nonce())) {
                throw new FleetException(ErrorCode.FORBIDDEN, "pcap piece for " + host + " not sealed by it for "
                        + "this fetch", null);
            }
            return o.value();
        } catch (WireFormatException e) {
            // A refusal comes as a sealed reply.
            Reply r = openReply(body, host, cmd);
            throw new FleetException(ErrorCode.of(r.errorCode()), r.error(), e);
        } catch (AuthException e) {
            throw new FleetException(e.code(), "pcap from " + host + ": " + e.getMessage(), e);
        }
    }

    private <T> T await(Future<T> f) {
        return await(f, timeoutMillis + 1000);
    }

    /**
     * Waits for a future at most {@code millis}; an agent's refusal or a bus failure becomes a
     * {@link FleetException} with its code.
     */
    public static <T> T await(Future<T> f, long millis) {
        try {
            return f.await(millis, TimeUnit.MILLISECONDS);
        } catch (FleetException e) {
            throw e;
        } catch (ReplyException e) {
            throw new FleetException(ErrorCode.of(e.failureCode()), e.getMessage(), e);
        } catch (java.util.concurrent.TimeoutException e) {
            // Seen at 32 agents on two cores (issue 15): say what happened rather than "null".
            throw new FleetException(ErrorCode.UNREACHABLE, "no answer within " + millis + " ms (the agent or the"
                    + " cluster is overloaded, or the agent left; retry, or look at the hosts list)", e);
        } catch (Exception e) {
            throw new FleetException(ErrorCode.INTERNAL, describe(e, millis + " ms"), e);
        }
    }

    /**
     * A failure in a sentence: "timed out after {@code waited}" for a timeout (whose message is null), else its kind
     * and message.
     */
    static String describe(Throwable e, String waited) {
        return e instanceof java.util.concurrent.TimeoutException ? "timed out after " + waited
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /**
     * Publishes a fleet-wide command on the broadcast address, sealed for the given agents (a pair-key code for
     * each, checked in microseconds) or, when none are given, signed for every agent; results come to
     * {@code replyTo} with the correlation header {@code id}.
     */
    public Command broadcast(Command unbound, String id, List<Identity> recipients) {
        checkInCluster();
        Command cmd = bind(unbound, Command.EVERY_HOST);
        node.vertx().eventBus().publish(Addresses.BROADCAST, Opened.sealToMany(keyring, cmd, recipients),
                new DeliveryOptions().addHeader(Addresses.CORRELATION_HEADER, id));
        return cmd;
    }

    /**
     * Opens a reply: sealed by agent {@code host} (in a secure fleet), from {@code host}, answering {@code cmd}.
     *
     * @throws FleetException naming what is wrong
     */
    public Reply openReply(Object body, String host, Command cmd) {
        Opened<Reply> o;
        try {
            o = Opened.of(keyring, body, Reply.class);
        } catch (WireFormatException e) {
            throw new FleetException(ErrorCode.MALFORMED, "reply from " + host + ": " + e.getMessage(), e);
        } catch (AuthException e) {
            throw new FleetException(e.code(), "reply for " + host + ": " + e.getMessage(), e);
        }
        Reply r = o.value();
        if (o.sender() != null && (o.sender().role() != CredentialRole.AGENT || !o.sender().name().equals(host))) {
            throw new FleetException(ErrorCode.FORBIDDEN, "reply for " + host + " sealed by " + o.sender()
                    + " (expected: agent " + host + ")", null);
        }
        if (!r.host().equals(host) || !Arrays.equals(r.inReplyTo(), cmd.nonce())) {
            throw new FleetException(ErrorCode.MISDIRECTED, "reply from " + r.host() + " does not answer this "
                    + "command to " + host, null);
        }
        return r;
    }

    /**
     * Checks that the cluster routes {@code address} only to the node agent {@code agent} announced, and that
     * the node map sends that node's traffic to the bus address it announced. A verified route is trusted for
     * {@link #ROUTE_TTL_NANOS}.
     */
    Future<Void> checkRoute(HostInfo agent, String address) {
        Long at = verifiedRoutes.get(address);
        long now = System.nanoTime();
        if (at != null && now - at < ROUTE_TTL_NANOS) {
            return Future.succeededFuture();
        }
        if (agent.nodeId().isEmpty()) {
            return Future.succeededFuture();
        }
        Altered altered = alteredAt.get(address);
        if (altered != null && now - altered.at < SETTLE_NANOS) {
            // The maps may just have been repaired; Vert.x's own copy of the routes follows them with a delay and
            // could still send a command to the node that was removed.
            return Future.failedFuture(new FleetException(altered.cause.code(), altered.cause.getMessage() + " ("
                    + (now - altered.at) / 1_000_000 + " ms ago; commands wait until the routes have been clean for "
                    + SETTLE_NANOS / 1_000_000 + " ms)", null));
        }
        return verifyRoute(agent, address).onFailure(e -> {
            if (e instanceof FleetException && ((FleetException) e).code() == ErrorCode.TAMPERED) {
                alteredAt.put(address, new Altered(System.nanoTime(), (FleetException) e));
            }
        });
    }

    /**
     * Fails with the error of a command from a control whose Hazelcast member is no longer running. It was
     * closed, or it shut down on its own: Hazelcast does on a fatal error, and any member may shut the cluster down.
     * A command would otherwise fail on a map of the stopped member, or wait for its timeout.
     *
     * @throws FleetException (IO) saying so
     */
    public void checkInCluster() {
        if (!node.cluster().getHazelcastInstance().getLifecycleService().isRunning()) {
            throw new FleetException(ErrorCode.IO, "this control is no longer in the cluster: its Hazelcast member "
                    + "shut down (closed, or on its own: the reason is in the log); join again", null);
        }
    }

    /** When a route was last found altered, and how. */
    private static final class Altered {
        final long at;
        final FleetException cause;

        Altered(long at, FleetException cause) {
            this.at = at;
            this.cause = cause;
        }
    }

    /**
     * A request that found no consumer of the agent's address (its subscription went away after the route was last
     * verified): UNREACHABLE as {@link #verifyRoute} says it, and the route is verified again next time.
     */
    private <T> Future<T> noConsumer(Throwable e, HostInfo agent, String address) {
        if (e instanceof ReplyException && ((ReplyException) e).failureType() == ReplyFailure.NO_HANDLERS) {
            verifiedRoutes.remove(address);
            return Future.failedFuture(new FleetException(ErrorCode.UNREACHABLE, noConsumerMessage(agent), e));
        }
        return Future.failedFuture(e);
    }

    private static String noConsumerMessage(HostInfo agent) {
        return "no agent " + agent.hostId() + " consumes its address (it left, or the cluster's subscription map was"
                + " altered)";
    }

    private Future<Void> verifyRoute(HostInfo agent, String address) {
        Promise<List<RegistrationInfo>> regs = Promise.promise();
        node.cluster().getRegistrations(address, regs);
        return regs.future().compose(list -> {
            if (list.isEmpty()) {
                return Future.failedFuture(new FleetException(ErrorCode.UNREACHABLE, noConsumerMessage(agent),
                        null));
            }
            for (RegistrationInfo r : list) {
                if (!r.nodeId().equals(agent.nodeId())) {
                    return Future.failedFuture(tampered(agent, "the cluster's subscription map routes its "
                            + "commands to node " + r.nodeId() + " as well, not only to agent " + agent.hostId()
                            + "'s node " + agent.nodeId()));
                }
            }
            Promise<NodeInfo> info = Promise.promise();
            node.cluster().getNodeInfo(agent.nodeId(), info);
            // No entry (or none readable): the event bus cannot reach the node at all, so nothing can be
            // misdirected. Seen for seconds after a partition heals (issue 15); the agent restores its own entry. A
            // caller may retry.
            return info.future().recover(e -> Future.failedFuture(new FleetException(ErrorCode.UNREACHABLE,
                    "agent " + agent.hostId() + "'s entry in the cluster's node map: " + e.getMessage()
                    + " (rejoining after a partition, or removed; the agent restores its own within seconds)", e)));
        }).compose(info -> {
            String where = info.host() + ":" + info.port();
            if (!agent.busAddress().isEmpty() && !where.equals(agent.busAddress())) {
                return Future.failedFuture(tampered(agent, "the cluster's node map sends its traffic to " + where
                        + ", not to the bus address " + agent.busAddress() + " agent " + agent.hostId()
                        + " announced"));
            }
            verifiedRoutes.put(address, System.nanoTime());
            return Future.succeededFuture();
        });
    }

    private static FleetException tampered(HostInfo agent, String what) {
        return new FleetException(ErrorCode.TAMPERED, "command for " + agent.hostId() + " not sent: " + what
                + " (tampering; the agent repairs its own entries within seconds)", null);
    }

    /** Forgets verified routes, e.g. when an agent re-announces itself from another node. */
    public void forgetRoutes() {
        verifiedRoutes.clear();
    }

    /** Who sealed a message in a secure fleet must be agent {@code host}; returns whether it is. */
    public static boolean sealedBy(Opened<?> o, String host) {
        return o.sender() == null || o.sender().role() == CredentialRole.AGENT && o.sender().name().equals(host);
    }
}
