import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.Reply;
import io.fleetgen.codec.StreamSpec;
import io.fleetgen.codec.cluster.ClusterOptions;
import io.fleetgen.control.Fleet;
import io.fleetgen.control.FleetResult;
import io.fleetgen.control.Host;
import io.fleetgen.control.Sender;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Control-plane benchmark over the clustered bus, through the public Java API (run by bench/control-plane.sh
 * and bench/broadcast.sh with the control's jar on the class path, as a single source file).
 *
 * <pre>
 * cycles MEMBERS BIND HOST DST CYCLES LANES   start/stop cycles per second, LANES cycles in flight
 * broadcast MEMBERS BIND H1,H2.. DST ROUNDS    one broadcast start per round to those agents: publish to replies
 * scale MEMBERS BIND N DST ROUNDS              the fleet figures at N agents (bench/scale.sh): join, broadcast start,
 *                                              fleet poll, a 12 x 12 mesh, counter events taken, control RSS
 * polls MEMBERS BIND N ROUNDS                  fleet polls of agents h1..hN, one every 500 ms: publish to the last reply
 * hold MEMBERS BIND HOST DST RUNS PPS SECONDS  RUNS paced senders at PPS on HOST for SECONDS (what slow runs cost)
 * mesh MEMBERS BIND N DST ROUNDS               ROUNDS N x N meshes of agents h1..hN (1,000 packets a pair): end to end
 * </pre>
 */
public final class ControlBench {
    private ControlBench() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception e) {
            // The source launcher cannot print every stack trace itself.
            if ((e instanceof io.fleetgen.control.FleetException ? e : e.getCause())
                    instanceof io.fleetgen.control.FleetException f) {
                System.err.println("refused: " + f.code() + ": " + f.getMessage());
            }
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        ClusterOptions o = new ClusterOptions().setMembers(List.of(args[1].split(","))).setBind(args[2])
                .setCredentials("deploy/.lab/creds/nodes/control").setBusTls(false)
                .setMaxNoHeartbeatSeconds(
                        Integer.getInteger("heartbeat", ClusterOptions.DEFAULT_MAX_NO_HEARTBEAT_SECONDS));
        long t0 = System.nanoTime();
        try (Fleet fleet = Fleet.join(o)) {
            if (args[0].equals("scale")) {
                System.out.printf("join %.0f ms%n", (System.nanoTime() - t0) / 1e6);
                scale(fleet, Integer.parseInt(args[3]), args[4], Integer.parseInt(args[5]));
            } else if (args[0].equals("hold")) {
                hold(fleet, args[3], args[4], Integer.parseInt(args[5]), Long.parseLong(args[6]),
                        Long.parseLong(args[7]));
            } else if (args[0].equals("mesh")) {
                meshes(fleet, Integer.parseInt(args[3]), args[4], Integer.parseInt(args[5]));
            } else if (args[0].equals("polls")) {
                polls(fleet, Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            } else if (args[0].equals("cycles")) {
                cycles(fleet, args[3], args[4], Integer.parseInt(args[5]), Integer.parseInt(args[6]));
            } else {
                broadcast(fleet, List.of(args[3].split(",")), args[4], Integer.parseInt(args[5]));
            }
        }
        System.exit(0);
    }

    /**
     * The fleet figures at N agents h1..hN: broadcast start rounds (every agent but h1 sends to h1, whose capture
     * stamps the first packets; the script reads it), fleet poll rounds (publish to every reply), a 12 x 12 mesh, the
     * counter events the control takes while every agent runs, and the control's resident size. One line each.
     */
    private static void scale(Fleet fleet, int n, String dst, int rounds) throws Exception {
        long t0 = System.nanoTime();
        fleet.awaitHosts(n, 300);
        System.out.printf("hosts %d seen after %.0f ms%n", fleet.hosts().size(), (System.nanoTime() - t0) / 1e6);
        List<Host> all = new ArrayList<>();
        List<Host> senders = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            all.add(fleet.host("h" + i));
            if (i > 1) {
                senders.add(fleet.host("h" + i));
            }
        }
        broadcastRounds(fleet, senders, dst, rounds);
        for (int r = 0; r < rounds; r++) {
            long p0 = System.nanoTime();
            FleetResult res = fleet.broadcast(CommandOp.POLL, "b" + r, null, all);
            System.out.printf("poll %d: %d/%d replies after %.1f ms%n", r, res.replies().size(), n,
                    (System.nanoTime() - p0) / 1e6);
        }
        events(fleet, senders, dst);
        if (n >= 12) {
            mesh(fleet, "mesh", all.subList(0, 12), dst);
        }
        System.out.printf("control rss %d KiB%n", rssKib());
    }

    /** ROUNDS meshes of the first N agents, one after the other. */
    private static void meshes(Fleet fleet, int n, String dst, int rounds) throws Exception {
        fleet.awaitHosts(n, 300);
        List<Host> hosts = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            hosts.add(fleet.host("h" + i));
        }
        for (int r = 0; r < rounds; r++) {
            mesh(fleet, "mesh" + r, hosts, dst);
        }
    }

    /** One mesh of those hosts, 1,000 packets a pair at 1 kpps: exact or not, and its end-to-end time. */
    private static void mesh(Fleet fleet, String name, List<Host> hosts, String dst) {
        StreamSpec s = StreamSpec.fromSeed(Map.of("proto", "udp", "dst", dst, "dport", 9000));
        ProfileSpec p = ProfileSpec.builder(ProfileType.STANDARD, s).count(1000).pps(1000).size(18).build();
        long m0 = System.nanoTime();
        io.fleetgen.control.Mesh m = fleet.mesh(name, p, hosts, 60);
        long lost = m.cells().stream().mapToLong(c -> c.sent() - c.recv()).sum();
        long sent = m.cells().stream().mapToLong(io.fleetgen.control.Mesh.Cell::sent).sum();
        long drops = m.cells().stream().mapToLong(c -> c.receiver().counters().drops()).sum();
        System.out.printf("mesh %dx%d: %d pairs, %d sent, %d lost, exact %s, %.1f s end to end (capture drops %d)%n",
                hosts.size(), hosts.size(), m.cells().size(), sent, lost, m.complete(), (System.nanoTime() - m0) / 1e9,
                drops);
        System.out.println("  " + m.timing());
        m.cells().stream().filter(c -> c.sent() != c.recv()).limit(5).forEach(c -> System.out.printf(
                "  %s -> %s: %d sent, %d received, %d dropped by the capture%n", c.from(), c.to(), c.sent(), c.recv(),
                c.receiver().counters().drops()));
    }

    /**
     * Counter events the control takes: every agent but h1 runs up to 30 senders at 2 pps to h1 (so that sending costs
     * nothing); each agent publishes one signed batch of its events a second. Events taken per second over 5 s once
     * every run started, and the largest delay from an agent's snapshot to the control taking it. The runs last up
     * to 180 s (at 32 agents on two cores, starting 30 rounds took longer than the 15 s they used to last) and are
     * stopped after the measurement.
     */
    private static void events(Fleet fleet, List<Host> senders, String dst) throws Exception {
        // At most 450 runs in all (30 on each of 15 agents): 930 at 32 agents on two cores took an agent's
        // heartbeats long enough for it to be declared dead.
        int perAgent = Math.min(30, 450 / senders.size());
        for (int k = 0; k < perAgent; k++) {
            fleet.broadcast(CommandOp.START_SENDER, "ev" + k, profile(dst, 8900 + k, 2, 180_000), senders);
        }
        Thread.sleep(2500);
        long e0 = fleet.aggregator().eventsTaken();
        long r0 = fleet.refusedEvents();
        fleet.aggregator().takeMaxLagNanos();
        fleet.aggregator().takeMaxWaitMillis();
        long t0 = System.nanoTime();
        Thread.sleep(5000);
        double secs = (System.nanoTime() - t0) / 1e9;
        long taken = fleet.aggregator().eventsTaken() - e0;
        // Refused: unsealed, sealed by another host, or older than the control's event window (60 s behind).
        System.out.printf("events %.0f per second taken (%d runs), largest delay %.1f ms (inside the control %d ms),"
                + " %d refused%n", taken / secs, perAgent * senders.size(), fleet.aggregator().takeMaxLagNanos() / 1e6,
                fleet.aggregator().takeMaxWaitMillis(), fleet.refusedEvents() - r0);
        for (int k = 0; k < perAgent; k++) {
            fleet.broadcast(CommandOp.STOP, "ev" + k, null, senders);
        }
    }

    private static long rssKib() throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static ProfileSpec profile(String dst, int dport, long pps, long durationMillis) {
        StreamSpec s = StreamSpec.fromSeed(Map.of("proto", "udp", "dst", dst, "dport", dport));
        return ProfileSpec.builder(ProfileType.CONTINUOUS, s).size(18).pps(pps).durationMillis(durationMillis)
                .build();
    }

    /** Each lane starts a run and stops it, CYCLES / LANES times; the lanes run at once. */
    private static void cycles(Fleet fleet, String hostId, String dst, int cycles, int lanes) throws Exception {
        fleet.awaitHosts(1, 30);
        Host host = fleet.host(hostId);
        ProfileSpec p = profile(dst, 8000, 1000, 10_000);
        for (int warm = 0; warm < 2; warm++) {
            long t0 = System.nanoTime();
            AtomicInteger done = new AtomicInteger();
            List<Future<Void>> all = new ArrayList<>();
            int perLane = cycles / lanes;
            for (int l = 0; l < lanes; l++) {
                all.add(lane(fleet, host, p, "w" + warm + "l" + l + "c", perLane, 0, done));
            }
            Future.all(all).await(120, TimeUnit.SECONDS);
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%s: %d start/stop cycles, %d in flight, %.2f s: %.0f cycles/s%n",
                    warm == 0 ? "warm-up" : "measured", done.get(), lanes, secs, done.get() / secs);
        }
    }

    private static Future<Void> lane(Fleet fleet, Host host, ProfileSpec p, String prefix, int n, int i,
            AtomicInteger done) {
        if (i == n) {
            return Future.succeededFuture();
        }
        Sender s = fleet.sender(prefix + i, p, host);
        return s.startAsync().compose(st -> s.stopAsync()).compose(st -> {
            done.incrementAndGet();
            return lane(fleet, host, p, prefix, n, i + 1, done);
        });
    }

    private static void hold(Fleet fleet, String host, String dst, int runs, long pps, long seconds)
            throws Exception {
        fleet.awaitHosts(1, 120);
        Host h = fleet.host(host);
        for (int k = 0; k < runs; k++) {
            fleet.sender("hold" + k, profile(dst, 9100 + k % 100, pps, seconds * 1000), h).start();
        }
        System.out.printf("hold: %d runs at %d pps on %s for %d s%n", runs, pps, host, seconds);
        Thread.sleep(seconds * 1000 + 2000);
    }

    private static void polls(Fleet fleet, int n, int rounds) throws Exception {
        fleet.awaitHosts(n, 120);
        List<Host> all = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            all.add(fleet.host("h" + i));
        }
        for (int r = 0; r < rounds; r++) {
            long p0 = System.nanoTime();
            FleetResult res = fleet.broadcast(CommandOp.POLL, "p" + r, null, all);
            System.out.printf("poll %d: %d/%d replies after %.1f ms%n", r, res.replies().size(), n,
                    (System.nanoTime() - p0) / 1e6);
            Thread.sleep(500);
        }
    }

    /**
     * One broadcast start per round to the given agents, each sending 2 s at 1 kpps to port 8000 + round (so that
     * a capture tells the rounds apart); prints the control's clock
     * at publish (for the capture timestamps of the first packets) and the time until every agent replied.
     */
    private static void broadcast(Fleet fleet, List<String> ids, String dst, int rounds) throws Exception {
        fleet.awaitHosts(ids.size(), 120);
        List<Host> targets = new ArrayList<>();
        ids.forEach(id -> targets.add(fleet.host(id)));
        broadcastRounds(fleet, targets, dst, rounds);
    }

    private static void broadcastRounds(Fleet fleet, List<Host> targets, String dst, int rounds) throws Exception {
        for (int r = 0; r < rounds; r++) {
            ProfileSpec p = profile(dst, 8000 + r, Long.getLong("rate", 1000), 2000);
            java.time.Instant now = java.time.Instant.now();
            long publishedAtMicros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
            long t0 = System.nanoTime();
            FleetResult res = fleet.broadcast(CommandOp.START_SENDER, "b" + r, p, targets);
            double ms = (System.nanoTime() - t0) / 1e6;
            int ok = 0;
            for (Reply reply : res.replies().values()) {
                ok += reply.ok() ? 1 : 0;
            }
            System.out.printf("round %d published %d us: %d/%d agents started, all replies after %.1f ms%n", r,
                    publishedAtMicros, ok, targets.size(), ms);
            Thread.sleep(Long.getLong("gap", 3000));
        }
    }
}
