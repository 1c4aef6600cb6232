package io.fleetgen.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** {@code deploy/lab.sh}: addresses, reachability over the data bridge, no route out, clean teardown. */
@EnabledIfSystemProperty(named = "fleetgen.lab", matches = "true")
class LabScriptIT {
    private static final String LAB = Lab.ROOT.resolve("deploy/lab.sh").toString();

    @Test
    void upBuildsThreeHostsThatReachEachOtherAndNothingElse() throws Exception {
        Lab.sh(LAB, "down");
        String out = Lab.sh(LAB, "up", "3");
        try {
            assertTrue(out.contains("lab: host h3  netns fg-h3  mgmt0 198.19.0.3/24  data0 198.18.0.3/24 2001:2::3/64"),
                    out);
            for (int i = 1; i <= 3; i++) {
                String addrs = Lab.inHost(i, "ip", "-brief", "addr", "show");
                assertTrue(addrs.contains("198.19.0." + i + "/24"), addrs);
                assertTrue(addrs.contains("198.18.0." + i + "/24"), addrs);
                assertTrue(addrs.contains("2001:2::" + i + "/64"), addrs);
                assertTrue(addrs.matches("(?s).*lo\\s+UNKNOWN.*"), "loopback up: " + addrs);
                assertEquals("", Lab.inHost(i, "ip", "route", "show", "default").trim());
                assertEquals("", Lab.inHost(i, "ip", "-6", "route", "show", "default").trim());
            }
            // Nothing routes out of the lab (a lookup only: no packet is sent).
            IOException noRoute = assertThrows(IOException.class,
                () -> Lab.inHost(1, "ip", "route", "get", "192.0.2.1"));
            assertTrue(noRoute.getMessage().contains("unreachable"), noRoute.getMessage());
            // A UDP datagram from a socket in h1 reaches a socket in h2 over the data bridge.
            Process rx = new ProcessBuilder("ip", "netns", "exec", "fg-h2", "python3", "-c",
                    "import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(('198.18.0.2',7001));"
                    + "s.settimeout(10);print(s.recvfrom(100)[0].decode())").start();
            String got = null;
            for (int attempt = 0; attempt < 50 && got == null; attempt++) {
                Lab.inHost(1, "python3", "-c", "import socket;socket.socket(socket.AF_INET,socket.SOCK_DGRAM)"
                        + ".sendto(b'fleetgen-lab',('198.18.0.2',7001))");
                if (rx.waitFor(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    got = new String(rx.getInputStream().readAllBytes()).trim();
                }
            }
            assertEquals("fleetgen-lab", got);
        } finally {
            Lab.sh(LAB, "down");
        }
        assertFalse(Lab.sh("ip", "netns", "list").contains("fg-h"), "no namespace left");
        assertFalse(Lab.sh("ip", "-o", "link", "show").matches("(?s).*\\bfg-(mgmt|data|m\\d|d\\d).*"),
                "no link or bridge left");
    }
}
