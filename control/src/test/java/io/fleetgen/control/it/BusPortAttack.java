package io.fleetgen.control.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.control.Fleet;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link SecurityIT}'s attack on an agent's event-bus port with bus TLS off, by a process that has no credential:
 * a message whose length says 2 GiB, then its bytes as fast as the agent takes them. Vert.x collects a message whole
 * before anyone looks at it: before the guard, 93 MiB sent this way left h1's event loop failing with
 * OutOfMemoryError. Now h1 closes the connection at the length, and goes on serving; and messages of the largest
 * size left half sent on many connections hold no more than their address's share.
 */
final class BusPortAttack {
    private static final int CLAIMED = 0x7fff_fff0;
    private static final int CHUNK = 1 << 20;
    /** The largest message a node's bus takes: Fleetgen's 1 MiB and 64 KiB for Vert.x's own fields. */
    private static final int LARGEST = (1 << 20) + 64 * 1024;
    /** Another address of the attacker's, so that its share is not the control's (198.19.0.254). */
    private static final String ATTACKER = "198.19.0.251";
    /** What the attacker may get into h1's socket buffers before the close reaches it (a few MiB at most). */
    private static final int MAX_CHUNKS = 64;

    private BusPortAttack() {
    }

    static void anOversizedMessageClosesTheConnectionAtItsLength(Fleet fleet) throws Exception {
        int port = busPort("h1");
        int written = 0;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("198.19.0.1", port), 5_000);
            OutputStream out = s.getOutputStream();
            out.write(ByteBuffer.allocate(Integer.BYTES).putInt(CLAIMED).array());
            byte[] zeros = new byte[CHUNK];
            try {
                while (written < MAX_CHUNKS) {
                    out.write(zeros);
                    written++;
                }
            } catch (IOException e) {
                // h1 closed it: the writes after the close fail (broken pipe, reset)
            }
        }
        assertTrue(written < MAX_CHUNKS, "h1 took " + written + " MiB of one message before closing (at most "
                + MAX_CHUNKS + " tried)");
        ControlLab.await("h1 logging the closed connection", 10, () -> ControlLab.log("h1")
                .contains("event bus: a connection from /198.19.0.254:"));
        String log = ControlLab.log("h1");
        assertTrue(log.contains("announced a message of " + CLAIMED + " bytes (expected 1 to " + LARGEST + "): closed"),
                log);
        assertFalse(log.contains("OutOfMemoryError"), "h1 ran out of heap");
        assertTrue(fleet.list(fleet.host("h1")).isEmpty(), "h1 still answers");
        manyMessagesHalfSentHoldOnlyTheirAddressesShare(fleet, port);
    }

    /**
     * Four connections from one address, each announcing a message of the largest size and sending 10 bytes of it:
     * an address may have two such messages being collected at once, so h1 closes the other two.
     */
    private static void manyMessagesHalfSentHoldOnlyTheirAddressesShare(Fleet fleet, int port) throws Exception {
        List<Socket> held = new ArrayList<>();
        ControlLab.asAddress(ATTACKER, () -> {
            try {
                for (int i = 0; i < 4; i++) {
                    Socket s = new Socket();
                    held.add(s);
                    s.bind(new InetSocketAddress(ATTACKER, 0));
                    s.connect(new InetSocketAddress("198.19.0.1", port), 5_000);
                    s.getOutputStream().write(ByteBuffer.allocate(Integer.BYTES + 10).putInt(LARGEST).array());
                }
                int closed = 0;
                for (Socket s : held) {
                    closed += ClusterPortAttack.closedByPeer(s) ? 1 : 0;
                }
                assertEquals(2, closed, "connections h1 closed (the other two hold this address's share)");
                assertTrue(fleet.list(fleet.host("h1")).isEmpty(), "h1 still answers the control");
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        });
    }

    /** The port the agent of {@code host} has its event bus on: its JVM's listening socket other than 5701. */
    static int busPort(String host) throws Exception {
        String pid = Files.readString(ControlLab.STATE.resolve(host + ".pid")).strip();
        for (String line : ControlLab.run(List.of("ip", "netns", "exec", "fg-" + host, "ss", "-tlnpH"), null).out
                .split("\n")) {
            if (line.contains("pid=" + pid + ",") && !line.contains(":5701 ")) {
                String local = line.trim().split("\\s+")[3];
                return Integer.parseInt(local.substring(local.lastIndexOf(':') + 1));
            }
        }
        throw new AssertionError("no event-bus port of " + host + " (pid " + pid + ")");
    }
}
