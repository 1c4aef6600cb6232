package io.fleetgen.control.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.control.Fleet;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link SecurityIT}'s flood of idle connections to an agent's member port and event bus, from an address that is no
 * member's. Before the limits, every connection accepted held one of the agent's file descriptors: 20,000 to h1's
 * bus in the lab took all it had, and Hazelcast, which could then accept nothing, shut h1's member down while its JVM
 * went on running. Now one address keeps at most --max-peer-connections (16) open to each port.
 */
final class ConnectionFlood {
    private static final String ATTACKER = "198.19.0.249";
    private static final int CONNECTIONS = 60;
    private static final int PER_PEER = 16;

    private ConnectionFlood() {
    }

    static void anAddressKeepsAtMostItsShareOfEachPortOpen(Fleet fleet) throws Exception {
        long pid = ControlLab.agentPid("h1");
        long fdsBefore = fds(pid);
        List<SocketChannel> held = new ArrayList<>();
        ControlLab.asAddress(ATTACKER, () -> {
            try {
                for (int port : new int[] {5701, BusPortAttack.busPort("h1")}) {
                    List<SocketChannel> these = new ArrayList<>();
                    for (int i = 0; i < CONNECTIONS; i++) {
                        SocketChannel s = SocketChannel.open();
                        held.add(s);
                        s.bind(new InetSocketAddress(ATTACKER, 0));
                        s.connect(new InetSocketAddress("198.19.0.1", port));
                        these.add(s);
                    }
                    ControlLab.await("h1 closing all but " + PER_PEER + " of " + CONNECTIONS + " connections to port "
                            + port, 20, () -> open(these) == PER_PEER);
                }
                long grown = fds(pid) - fdsBefore;
                assertTrue(grown <= 2 * PER_PEER + 8, "h1 holds " + grown + " more file descriptors");
                assertTrue(fleet.list(fleet.host("h1")).isEmpty(), "h1 still answers");
            } finally {
                for (SocketChannel s : held) {
                    s.close();
                }
            }
        });
        String log = ControlLab.log("h1");
        for (String port : new String[] {"member port", "event bus"}) {
            assertTrue(log.contains(port + ": a connection from " + ATTACKER + " refused, 16 already open from that "
                    + "address (--max-peer-connections 16)"), log);
        }
        assertFalse(log.contains("Reason: over Fleetgen's connection limit"), "a line per refused connection");
        assertFalse(log.contains("Too many open files"), log);
    }

    /** How many of {@code sockets} h1 has not closed: a read that ends (-1) or is reset is a close. */
    private static int open(List<SocketChannel> sockets) {
        int n = 0;
        ByteBuffer b = ByteBuffer.allocate(64);
        for (SocketChannel s : sockets) {
            try {
                s.configureBlocking(false);
                int r;
                do {
                    b.clear();
                    r = s.read(b);
                } while (r > 0);
                n += r == 0 ? 1 : 0;
            } catch (IOException e) {
                // reset: closed
            }
        }
        return n;
    }

    private static long fds(long pid) throws IOException {
        try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return s.count();
        }
    }
}
