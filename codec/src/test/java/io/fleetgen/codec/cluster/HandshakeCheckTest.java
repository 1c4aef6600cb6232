package io.fleetgen.codec.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.cluster.Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Which claimed member addresses are on a connection's peer: the same IP literal only, never a host name. */
class HandshakeCheckTest {
    @Test
    void onlyTheSameIpLiteralIsThePeersAddress() throws Exception {
        InetAddress peer = InetAddress.getByName("198.19.0.2");
        assertTrue(HandshakeCheck.on(new Address("198.19.0.2", 5701), peer));
        assertTrue(HandshakeCheck.on(new Address("198.19.0.2", 5999), peer), "any port of the peer's own address");
        assertFalse(HandshakeCheck.on(new Address("198.19.0.1", 5701), peer));
        assertFalse(HandshakeCheck.on(new Address("198.19.0.2", 5701), null), "a connection without a peer");
        InetAddress v6 = InetAddress.getByName("2001:2::2");
        assertTrue(HandshakeCheck.on(new Address("2001:2:0:0:0:0:0:2", 5701), v6));
        assertFalse(HandshakeCheck.on(new Address("2001:2::3", 5701), v6));
    }

    @Test
    void aHostNameIsRefusedWithoutALookUp() throws Exception {
        Address named = new Address("localhost", InetAddress.getByName("127.0.0.1"), 5701);
        assertFalse(HandshakeCheck.on(named, InetAddress.getByName("127.0.0.1")),
                "a name would need a look-up on the I/O thread, and may resolve to anything");
    }
}
