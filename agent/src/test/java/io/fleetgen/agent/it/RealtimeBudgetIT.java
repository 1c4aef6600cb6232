package io.fleetgen.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.RunState;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.codec.StreamSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The agent's budget of real-time paced threads ({@code agent --max-realtime-threads}, issue 15): with a budget of
 * one, of three paced runs at 1 kpps exactly one transmit thread runs SCHED_FIFO (read from the kernel), the others
 * as normal threads, and every run still keeps its schedule's count exactly; the slot is given back when its run
 * ends, so a later run gets it. While paced runs are live the agent holds the kernel's CPU latency request at 0 us
 * (read back from the kernel), and withdraws it when the last ends.
 */
@EnabledIfSystemProperty(named = "fleetgen.lab", matches = "true")
class RealtimeBudgetIT {
    private static final int SCHED_FIFO = 1;

    /**
     * Scheduling policy of each of the agent's transmit threads of the runs named (thread name fleetgen-tx-RUN), from
     * /proc/PID/task/TID/stat (field 41).
     */
    private static List<Integer> txPolicies(long pid, List<String> runs) throws Exception {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return tasks.map(t -> {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (!comm.startsWith("fleetgen-tx-") || !runs.contains(comm.substring("fleetgen-tx-".length()))) {
                        return -1;
                    }
                    return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[38]);
                } catch (Exception e) {
                    return -1; // the thread ended meanwhile
                }
            }).filter(p -> p >= 0).toList();
        }
    }

    private static final Path CPU_LATENCY = Path.of("/dev/cpu_dma_latency");

    /** The kernel's CPU latency target now (us): every request in force, combined; 2,000,000,000 with none. */
    private static int cpuLatencyTarget() throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(CPU_LATENCY)).order(ByteOrder.nativeOrder()).getInt();
    }

    /** Whether the process holds the CPU latency request file open. */
    private static boolean holdsCpuLatency(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(CPU_LATENCY);
                } catch (IOException e) {
                    return false; // closed meanwhile
                }
            });
        }
    }

    @Test
    void atMostTheBudgetOfPacedThreadsRunRealTime() throws Exception {
        StreamSpec udp = StreamSpec.fromSeed(Map.of("proto", "udp", "dst", "198.18.0.2", "dport", 9500));
        ProfileSpec p = ProfileSpec.builder(ProfileType.CONTINUOUS, udp).pps(1000).durationMillis(3000).size(32)
                .build();
        try (Lab lab = Lab.up(2, "--max-realtime-threads 1")) {
            long pid = Long.parseLong(Files.readString(Lab.ROOT.resolve("deploy/.lab/h1.pid")).strip());
            for (String run : List.of("a", "b", "c")) {
                lab.start("h1", CommandOp.START_SENDER, run, p);
            }
            for (String run : List.of("a", "b", "c")) {
                lab.pollUntil("h1", run, s -> s.counters().sent() >= 200, 10);
            }
            List<Integer> policies = txPolicies(pid, List.of("a", "b", "c"));
            assertEquals(3, policies.size(), "three transmit threads: " + policies);
            assertEquals(1, policies.stream().filter(x -> x == SCHED_FIFO).count(),
                    "one of them real-time, the budget: " + policies);
            assertTrue(holdsCpuLatency(pid), "the agent asks for prompt wake-ups while paced runs are live");
            assertEquals(0, cpuLatencyTarget(), "the kernel's CPU latency target");
            for (String run : List.of("a", "b", "c")) {
                RunStatus s = lab.pollUntil("h1", run, x -> x.state().isTerminal(), 15);
                assertEquals(RunState.FINISHED, s.state(), s.toString());
                assertEquals(3000, s.counters().sent() + s.counters().skipped() + s.counters().sendErrors(),
                        "pps x duration departures: " + s);
            }
            assertFalse(holdsCpuLatency(pid), "withdrawn when the last paced run ended");
            lab.start("h1", CommandOp.START_SENDER, "d", p);
            lab.pollUntil("h1", "d", s -> s.counters().sent() >= 200, 10);
            assertEquals(List.of(SCHED_FIFO), txPolicies(pid, List.of("d")),
                    "the slot was given back: a later run gets it");
            lab.stop("h1", "d");
        }
    }
}
