package io.fleetgen.agent.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.Counters;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.codec.StreamSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 12: every poll of a live run is one consistent snapshot: a sender's replies (ICMP echo replies, TCP
 * acknowledged segments) never exceed what it sent, no counter goes backwards, and sent moves packet by packet
 * at a paced rate (not in steps of a batch).
 */
@EnabledIfSystemProperty(named = "fleetgen.lab", matches = "true")
class LivePollIT {
    @Test
    void thousandPollsOfLiveIcmpAndTcpSendersAreConsistentSnapshots() throws Exception {
        try (Lab lab = Lab.up(2)) {
            ProfileSpec icmp = ProfileSpec.builder(ProfileType.CONTINUOUS, StreamSpec.fromSeed(Map.of("proto", "icmp",
                    "dst", "198.18.0.2"))).pps(10_000).build();
            ProfileSpec tcp = ProfileSpec.builder(ProfileType.CONTINUOUS, StreamSpec.fromSeed(Map.of("proto", "tcp",
                    "dst", "198.18.0.2", "dport", 9300))).pps(10_000).build();
            lab.start("h2", CommandOp.START_RECEIVER, "tcp", tcp);
            lab.start("h1", CommandOp.START_SENDER, "icmp", icmp);
            lab.start("h1", CommandOp.START_SENDER, "tcp", tcp);
            for (String run : new String[] {"icmp", "tcp"}) {
                RunStatus started = lab.poll("h1", run);
                assertFalse(started.state().isTerminal(), run + " ended: " + started.state() + ", " + started.error());
                Counters last = started.counters();
                List<Long> steps = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    Counters c = lab.poll("h1", run).counters();
                    assertTrue(c.recv() <= c.sent(), run + " poll " + i + ": replies " + c.recv() + " > sent "
                            + c.sent());
                    assertTrue(c.sent() >= last.sent() && c.recv() >= last.recv() && c.sentBytes() >= last
                            .sentBytes(), run + " poll " + i + " went backwards: " + last + " -> " + c);
                    if (c.sent() > last.sent()) {
                        steps.add(c.sent() - last.sent());
                    }
                    last = c;
                }
                // Published per packet, a poll sees the packets since the last one, any number of them however
                // long a poll takes; published per batch, every step would be a multiple of the batch (32).
                long whole = steps.stream().filter(x -> x % 32 == 0).count();
                RunStatus now = lab.poll("h1", run);
                assertTrue(steps.size() >= 100 && whole * 4 < steps.size(), run + ": " + whole + " of "
                        + steps.size() + " steps were whole batches of 32 at 10 kpps: "
                        + steps.subList(0, Math.min(20, steps.size())) + "; now " + now.state() + " " + now.counters()
                        + (now.error() == null ? "" : ", " + now.error()));
            }
            lab.stop("h1", "icmp");
            lab.stop("h1", "tcp");
            lab.stop("h2", "tcp");
        }
    }
}
