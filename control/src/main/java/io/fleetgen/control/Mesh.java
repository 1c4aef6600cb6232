package io.fleetgen.control;

import io.fleetgen.codec.ErrorCode;
import io.fleetgen.codec.L4Proto;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.codec.StreamSpec;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A fleet mesh run (SPEC §7): every selected host sends the profile's packets to every other one, each pair
 * counted by its own receiver, and the result is the N×N matrix of sent, received, loss and latency: a
 * reachability test of a whole network in one command.
 *
 * <p>The profile is a template: finite (Standard or Burst), its stream's {@code dst} names the network to test
 * (any address in it); each host's own address in that network is found in what its agent announced. The pair
 * from the i-th host sends from that address to the other's, to port {@code dport + i} for UDP and TCP, so that
 * each receiver (named {@code NAME-FROM-TO}) has its own listening socket; ICMP receivers filter on the source.
 */
public final class Mesh {
    private static final long GRACE_MILLIS = 1000;

    /** One ordered pair's final counters. */
    public record Cell(String from, String to, RunStatus sender, RunStatus receiver) {
        public long sent() {
            return sender.counters().sent();
        }

        public long recv() {
            return receiver.counters().recv();
        }

        /** Lost packets as a percentage of those sent; 0 when none were sent. */
        public double lossPercent() {
            return sent() == 0 ? 0 : 100.0 * (sent() - Math.min(recv(), sent())) / sent();
        }
    }

    private final String name;
    private final List<String> hosts;
    private final Map<String, Cell> cells;

    Mesh(String name, List<String> hosts, Map<String, Cell> cells) {
        this.name = name;
        this.hosts = List.copyOf(hosts);
        this.cells = cells;
    }

    public String name() {
        return name;
    }

    /** The hosts, in matrix order. */
    public List<String> hosts() {
        return hosts;
    }

    /** The pair from {@code from} to {@code to}, or {@code null} on the diagonal. */
    public Cell cell(String from, String to) {
        return cells.get(from + ">" + to);
    }

    /** Every pair, row by row. */
    public List<Cell> cells() {
        return new ArrayList<>(cells.values());
    }

    /** Whether every pair received everything it sent. */
    public boolean complete() {
        return cells.values().stream().allMatch(c -> c.sent() > 0 && c.recv() == c.sent());
    }

    /** The matrix: rows send, columns receive; each cell {@code recv/sent loss% avg-latency}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("mesh " + name + ": received/sent, loss, mean one-way latency; rows send,"
                + " columns receive\n");
        StringBuilder line = new StringBuilder(String.format("%-8s", "from\\to"));
        hosts.forEach(h -> line.append(String.format(" %-26s", h)));
        b.append(line.toString().stripTrailing()).append('\n');
        for (String from : hosts) {
            line.setLength(0);
            line.append(String.format("%-8s", from));
            for (String to : hosts) {
                Cell c = cell(from, to);
                String text = c == null ? "-" : String.format(java.util.Locale.ROOT, "%d/%d %.1f%% %s", c.recv(),
                        c.sent(), c.lossPercent(), c.receiver().counters().latencySamples() == 0 ? ""
                        : String.format(java.util.Locale.ROOT, "%.0fus",
                        c.receiver().counters().latencyAvgNanos() / 1e3));
                line.append(String.format(" %-26s", text.strip()));
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString().stripTrailing();
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
        Map<String, Endpoint[]> pairs = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            for (String to : ids) {
                String from = ids.get(i);
                if (!from.equals(to)) {
                    ProfileSpec p = pairProfile(template, address.get(from), address.get(to), i);
                    String run = name + "-" + from + "-" + to;
                    pairs.put(from + ">" + to, new Endpoint[] {fleet.sender(run, p, new Host(from)),
                        fleet.receiver(run, p, new Host(to))});
                }
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try {
            startAll(pairs, 1);
            startAll(pairs, 0);
            for (Endpoint[] e : pairs.values()) {
                e[0].waitFinished(remaining(deadline));
            }
            long graceEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
            for (Endpoint[] e : pairs.values()) {
                while (!e[1].poll().state().isTerminal() && System.nanoTime() < graceEnd) {
                    Fleet.sleep(20);
                }
            }
        } finally {
            stopAll(pairs);
        }
        Map<String, Cell> cells = new LinkedHashMap<>();
        pairs.forEach((key, e) -> cells.put(key, new Cell(e[0].host().id(), e[1].host().id(), e[0].status(),
                e[1].status())));
        return new Mesh(name, ids, cells);
    }

    private static long remaining(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime()));
    }

    /** Starts every pair's receivers (role 1) or senders (role 0) at once and waits for all. */
    private static void startAll(Map<String, Endpoint[]> pairs, int role) {
        List<Future<RunStatus>> fs = new ArrayList<>();
        pairs.values().forEach(e -> fs.add(e[role].startAsync()));
        Fleet.await(Future.all(fs));
    }

    private static void stopAll(Map<String, Endpoint[]> pairs) {
        List<Future<RunStatus>> fs = new ArrayList<>();
        for (Endpoint[] e : pairs.values()) {
            for (Endpoint x : e) {
                fs.add(x.stopAsync().recover(err -> Future.succeededFuture()));
            }
        }
        Fleet.await(Future.join(fs).recover(err -> Future.succeededFuture()));
    }

    /** The template for the pair from the i-th host: its addresses, and for UDP/TCP its own port. */
    private static ProfileSpec pairProfile(ProfileSpec template, String from, String to, int i) {
        StreamSpec t = template.stream();
        StreamSpec.Builder s = t.toBuilder().src(from).dst(to);
        String filter;
        if (t.proto().hasPorts()) {
            int port = t.dport() + i;
            if (port > 65535) {
                throw new FleetException(ErrorCode.INVALID, "mesh: dport " + t.dport() + " (expected: at most "
                        + (65535 - i) + " for " + (i + 1) + " hosts: each sender uses dport + its index)", null);
            }
            s.set("dport", port);
            filter = (t.proto() == L4Proto.TCP ? "tcp" : "udp") + " dst port " + port + " and src host " + from;
        } else {
            filter = (t.ipVersion() == 4 ? "icmp" : "icmp6") + " and src host " + from;
        }
        return template.toBuilder(s.build()).capfilter(filter).listener(to).build();
    }
}
