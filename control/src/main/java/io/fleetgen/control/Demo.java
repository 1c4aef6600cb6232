package io.fleetgen.control;

import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.StreamSpec;
import io.fleetgen.codec.cluster.ClusterOptions;
import io.fleetgen.codec.cluster.FleetgenCluster;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The main job: the seed README's three examples (ICMP, UDP to a floating IP, TCP) against a 3-host lab whose
 * agents {@code deploy/demo.sh} has started, printing sent and received for each, then a fleet mesh of the three.
 */
public final class Demo {
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    private Demo() {
    }

    public static void main(String[] args) {
        FleetgenCluster.quietNetty();
        // Only the demo's own output: Hazelcast's and Vert.x's notices (CP subsystem, joins) are not for the user.
        HAZELCAST_LOG.setLevel(Level.SEVERE);
        Logger.getLogger("io.vertx").setLevel(Level.SEVERE);
        // The lab's control credential (deploy/lab.sh up makes it); the lab's agents run with bus TLS off.
        ClusterOptions cluster = new ClusterOptions().setMembers(List.of("198.19.0.1", "198.19.0.2", "198.19.0.3"))
                .setBind("198.19.0.254").setCredentials(args.length > 0 ? args[0] : "deploy/.lab/creds/nodes/control")
                .setBusTls(false);
        int failures = 0;
        try (Fleet fleet = Fleet.join(cluster)) {
            Host h1 = fleet.host("h1");
            Host h2 = fleet.host("h2");
            Host h3 = fleet.host("h3");

            StreamSpec icmp = StreamSpec.fromSeed(Map.of("protocol", "ip", "proto", "icmp", "src", "198.18.0.1",
                    "dst", "198.18.0.2"));
            ProfileSpec icmpProfile = ProfileSpec.builder(ProfileType.CONTINUOUS, icmp).capfilter("icmp").pps(1000)
                    .build();
            failures += continuous(fleet, "icmp", icmpProfile, h1, h2);

            // The floating IP 198.18.0.103 is DNATed to h3's own 198.18.0.3; the receiver listens at the latter.
            StreamSpec udp = StreamSpec.fromSeed(Map.of("protocol", "ip", "proto", "udp", "src", "198.18.0.1",
                    "dst", "198.18.0.103", "dport", 9000));
            ProfileSpec udpProfile = ProfileSpec.builder(ProfileType.CONTINUOUS, udp).listener("198.18.0.3")
                    .capfilter("udp port 9000").build();
            failures += continuous(fleet, "sendudp", udpProfile, h1, h3);

            StreamSpec tcp = StreamSpec.fromSeed(Map.of("protocol", "ip", "proto", "tcp", "src", "198.18.0.1",
                    "dst", "198.18.0.2", "dport", 9000));
            ProfileSpec tcpProfile = ProfileSpec.builder(ProfileType.STANDARD, tcp).count(10_000).build();
            Pair tcpPair = fleet.pair("sendtcp", tcpProfile, h1, h2);
            tcpPair.sender().waitFinished(30);
            tcpPair.receiver().waitFinished(30);
            failures += report("tcp Standard(count=10000)", tcpPair.sender(), tcpPair.receiver());

            // Every host to every other over the data network, 1000 packets at 10 kpps per pair: the N x N matrix.
            StreamSpec net = StreamSpec.fromSeed(Map.of("protocol", "ip", "proto", "udp", "dst", "198.18.0.0",
                    "dport", 8500));
            Mesh mesh = fleet.mesh("mesh", ProfileSpec.builder(ProfileType.STANDARD, net).count(1000).pps(10_000)
                    .build(), List.of(h1, h2, h3), 60);
            System.out.println(mesh);
            failures += mesh.complete() ? 0 : 1;
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    private static int continuous(Fleet fleet, String name, ProfileSpec p, Host from, Host to) {
        Pair pair = fleet.pair(name, p, from, to);
        pair.receiver().waitUntil(x -> x.counters().recv() >= 2000, 30);
        pair.stop();
        Sender s = pair.sender();
        Receiver r = pair.receiver();
        return report(p.stream().proto().keyword() + " " + p.type().seedName() + " " + from + "->" + to + " "
                + p.stream().dstText() + (p.listener() != null ? " listener " + p.listenerText() : ""), s, r);
    }

    private static int report(String what, Sender s, Receiver r) {
        boolean ok = s.sent() == r.recv() && r.corrupt() == 0;
        System.out.printf("%-70s sender.sent=%d sender.recv=%d receiver.recv=%d corrupt=%d %s%n", what, s.sent(),
                s.recv(), r.recv(), r.corrupt(), ok ? "OK" : "MISMATCH");
        return ok ? 0 : 1;
    }
}
