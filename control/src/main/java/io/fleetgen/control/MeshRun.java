package io.fleetgen.control;

import io.fleetgen.codec.CaptureFilters;
import io.fleetgen.codec.ErrorCode;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.codec.StreamSpec;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs a {@link Mesh}: a sender and a receiver per ordered pair of hosts, all receivers started before all
 * senders, every sender waited for (all polled at once), the receivers given a grace second to count the last
 * packets, everything stopped whatever happens.
 */
final class MeshRun {
    private static final long GRACE_MILLIS = 1000;

    private MeshRun() {
    }

    /** Runs a mesh: see the class comment. Blocking, at most about {@code seconds}. */
    static Mesh run(Fleet fleet, String name, ProfileSpec template, List<Host> selection, long seconds) {
        if (!template.type().isFinite()) {
            throw new FleetException(ErrorCode.INVALID, "mesh: profile type " + template.type()
                    + " (expected: a Standard or Burst profile, so that every pair ends by itself)", null);
        }
        List<String> ids = new ArrayList<>();
        selection.forEach(h -> ids.add(h.id()));
        if (ids.isEmpty()) {
            fleet.hosts().stream().filter(HostStatus::alive).forEach(h -> ids.add(h.id()));
        }
        if (ids.size() < 2) {
            throw new FleetException(ErrorCode.INVALID, "mesh: hosts " + ids + " (expected: at least two)", null);
        }
        StreamSpec t = template.stream();
        Map<String, String> address = new LinkedHashMap<>();
        for (String id : ids) {
            address.put(id, fleet.addressIn("mesh", id, t.dst(), t.dstText()));
        }
        Map<String, Pair> pairs = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            for (String to : ids) {
                String from = ids.get(i);
                if (!from.equals(to)) {
                    ProfileSpec p = pairProfile(template, address.get(from), address.get(to), i);
                    String run = name + "-" + from + "-" + to;
                    pairs.put(from + ">" + to, new Pair(fleet.sender(run, p, new Host(from)),
                            fleet.receiver(run, p, new Host(to))));
                }
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long[] at = new long[6];
        at[0] = System.nanoTime();
        try {
            startAll(pairs, Pair::receiver);
            at[1] = System.nanoTime();
            startAll(pairs, Pair::sender);
            at[2] = System.nanoTime();
            List<Endpoint> live = awaitEnded(side(pairs, Pair::sender), deadline);
            if (!live.isEmpty()) {
                throw new FleetException(ErrorCode.INTERNAL, "mesh: " + live.size() + " senders not done in "
                        + seconds + " s, such as " + live.get(0).name() + ": " + live.get(0).status(), null);
            }
            at[3] = System.nanoTime();
            awaitEnded(side(pairs, Pair::receiver), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS));
            at[4] = System.nanoTime();
        } finally {
            stopAll(pairs);
        }
        at[5] = System.nanoTime();
        Map<String, Mesh.Cell> cells = new LinkedHashMap<>();
        pairs.forEach((key, e) -> cells.put(key, new Mesh.Cell(e.sender().host().id(), e.receiver().host().id(),
                e.sender().status(), e.receiver().status())));
        return new Mesh(name, ids, cells, new Mesh.Timing(millis(at, 1), millis(at, 2), millis(at, 3), millis(at, 4),
                millis(at, 5)));
    }

    /** Milliseconds from the instant before {@code i} to {@code i}. */
    private static long millis(long[] at, int i) {
        return TimeUnit.NANOSECONDS.toMillis(at[i] - at[i - 1]);
    }

    private static List<Endpoint> side(Map<String, Pair> pairs, Function<Pair, Endpoint> side) {
        List<Endpoint> out = new ArrayList<>();
        pairs.values().forEach(e -> out.add(side.apply(e)));
        return out;
    }

    /**
     * Polls every one of those runs at once, again and again (20 ms apart, then up to 250), until each has ended or
     * {@code until} has passed; returns those still live. One at a time, the 132 senders of a 12 x 12 mesh took 1-3
     * s of round trips on a loaded lab after the last one had ended. A run whose agent does not answer (rejoining
     * after a partition, say) is polled again; any other failure ends the wait.
     */
    private static List<Endpoint> awaitEnded(List<Endpoint> runs, long until) {
        List<Endpoint> live = new ArrayList<>(runs);
        long pause = 20;
        while (true) {
            List<Future<RunStatus>> fs = new ArrayList<>();
            live.forEach(e -> fs.add(e.pollAsync()));
            Fleet.await(Future.join(fs).recover(err -> Future.succeededFuture()));
            for (int i = fs.size() - 1; i >= 0; i--) {
                if (ended(fs.get(i))) {
                    live.remove(i);
                }
            }
            if (live.isEmpty() || System.nanoTime() >= until) {
                return live;
            }
            Fleet.sleep(pause);
            pause = Math.min(250, pause * 3 / 2);
        }
    }

    /** Whether a completed poll says its run ended; false when its agent did not answer, thrown otherwise. */
    private static boolean ended(Future<RunStatus> poll) {
        try {
            return Fleet.await(poll).state().isTerminal();
        } catch (FleetException e) {
            if (e.code() != ErrorCode.UNREACHABLE) {
                throw e;
            }
            return false;
        }
    }

    /** Starts one side of every pair (all receivers, or all senders) at once and waits for all. */
    private static void startAll(Map<String, Pair> pairs, Function<Pair, Endpoint> side) {
        List<Future<RunStatus>> fs = new ArrayList<>();
        side(pairs, side).forEach(e -> fs.add(e.startAsync()));
        Fleet.await(Future.all(fs));
    }

    private static void stopAll(Map<String, Pair> pairs) {
        List<Future<RunStatus>> fs = new ArrayList<>();
        for (Pair e : pairs.values()) {
            fs.add(e.sender().stopAsync().recover(err -> Future.succeededFuture()));
            fs.add(e.receiver().stopAsync().recover(err -> Future.succeededFuture()));
        }
        Fleet.await(Future.join(fs).recover(err -> Future.succeededFuture()));
    }

    /** The template for the pair from the i-th host: its addresses, and for UDP/TCP its own port. */
    private static ProfileSpec pairProfile(ProfileSpec template, String from, String to, int i) {
        StreamSpec t = template.stream();
        StreamSpec.Builder s = t.toBuilder().src(from).dst(to);
        int port = t.proto().hasPorts() ? t.dport() + i : 0;
        if (t.proto().hasPorts()) {
            if (port > 65535) {
                throw new FleetException(ErrorCode.INVALID, "mesh: dport " + t.dport() + " (expected: at most "
                        + (65535 - i) + " for " + (i + 1) + " hosts: each sender uses dport + its index)", null);
            }
            s.set("dport", port);
        }
        return template.toBuilder(s.build()).capfilter(CaptureFilters.fromHost(t, port, from)).listener(to).build();
    }
}
