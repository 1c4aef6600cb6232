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
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        ClusterOptions o = new ClusterOptions().setMembers(List.of(args[1].split(","))).setBind(args[2])
                .setCredentials("deploy/.lab/creds/nodes/control").setBusTls(false);
        try (Fleet fleet = Fleet.join(o)) {
            if (args[0].equals("cycles")) {
                cycles(fleet, args[3], args[4], Integer.parseInt(args[5]), Integer.parseInt(args[6]));
            } else {
                broadcast(fleet, List.of(args[3].split(",")), args[4], Integer.parseInt(args[5]));
            }
        }
        System.exit(0);
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

    /**
     * One broadcast start per round to the given agents, each sending 2 s at 1 kpps to port 8000 + round (so that
     * a capture tells the rounds apart); prints the control's clock
     * at publish (for the capture timestamps of the first packets) and the time until every agent replied.
     */
    private static void broadcast(Fleet fleet, List<String> ids, String dst, int rounds) throws Exception {
        fleet.awaitHosts(ids.size(), 120);
        List<Host> targets = new ArrayList<>();
        ids.forEach(id -> targets.add(fleet.host(id)));
        for (int r = 0; r < rounds; r++) {
            ProfileSpec p = profile(dst, 8000 + r, 1000, 2000);
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
                    publishedAtMicros, ok, ids.size(), ms);
            Thread.sleep(Long.getLong("gap", 3000));
        }
    }
}
