package io.fleetgen.codec.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fleetgen.codec.ValidationException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The cluster options as a command line gives them, agent and control alike. */
class ClusterCliTest {
    @Command(name = "t")
    static final class Cmd {
        @Mixin
        ClusterCli cluster = new ClusterCli();
    }

    private static ClusterOptions parse(String... args) {
        Cmd c = new Cmd();
        new CommandLine(c).parseArgs(args);
        return c.cluster.options();
    }

    @Test
    void theHeartbeatTimeoutIsAnOption() {
        String[] base = {"--members", "127.0.0.1", "--bind", "127.0.0.1", "--insecure"};
        assertEquals(ClusterOptions.DEFAULT_MAX_NO_HEARTBEAT_SECONDS, parse(base).getMaxNoHeartbeatSeconds());
        String[] slow = {"--members", "127.0.0.1", "--bind", "127.0.0.1", "--insecure", "--heartbeat-timeout-seconds",
            "15"};
        assertEquals(15, parse(slow).getMaxNoHeartbeatSeconds());
        String[] bad = {"--members", "127.0.0.1", "--bind", "127.0.0.1", "--insecure", "--heartbeat-timeout-seconds",
            "1"};
        ValidationException e = assertThrows(ValidationException.class, () -> parse(bad));
        assertEquals("heartbeat-timeout-seconds: 1 (expected: 2-300)", e.getMessage());
    }

    @Test
    void theConnectionLimitsAreOptionsAndTheTotalHoldsAtLeastOnePeersShare() {
        String[] base = {"--members", "127.0.0.1", "--bind", "127.0.0.1", "--insecure"};
        ClusterOptions o = parse(base);
        assertEquals(16, o.getMaxPeerConnections());
        assertEquals(1024, o.getMaxConnections());
        ClusterOptions set = parse("--members", "127.0.0.1", "--bind", "127.0.0.1", "--insecure",
                "--max-peer-connections", "4", "--max-connections", "64");
        assertEquals(4, set.getMaxPeerConnections());
        assertEquals(64, set.getMaxConnections());
        assertEquals(64, new ClusterOptions(set.toJson()).getMaxConnections(), "through JSON");
        ValidationException e = assertThrows(ValidationException.class, () -> parse("--members", "127.0.0.1",
                "--bind", "127.0.0.1", "--insecure", "--max-peer-connections", "0"));
        assertEquals("max-peer-connections: 0 (expected: 1-4096)", e.getMessage());
        e = assertThrows(ValidationException.class, () -> parse("--members", "127.0.0.1", "--bind", "127.0.0.1",
                "--insecure", "--max-peer-connections", "64", "--max-connections", "32"));
        assertEquals("max-connections: 32 (expected: 16-65536 and at least --max-peer-connections (64))",
                e.getMessage());
    }
}
