package io.fleetgen.control;

import io.fleetgen.codec.Addresses;
import io.fleetgen.codec.Command;
import io.fleetgen.codec.CounterBatch;
import io.fleetgen.codec.CounterEvent;
import io.fleetgen.codec.Decoded;
import io.fleetgen.codec.Envelope;
import io.fleetgen.codec.HostInfo;
import io.fleetgen.codec.Reply;
import io.fleetgen.codec.WireFormatException;
import io.fleetgen.codec.security.AuthException;
import io.fleetgen.codec.security.Keyring;
import io.fleetgen.codec.security.Opened;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What reaches a control from the fleet, each message checked before it is taken (SPEC §9): agents'
 * announcements (the host directory), their signed counter batches (into the aggregator), the results of
 * fleet-wide commands, and cluster members leaving. Whatever does not prove its sender is counted in
 * {@link #refused()} and dropped. Thread-safe.
 */
final class Inbox {
    /** Counter events further than this from the control's clock at their arrival are refused as stale or forged. */
    static final long EVENT_WINDOW_MILLIS = 60_000;

    final Map<String, HostStatus> hosts = new ConcurrentHashMap<>();
    final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong refusedEvents = new AtomicLong();
    private final Aggregator aggregator;
    private final Keyring keyring;
    private final Courier courier;
    private final Vertx vertx;
    /** Whether a Vert.x node is a member of this control's cluster now. */
    private final java.util.function.Predicate<String> member;

    Inbox(Vertx vertx, Keyring keyring, Courier courier, Aggregator aggregator,
            java.util.function.Predicate<String> member) {
        this.vertx = vertx;
        this.member = member;
        this.keyring = keyring;
        this.courier = courier;
        this.aggregator = aggregator;
    }

    long refused() {
        return refusedEvents.get();
    }

    /** The replies to one fleet-wide command, complete when every expected host answered. */
    static final class Pending {
        final List<String> expected;
        Command command;
        final Map<String, Reply> replies = new LinkedHashMap<>();
        final Promise<Void> all = Promise.promise();

        Pending(List<String> expected) {
            this.expected = expected;
        }

        /** Takes a reply of an expected host that answers this command; returns whether it did. */
        synchronized boolean add(Reply r) {
            if (command == null || !expected.contains(r.host()) || !Arrays.equals(r.inReplyTo(), command.nonce())) {
                return false;
            }
            replies.put(r.host(), r);
            if (replies.keySet().containsAll(expected)) {
                all.tryComplete();
            }
            return true;
        }

        synchronized FleetResult result() {
            List<String> missing = new ArrayList<>(expected);
            missing.removeAll(replies.keySet());
            return new FleetResult(new LinkedHashMap<>(replies), missing);
        }
    }

    void onResult(Message<Object> m) {
        String id = m.headers().get(Addresses.CORRELATION_HEADER);
        Pending p = id == null ? null : pending.get(id);
        if (p == null) {
            return;
        }
        try {
            Opened<Reply> o = Opened.of(keyring, m.body(), Reply.class);
            Reply r = o.value();
            if (!Courier.sealedBy(o, r.host()) || !p.add(r)) {
                refusedEvents.incrementAndGet();
            }
        } catch (WireFormatException | AuthException e) {
            refusedEvents.incrementAndGet();
        }
    }

    /**
     * A sealed batch of one agent's counter events; each event must have been recent when the batch arrived
     * (replays of old ones are not; the time it then waits here for its check does not count against it). A batch
     * with a pair-key code for this control (an agent this control commanded) is checked and taken at once, on the
     * event loop (microseconds); one that only a signature proves (about a millisecond) on a worker, in order, so
     * that replies are not held up behind it. One worker, not as many as batches wait: checking in parallel gained
     * nothing measurable at 32 agents on two vCPUs (docs/SCALE.md), and a flood of forged batches would then take
     * every worker of the control, not one. The aggregator takes events in any order (by their sequence).
     */
    void onCounterEvent(Message<Object> m) {
        long arrived = System.currentTimeMillis();
        if (byCode(m.body())) {
            takeCounters(m.body(), arrived);
            return;
        }
        vertx.executeBlocking(() -> {
            takeCounters(m.body(), arrived);
            return null;
        }, true);
    }

    private boolean byCode(Object body) {
        try {
            return body instanceof Decoded && ((Decoded<?>) body).get() instanceof Envelope e
                    && keyring.opensByCode(e);
        } catch (WireFormatException e) {
            return true; // refused at once, nothing to check
        }
    }

    void takeCounters(Object body, long arrivedMillis) {
        try {
            Opened<CounterBatch> o = Opened.of(keyring, body, CounterBatch.class);
            if (Courier.sealedBy(o, o.value().host())) {
                for (CounterEvent e : o.value().events()) {
                    if (Math.abs(arrivedMillis - e.timeNanos() / 1_000_000L) <= EVENT_WINDOW_MILLIS) {
                        aggregator.onEvent(e, arrivedMillis);
                    } else {
                        refusedEvents.incrementAndGet();
                    }
                }
                return;
            }
        } catch (WireFormatException | AuthException e) {
            // Counted below: nothing unproven reaches the aggregator.
        }
        refusedEvents.incrementAndGet();
    }

    void onAnnounce(Message<Object> m) {
        Opened<HostInfo> o;
        try {
            o = Opened.of(keyring, m.body(), HostInfo.class);
        } catch (WireFormatException | AuthException e) {
            refusedEvents.incrementAndGet();
            return;
        }
        HostInfo info = o.value();
        if (!Courier.sealedBy(o, info.hostId())) {
            refusedEvents.incrementAndGet();
            return;
        }
        // An agent cut off by a partition still reaches this control over the event bus's own connection when the
        // link returns, before its cluster has merged back: alive only once it is a member again (issue 15).
        boolean alive = !info.leaving() && (info.nodeId().isEmpty() || member.test(info.nodeId()));
        HostStatus old = hosts.put(info.hostId(), new HostStatus(info, alive, System.currentTimeMillis(),
                o.sender()));
        if (o.sender() != null && (old == null || old.identity() == null
                || !old.identity().shortFingerprint().equals(o.sender().shortFingerprint()))) {
            // A new agent or credential: the pair key for commands and broadcasts, off the event loop.
            vertx.executeBlocking(() -> {
                keyring.preparePair(o.sender());
                return null;
            }, false);
        }
        if (old != null && !old.info().nodeId().equals(info.nodeId())) {
            courier.forgetRoutes();
        }
        if (info.leaving()) {
            aggregator.onHostLost(info.hostId());
        }
    }

    void onMemberLeft(String address) {
        for (HostStatus h : hosts.values()) {
            if (h.info().managementAddress().equals(address) && h.alive()) {
                hosts.put(h.id(), h.dead());
                aggregator.onHostLost(h.id());
            }
        }
    }
}
