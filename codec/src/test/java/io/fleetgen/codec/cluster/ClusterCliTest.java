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
}
