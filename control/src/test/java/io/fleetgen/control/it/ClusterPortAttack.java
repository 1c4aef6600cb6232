package io.fleetgen.control.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.control.Fleet;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link SecurityIT}'s attack on the Hazelcast port itself, by a process that has no credential and does not even
 * speak the member protocol past its first header: packets that claim far more bytes than they send.
 */
final class ClusterPortAttack {
    private static final long MIB = 1024 * 1024;
    /**
     * The attacker's own address on the management bridge: the control (this JVM, 198.19.0.254) is a member too, and
     * its packets to h1 would share the attacker's budget if both came from one address.
     */
    private static final String ATTACKER = "198.19.0.250";

    private ClusterPortAttack() {
    }

    /**
     * Twelve connections to h1's port 5701, each opening a 1 MiB packet, and three claiming 50 MB: with Hazelcast's
     * own decoder h1 allocated every claimed payload at once (its resident size grew by some 100 MB and its heap ran
     * out). Now a peer address gets twice the largest packet (4 MiB by default) in flight, larger claims are refused,
     * and the other members' connections are not starved.
     */
    static void oversizedPacketsAreRefusedBeforeTheyAreAllocated(Fleet fleet) throws Exception {
        long pid = ControlLab.agentPid("h1");
        long rssBefore = rssKib(pid);
        List<Socket> held = new ArrayList<>();
        ControlLab.asAddress(ATTACKER, () -> {
            try {
                for (int i = 0; i < 12; i++) {
                    held.add(claim(MIB));
                }
                for (int i = 0; i < 3; i++) {
                    held.add(claim(50_000_000));
                }
                String share = "from " + ATTACKER + " already hold 8388608 of 8388608 bytes";
                ControlLab.await("h1 refusing 4 of the 1 MiB packets and the 3 of 50 MB", 10,
                        () -> count(ControlLab.log("h1"), share) == 4
                                && count(ControlLab.log("h1"), "of 50000000 bytes from /" + ATTACKER) == 3);
                int closed = 0;
                for (Socket s : held) {
                    closed += closedByPeer(s) ? 1 : 0;
                }
                assertEquals(7, closed, "connections h1 closed (the other 8 hold its budget for this address)");
                long grown = rssKib(pid) - rssBefore;
                assertTrue(grown < 40 * 1024, "h1's resident size grew by " + grown + " KiB");
                assertTrue(fleet.list(fleet.host("h1")).isEmpty(), "h1 still answers");
                assertTrue(fleet.list(fleet.host("h2")).isEmpty(), "h2 still answers");
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        });
        String log = ControlLab.log("h1");
        assertTrue(log.contains("a member-protocol packet of 50000000 bytes from /" + ATTACKER + ":"), log);
        assertTrue(log.contains("expected at most 4194304 (--max-cluster-packet-kib)"), log);
        assertFalse(log.contains("bytes from /198.19.0.2:") || log.contains("bytes from /198.19.0.254:"),
                "h1 refused a packet of its peer h2 or of the control");
        assertFalse(log.contains("OutOfMemoryError"), "h1 ran out of heap");
    }

    /** A connection to h1's member port that sends the member protocol's id and a header claiming {@code size}. */
    private static Socket claim(long size) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(ATTACKER, 0));
        s.connect(new InetSocketAddress("198.19.0.1", 5701), 5_000);
        ByteBuffer b = ByteBuffer.allocate(14).put("HZC".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .put((byte) 4).putChar((char) 0).putInt(-1).putInt((int) size);
        s.getOutputStream().write(b.array());
        s.getOutputStream().flush();
        return s;
    }

    /**
     * Whether h1 closed the connection (a read ends or is reset) rather than waiting for the payload; what it sent
     * first (its own protocol id, "HZC") is skipped.
     */
    static boolean closedByPeer(Socket s) throws IOException {
        s.setSoTimeout(500);
        try (InputStream in = s.getInputStream()) {
            while (in.read() >= 0) {
                // the protocol id
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    private static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
