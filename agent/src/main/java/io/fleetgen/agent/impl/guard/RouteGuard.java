package io.fleetgen.agent.impl.guard;

import com.hazelcast.core.EntryAdapter;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.EntryEventType;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.MapEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.multimap.MultiMap;
import io.fleetgen.codec.cluster.FleetgenNode;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.spi.cluster.hazelcast.impl.HazelcastNodeInfo;
import io.vertx.spi.cluster.hazelcast.impl.HazelcastRegistrationInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Keeps this agent reachable where the cluster's routing maps could be altered by anyone on the management
 * network (Hazelcast's open-source membership is unauthenticated, issue 10): Vert.x's subscription multimap
 * ({@value #SUBS}) says which nodes consume an address, its node map ({@value #NODES}) where a node's event bus
 * listens. Each {@link #check()} removes foreign subscriptions to this agent's own addresses, puts back its own
 * when they are missing, and restores its node entry when it is missing or altered; each repair is reported.
 * Blocking (Hazelcast calls): run it on a worker thread.
 */
public final class RouteGuard {
    static final String SUBS = "__vertx.subs";
    static final String NODES = "__vertx.nodeInfo";
    /**
     * Shared addresses are read in full (every agent's entry, to report unreadable ones) once in this many checks;
     * in between only those whose entry for this agent the map said was removed.
     */
    static final int SHARED_SCAN_EVERY = 15;

    private final FleetgenNode node;
    private final List<String> exclusive;
    private final List<String> shared;
    private final Consumer<String> report;
    private final Map<String, List<HazelcastRegistrationInfo>> own = new HashMap<>();
    private final AtomicLong checks = new AtomicLong();
    /** Shared addresses from which the map said an entry of this agent (or one unreadable) was removed. */
    private final Set<String> suspect = ConcurrentHashMap.newKeySet();
    /** The registrations of {@link Removals}, made again after a merge (set when one happened). */
    private final List<UUID> listeners = new ArrayList<>();
    private final AtomicBoolean rewatch = new AtomicBoolean();

    /**
     * @param exclusive addresses only this agent may consume (its request address)
     * @param shared addresses every agent consumes (broadcast, discovery): only this agent's presence is checked, when
     *     the map said an entry of it was removed and once in {@value #SHARED_SCAN_EVERY} checks
     * @param report where each repair is described
     */
    public RouteGuard(FleetgenNode node, List<String> exclusive, List<String> shared, Consumer<String> report) {
        this.node = node;
        this.exclusive = List.copyOf(exclusive);
        this.shared = List.copyOf(shared);
        this.report = report;
    }

    /**
     * Runs {@code then} each time this member merges back into the cluster after a partition: the merged cluster's
     * maps lack this agent's subscriptions (the others cleaned them when it left), so the caller repairs them at
     * once ({@link #check()}) rather than at the next periodic check, then announces itself.
     */
    public void onMerged(Runnable then) {
        hazelcast().getLifecycleService().addLifecycleListener(e -> {
            if (e.getState() == com.hazelcast.core.LifecycleEvent.LifecycleState.MERGED) {
                suspect.addAll(shared);
                rewatch.set(true);
                then.run();
            }
        });
    }

    /** Remembers this agent's own subscriptions, as registered at start, to put them back later. */
    public void remember() {
        MultiMap<String, HazelcastRegistrationInfo> subs = hazelcast().getMultiMap(SUBS);
        for (String a : addresses()) {
            List<HazelcastRegistrationInfo> mine = new ArrayList<>();
            for (HazelcastRegistrationInfo r : subs.get(a)) {
                if (r.unwrap().nodeId().equals(node.nodeId())) {
                    mine.add(r);
                }
            }
            own.put(a, mine);
        }
        watch(subs);
    }

    private synchronized void watch(MultiMap<String, HazelcastRegistrationInfo> subs) {
        for (UUID id : listeners) {
            try {
                subs.removeEntryListener(id);
            } catch (RuntimeException e) {
                // Gone with the cluster this member left: nothing to remove.
            }
        }
        listeners.clear();
        for (String a : shared) {
            listeners.add(subs.addEntryListener(new Removals(a), a, true));
        }
    }

    /**
     * Marks a shared address suspect when the map removes this agent's entry from it (or an entry it cannot read, or
     * every entry). An event, not a look-up on every check: Hazelcast's {@code MultiMap.containsEntry} runs on
     * every partition of every member, so asking it every 2 s cost each member one such operation per agent and
     * address (N^2 across the fleet), and reading the entry moves every agent's registration (N^2 bytes).
     */
    private final class Removals extends EntryAdapter<String, HazelcastRegistrationInfo> {
        private final String address;

        Removals(String address) {
            this.address = address;
        }

        @Override
        public void onEntryEvent(EntryEvent<String, HazelcastRegistrationInfo> e) {
            if (e.getEventType() != EntryEventType.ADDED && e.getEventType() != EntryEventType.UPDATED && ours(e)) {
                suspect.add(address);
            }
        }

        @Override
        public void onMapEvent(MapEvent e) {
            suspect.add(address);
        }

        private boolean ours(EntryEvent<String, HazelcastRegistrationInfo> e) {
            try {
                HazelcastRegistrationInfo old = e.getOldValue();
                return old == null || old.unwrap().nodeId().equals(node.nodeId());
            } catch (RuntimeException x) {
                return true; // unreadable: the check reports it
            }
        }
    }

    /** Checks and repairs once; returns the number of repairs. */
    public int check() {
        int repairs = 0;
        MultiMap<String, HazelcastRegistrationInfo> subs = hazelcast().getMultiMap(SUBS);
        boolean fullScan = checks.getAndIncrement() % SHARED_SCAN_EVERY == 0;
        if (rewatch.getAndSet(false)) {
            watch(subs);
        }
        for (String a : exclusive) {
            repairs += checkAddress(subs, a, true);
        }
        for (String a : shared) {
            if (suspect.remove(a) || fullScan) {
                repairs += checkAddress(subs, a, false);
            }
        }
        IMap<String, HazelcastNodeInfo> nodes = hazelcast().getMap(NODES);
        NodeInfo mine = node.cluster().getNodeInfo();
        NodeInfo stored;
        try {
            HazelcastNodeInfo h = nodes.get(node.nodeId());
            stored = h == null ? null : h.unwrap();
        } catch (RuntimeException e) {
            stored = null;
        }
        if (mine != null && !mine.equals(stored)) {
            nodes.put(node.nodeId(), new HazelcastNodeInfo(mine));
            report.accept("tampering: this node's entry in " + NODES + " was " + (stored == null ? "missing or "
                    + "unreadable" : stored.host() + ":" + stored.port()) + "; restored " + mine.host() + ":"
                    + mine.port());
            repairs++;
        }
        return repairs;
    }

    private int checkAddress(MultiMap<String, HazelcastRegistrationInfo> subs, String a, boolean exclusiveAddress) {
        int repairs = 0;
        Collection<HazelcastRegistrationInfo> now;
        try {
            now = subs.get(a);
        } catch (RuntimeException e) {
            // A value this node may not deserialize (the filter refused it): drop the whole entry of an exclusive
            // address and put ours back; on a shared address only report it.
            report.accept("tampering: an unreadable subscription to " + a + " (" + e.getClass().getSimpleName()
                    + ")" + (exclusiveAddress ? "; removed" : ""));
            if (exclusiveAddress) {
                subs.remove(a);
            }
            now = List.of();
            repairs++;
        }
        boolean present = false;
        for (HazelcastRegistrationInfo r : now) {
            RegistrationInfo info = r.unwrap();
            if (info.nodeId().equals(node.nodeId())) {
                present = true;
            } else if (exclusiveAddress) {
                subs.remove(a, r);
                report.accept("tampering: removed node " + info.nodeId() + "'s subscription to " + a);
                repairs++;
            }
        }
        if (!present) {
            for (HazelcastRegistrationInfo r : own.getOrDefault(a, List.of())) {
                subs.put(a, r);
            }
            report.accept("tampering: this agent's subscription to " + a + " was missing; restored");
            repairs++;
        }
        return repairs;
    }

    private List<String> addresses() {
        List<String> all = new ArrayList<>(exclusive);
        all.addAll(shared);
        return all;
    }

    private HazelcastInstance hazelcast() {
        return node.cluster().getHazelcastInstance();
    }
}
