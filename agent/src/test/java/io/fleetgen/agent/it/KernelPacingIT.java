package io.fleetgen.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.Counters;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.RunState;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.codec.StreamSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 17's kernel-timed departures end to end ({@code agent --kernel-pacing true}): a paced run's frames go
 * through an io_uring the agent holds (its descriptor is there), every departure of {@code pps x duration} is sent
 * or counted skipped and the receiver counts every frame sent; a stop withdraws what is queued and the run ends at
 * once.
 */
@EnabledIfSystemProperty(named = "fleetgen.lab", matches = "true")
class KernelPacingIT {
    private static final StreamSpec UDP = StreamSpec.fromSeed(Map.of("proto", "udp", "dst", "198.18.0.2",
            "dport", 9400));

    private static long ioUrings(long pid) throws Exception {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.filter(f -> {
                try {
                    return Files.readSymbolicLink(f).toString().contains("io_uring");
                } catch (Exception e) {
                    return false;
                }
            }).count();
        }
    }

    @Test
    void pacedRunsLeaveThroughTheKernelsTimersAndCountExactly() throws Exception {
        try (Lab lab = Lab.up(2, "--kernel-pacing true")) {
            long pid = Long.parseLong(Files.readString(Lab.ROOT.resolve("deploy/.lab/h1.pid")).strip());
            ProfileSpec p = ProfileSpec.builder(ProfileType.CONTINUOUS, UDP).pps(5000).durationMillis(2000).size(32)
                    .build();
            lab.start("h2", CommandOp.START_RECEIVER, "k", ProfileSpec.builder(ProfileType.CONTINUOUS, UDP).build());
            lab.start("h1", CommandOp.START_SENDER, "k", p);
            RunStatus sent = lab.pollUntil("h1", "k", s -> s.state().isTerminal(), 20);
            assertEquals(RunState.FINISHED, sent.state(), sent.toString());
            Counters c = sent.counters();
            assertEquals(10_000, c.sent() + c.skipped() + c.sendErrors(), "pps x duration departures: " + c);
            assertTrue(ioUrings(pid) >= 1, "the sending agent holds an io_uring");
            RunStatus got = lab.pollUntil("h2", "k", s -> s.counters().recv() >= c.sent(), 10);
            lab.stop("h2", "k");
            assertEquals(c.sent(), got.counters().recv(), "every frame sent was received: " + got);

            ProfileSpec endless = ProfileSpec.builder(ProfileType.CONTINUOUS, UDP).pps(1000).size(32).build();
            lab.start("h1", CommandOp.START_SENDER, "long", endless);
            lab.pollUntil("h1", "long", s -> s.counters().sent() >= 500, 10);
            long t0 = System.nanoTime();
            lab.stop("h1", "long");
            RunStatus stopped = lab.pollUntil("h1", "long", s -> s.state().isTerminal(), 5);
            assertEquals(RunState.STOPPED, stopped.state(), stopped.toString());
            assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "stopped within 2 s");
            long after = stopped.counters().sent();
            Thread.sleep(300);
            assertEquals(after, lab.poll("h1", "long").counters().sent(), "nothing queued left after the stop");
        }
    }
}
