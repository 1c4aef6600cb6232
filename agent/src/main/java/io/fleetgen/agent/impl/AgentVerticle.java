package io.fleetgen.agent.impl;

import io.fleetgen.agent.AgentOptions;
import io.fleetgen.agent.impl.guard.CommandGate;
import io.fleetgen.agent.impl.guard.CredentialWatch;
import io.fleetgen.agent.impl.guard.Policy;
import io.fleetgen.agent.impl.guard.PolicyFactory;
import io.fleetgen.agent.impl.guard.PrivateDirectory;
import io.fleetgen.agent.impl.guard.Quotas;
import io.fleetgen.agent.impl.guard.RouteGuard;
import io.fleetgen.agent.impl.net.Interfaces;
import io.fleetgen.agent.impl.net.RouteResolver;
import io.fleetgen.agent.impl.net.RstSuppressor;
import io.fleetgen.agent.impl.run.ReceiverRun;
import io.fleetgen.agent.impl.run.Run;
import io.fleetgen.agent.impl.run.RunRegistry;
import io.fleetgen.agent.impl.run.SenderRun;
import io.fleetgen.agent.impl.tx.PacingPolicy;
import io.fleetgen.agent.impl.tx.TxHandlePool;
import io.fleetgen.codec.Addresses;
import io.fleetgen.codec.Command;
import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.Envelope;
import io.fleetgen.codec.ErrorCode;
import io.fleetgen.codec.HostInfo;
import io.fleetgen.codec.ProfileParam;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.Reply;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.codec.ValidationException;
import io.fleetgen.codec.WireFormatException;
import io.fleetgen.codec.cluster.FleetgenNode;
import io.fleetgen.codec.cluster.PeriodicCheck;
import io.fleetgen.codec.security.AuthException;
import io.fleetgen.codec.security.Keyring;
import io.fleetgen.codec.security.Opened;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The agent's command dispatch. Takes sealed commands on its host address (request/reply) and on the broadcast
 * address (each selected agent sends its sealed reply to the command's {@code replyTo}); admits them through the
 * {@link CommandGate}, checks them against the {@link Policy} and {@link Quotas}, prepares runs on their own pool,
 * and hands counters to the {@link CounterPublisher}, pcap pieces to the {@link PcapServer}. The run registry is
 * touched only on this verticle's event loop.
 */
public final class AgentVerticle extends VerticleBase {
    private final AgentOptions options;
    private final FleetgenNode node;
    private final Keyring keyring;
    private final String managementAddress;
    private final String version;
    private CommandGate gate;
    private CounterPublisher counters;
    private PcapServer pcapServer;
    /** Prepares run here, so that slow ones (a destination with no neighbour) hold none of Vert.x's workers. */
    private WorkerExecutor prepare;
    private RouteGuard guard;
    private long lastAnnounce;
    private static final Logger LOG = Logger.getLogger(AgentVerticle.class.getName());
    private static final long DISCOVER_MIN_INTERVAL_MILLIS = 500;
    private static final int MAX_CORRELATION_CHARS = 64;
    private final RunRegistry runs;
    private final Map<Run, Promise<RunStatus>> ending = new LinkedHashMap<>();
    private final Map<Run, Quotas.Share> shares = new HashMap<>();
    private final Quotas quotas;
    private Policy policy;
    private final long startedAt = System.currentTimeMillis();
    private final TxHandlePool txHandles = new TxHandlePool();
    private final PacingPolicy pacing;
    private HostInfo info;

    public AgentVerticle(AgentOptions options, FleetgenNode node, String managementAddress, String version) {
        this.options = new AgentOptions(options);
        this.pacing = PacingPolicy.of(this.options);
        this.node = node;
        this.keyring = node.keyring();
        this.runs = new RunRegistry(this.options.getMaxEndedRuns(), this::forget);
        this.quotas = new Quotas(this.options.getMaxLiveRuns(), this.options.getMaxTxThreads(),
                this.options.getMaxCaptureMib(), this.options.getMaxPendingStarts());
        this.managementAddress = managementAddress;
        this.version = version;
    }

    @Override
    public Future<?> start() {
        gate = new CommandGate(keyring, options.getHostId(), options.getCommandWindowMillis(),
                options.getMaxCommandsPerWindow());
        String direct = Addresses.agent(options.getHostId());
        String pcapAddress = Addresses.pcap(options.getHostId());
        guard = new RouteGuard(node, List.of(direct, pcapAddress), List.of(Addresses.BROADCAST, Addresses.DISCOVER),
                m -> LOG.warning(options.getHostId() + ": " + m));
        return vertx.executeBlocking(() -> {
            policy = PolicyFactory.policy(options, managementAddress);
            PrivateDirectory.prepare(options.getPcapDir());
            // Rules a crashed agent of this host left behind would silence its TCP resets for good.
            RstSuppressor.purgeStale(options.getHostId());
            List<String> addrs = new ArrayList<>();
            for (Interfaces.Addr a : Interfaces.addresses()) {
                addrs.add(a.cidrText());
            }
            return new HostInfo(options.getHostId(), version, managementAddress, addrs, Interfaces.names(),
                    startedAt, 0, false, node.nodeId(), node.busAddress());
        }).compose(hi -> {
            info = hi;
            MessageConsumer<Object> cmds = vertx.eventBus().consumer(direct, this::onCommand);
            MessageConsumer<Object> fleet = vertx.eventBus().consumer(Addresses.BROADCAST, this::onBroadcast);
            MessageConsumer<Object> discover = vertx.eventBus().consumer(Addresses.DISCOVER, m -> onDiscover());
            MessageConsumer<Object> pcap = vertx.eventBus().consumer(pcapAddress, this::onPcapFetch);
            counters = new CounterPublisher(vertx, keyring, options.getHostId(), gate::controls);
            pcapServer = new PcapServer(vertx, keyring, options.getHostId());
            prepare = vertx.createSharedWorkerExecutor("fleetgen-prepare-" + options.getHostId(),
                    options.getMaxPreparing());
            vertx.setPeriodic(options.getCounterIntervalMillis(), id -> counters.snapshots(runs.all()));
            vertx.setPeriodic(5000, id -> {
                announce(false);
                runs.forgetEndedBefore(System.currentTimeMillis() - options.getEndedRunTtlSeconds() * 1000);
            });
            return Future.all(List.of(cmds.completion(), fleet.completion(), discover.completion(), pcap.completion()));
        }).compose(v -> vertx.executeBlocking(() -> {
            guard.remember();
            return null;
        })).onSuccess(v -> {
            announce(false);
            PeriodicCheck routes = PeriodicCheck.start(vertx, "fleetgen-route-guard-" + options.getHostId(),
                    options.getGuardIntervalMillis(), guard::check);
            guard.onMerged(() -> context.runOnContext(x -> routes.again().onComplete(ar -> announce(false))));
            new CredentialWatch(vertx, keyring, options.getHostId(), () -> announce(false)).start();
            Warmup.startIf(options.isWarmUp(), keyring, options.getHostId());
        });
    }

    /** Anyone may ask for announcements; they are rate-limited so that asking costs the agent little. */
    private void onDiscover() {
        long now = System.currentTimeMillis();
        if (now - lastAnnounce >= DISCOVER_MIN_INTERVAL_MILLIS) {
            announce(false);
        }
    }

    /** Stops every run, publishes their final events, announces the departure. */
    @Override
    public Future<?> stop() {
        List<Future<RunStatus>> ends = new ArrayList<>();
        for (Run r : runs.all()) {
            if (r.live()) {
                ends.add(stopRun(r));
            }
        }
        return Future.join(ends).transform(ar -> {
            counters.flushFinals();
            txHandles.close();
            if (prepare != null) {
                prepare.close();
            }
            announce(true);
            return Future.succeededFuture();
        });
    }

    private void announce(boolean leaving) {
        lastAnnounce = System.currentTimeMillis();
        int live = runs.live();
        vertx.eventBus().publish(Addresses.ANNOUNCE, Opened.sealForAll(keyring, info.with(live, leaving),
                gate.controls()));
    }

    /** The command of a message addressed to this agent, or {@code null} once the message was failed with why. */
    private Opened<Command> admitted(Message<Object> msg) {
        try {
            return gate.admit(msg.body(), false, System.currentTimeMillis());
        } catch (WireFormatException e) {
            msg.fail(ErrorCode.MALFORMED.code(), e.getMessage());
        } catch (AuthException e) {
            msg.fail(e.code().code(), e.getMessage());
        }
        return null;
    }

    private void onCommand(Message<Object> msg) {
        Opened<Command> o = admitted(msg);
        if (o == null) {
            return;
        }
        Command cmd = o.value();
        io.vertx.core.Future<Reply> result;
        try {
            result = execute(cmd);
        } catch (RuntimeException e) {
            // A fault of ours must still answer (INTERNAL, with its message), not leave the control to time out.
            result = io.vertx.core.Future.failedFuture(e);
        }
        result.onComplete(ar -> msg.reply(sealReply(o, ar)));
    }

    /** The reply to an admitted command, sealed for the control that sent it and bound to the command. */
    private Envelope sealReply(Opened<Command> o, AsyncResult<Reply> ar) {
        Throwable t = ar.cause();
        if (t != null && codeOf(t) == ErrorCode.INTERNAL) { // a fault of ours, logged with where it happened
            LOG.log(java.util.logging.Level.WARNING, "command " + o.value().op() + " " + o.value().name(), t);
        }
        Reply r = t == null ? ar.result() : Reply.failed(options.getHostId(), codeOf(t),
                t.getMessage() != null ? t.getMessage() : t.toString());
        return Opened.sealTo(keyring, r.answering(o.value()), o.sender(), o.envelope().recipientFingerprint());
    }

    /** Serves the pcap file an ended receiver recorded, a sealed piece per admitted fetch. */
    private void onPcapFetch(Message<Object> msg) {
        Opened<Command> o = admitted(msg);
        if (o == null) {
            return;
        }
        pcapServer.serve(o, runs.get(o.value().name())).onComplete(ar -> msg.reply(ar.succeeded() ? ar.result()
                : sealReply(o, Future.failedFuture(ar.cause()))));
    }

    private void onBroadcast(Message<Object> msg) {
        Opened<Command> o;
        try {
            o = gate.admit(msg.body(), true, System.currentTimeMillis());
        } catch (WireFormatException | AuthException e) {
            // A broadcast that cannot be attributed to a control has no trustworthy reply address.
            LOG.fine(options.getHostId() + ": broadcast refused: " + e.getMessage());
            return;
        }
        Command cmd = o.value();
        if (!cmd.selects(options.getHostId())) {
            return;
        }
        if (!cmd.replyTo().startsWith(Addresses.RESULTS_PREFIX)) {
            LOG.warning(options.getHostId() + ": broadcast with replyTo " + cmd.replyTo() + " refused (expected: "
                    + Addresses.RESULTS_PREFIX + "*)");
            return;
        }
        DeliveryOptions corr = new DeliveryOptions();
        String id = msg.headers().get(Addresses.CORRELATION_HEADER);
        if (id != null && id.length() <= MAX_CORRELATION_CHARS) {
            corr.addHeader(Addresses.CORRELATION_HEADER, id);
        }
        execute(cmd).onComplete(ar -> vertx.eventBus().send(cmd.replyTo(), sealReply(o, ar), corr));
    }

    private Future<Reply> execute(Command cmd) {
        String host = options.getHostId();
        switch (cmd.op()) {
            case START_SENDER:
            case START_RECEIVER:
                return startRun(cmd).map(s -> Reply.of(host, List.of(s)));
            case POLL:
                return selected(cmd).map(rs -> Reply.of(host, statuses(rs)));
            case STOP:
                return selected(cmd).compose(rs -> {
                    List<Future<RunStatus>> fs = new ArrayList<>();
                    rs.forEach(r -> fs.add(stopRun(r)));
                    return Future.all(fs).map(cf -> Reply.of(host, cf.<RunStatus>list()));
                });
            case LIST:
                return Future.succeededFuture(Reply.of(host, statuses(runs.all())));
            case FETCH_PCAP:
                return Future.failedFuture(new AgentException(ErrorCode.INVALID, "op: FETCH_PCAP (expected: on "
                        + "the agent's pcap address)"));
            case CLEAR:
                runs.forgetEnded(Integer.MAX_VALUE);
                return Future.succeededFuture(Reply.of(host, List.of()));
            default:
                return Future.failedFuture(new AgentException(ErrorCode.INVALID, "op: " + cmd.op()));
        }
    }

    private Future<List<Run>> selected(Command cmd) {
        if (cmd.name().isEmpty()) {
            return Future.succeededFuture(runs.all());
        }
        Run r = runs.get(cmd.name());
        if (r == null) {
            return Future.failedFuture(new AgentException(ErrorCode.NO_SUCH_RUN,
                    cmd.name() + ": no such run on " + options.getHostId()));
        }
        return Future.succeededFuture(List.of(r));
    }

    private static List<RunStatus> statuses(List<Run> rs) {
        List<RunStatus> out = new ArrayList<>();
        rs.forEach(r -> out.add(r.status()));
        return out;
    }

    private Future<RunStatus> startRun(Command cmd) {
        Run existing = runs.get(cmd.name());
        if (existing != null && existing.live()) {
            return Future.failedFuture(new AgentException(ErrorCode.ALREADY_RUNNING,
                    cmd.name() + ": already running on " + options.getHostId()));
        }
        ProfileSpec p = cmd.profile();
        boolean sender = cmd.op() == CommandOp.START_SENDER;
        Quotas.Share share;
        try {
            if (sender) {
                policy.checkSender(p);
            } else {
                policy.checkCapfilter(p);
            }
            share = quotas.reserve(p, sender);
        } catch (Policy.Refusal r) {
            return Future.failedFuture(new AgentException(r.code(), r.getMessage()));
        }
        long cap = TimeUnit.SECONDS.toNanos(options.getMaxRunSeconds());
        Run run = sender ? new SenderRun(options.getHostId(), cmd.name(), p, p.durationMillis() > 0 ? Math.min(cap,
                TimeUnit.MILLISECONDS.toNanos(p.durationMillis() + p.get(ProfileParam.DELAY))) : cap, txHandles, pacing)
                : new ReceiverRun(options.getHostId(), cmd.name(), p, cap, policy, options.getPcapDir(),
                        options.getMaxListenerConnections(), Command.EVERY_HOST.equals(cmd.target()));
        runs.add(run);
        shares.put(run, share);
        return prepare.executeBlocking(() -> {
            run.prepare();
            return run;
        }, false).transform(ar -> {
            quotas.prepared(share);
            if (ar.failed()) {
                run.fail(ar.cause().getMessage());
                quotas.release(shares.remove(run));
                return Future.failedFuture(ar.cause());
            }
            run.launch(r -> context.runOnContext(v -> onEnded(r))); // this verticle's event loop
            return Future.succeededFuture(run.status());
        });
    }

    /** Removes what a forgotten run left on disk (a pcap file). */
    private void forget(Run r) {
        if (r instanceof ReceiverRun && ((ReceiverRun) r).pcapFile() != null) {
            vertx.fileSystem().delete(((ReceiverRun) r).pcapFile().toString());
        }
    }

    private Future<RunStatus> stopRun(Run r) {
        if (!r.live()) {
            return Future.succeededFuture(r.status());
        }
        Promise<RunStatus> p = ending.computeIfAbsent(r, k -> Promise.promise());
        r.stop();
        return p.future();
    }

    private void onEnded(Run r) {
        RunStatus s = r.status();
        counters.ended(r);
        Quotas.Share share = shares.remove(r);
        if (share != null) {
            quotas.release(share);
        }
        Promise<RunStatus> p = ending.remove(r);
        if (p != null) {
            p.complete(s);
        }
    }

    private static ErrorCode codeOf(Throwable t) {
        if (t instanceof AgentException) {
            return ((AgentException) t).code;
        }
        if (t instanceof ValidationException || t instanceof IllegalArgumentException) {
            return ErrorCode.INVALID;
        }
        if (t instanceof Policy.Refusal) {
            return ((Policy.Refusal) t).code();
        }
        if (t instanceof RouteResolver.UnreachableException) {
            return ErrorCode.UNREACHABLE;
        }
        if (t instanceof java.io.IOException || t instanceof org.pcap4j.core.PcapNativeException) {
            return ErrorCode.IO;
        }
        return ErrorCode.INTERNAL;
    }

    /** A refusal with its code. */
    static final class AgentException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient ErrorCode code;

        AgentException(ErrorCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }
}
