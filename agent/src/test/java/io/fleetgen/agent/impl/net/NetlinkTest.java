package io.fleetgen.agent.impl.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.NetworkInterface;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rtnetlink lookups against this machine's own kernel (no root needed: lookups are unprivileged). */
class NetlinkTest {
    private static final byte[] LOOPBACK = {127, 0, 0, 1};

    @BeforeAll
    static void linux() {
        assertTrue(Netlink.available(), "libc");
    }

    @Test
    void loopbackRouteIsLocalOnLo() throws Exception {
        try (Netlink nl = new Netlink()) {
            Netlink.RouteReply r = nl.route(LOOPBACK);
            assertEquals(2, r.type(), "RTN_LOCAL");
            assertEquals("lo", NetworkInterface.getByIndex(r.ifindex()).getName());
            assertArrayEquals(LOOPBACK, r.prefsrc());
            Netlink.RouteReply r6 = nl.route(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
            assertEquals(2, r6.type(), "RTN_LOCAL for ::1");
        }
    }

    @Test
    void aMissingNeighbourIsEnoent() throws Exception {
        try (Netlink nl = new Netlink()) {
            int lo = NetworkInterface.getByName("lo").getIndex();
            Netlink.KernelError e = assertThrows(Netlink.KernelError.class,
                    () -> nl.neighbour(new byte[] {(byte) 198, 18, (byte) 255, (byte) 254}, lo));
            assertEquals(Netlink.ENOENT, e.errno);
        }
    }

    @Test
    void resolverRefusesALocalRouteNamingIt() {
        RouteResolver.UnreachableException e = assertThrows(RouteResolver.UnreachableException.class,
                () -> RouteResolver.resolve(LOOPBACK));
        assertTrue(e.getMessage().contains("route is local via lo"), e.getMessage());
    }
}
