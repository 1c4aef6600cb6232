package io.fleetgen.agent.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.L4Proto;
import io.fleetgen.codec.StreamField;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.IcmpV4CommonPacket;
import org.pcap4j.packet.IcmpV6CommonPacket;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.IpV6Packet;
import org.pcap4j.packet.Packet;
import org.pcap4j.packet.TcpPacket;
import org.pcap4j.packet.UdpPacket;

/**
 * Patching in place keeps every automatic checksum right, as pcap4j's decoder (an independent implementation)
 * judges it, and leaves user-forced checksums as set.
 */
class FramePatchTest {

    static List<Golden> cases() throws IOException {
        return Golden.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void patchedFramesKeepValidChecksums(Golden g) throws Exception {
        FrameTemplate t = g.compile(true);
        byte[] before = t.frame().clone();
        for (int i = 1; i <= 300; i++) {
            t.setSourcePort(40000 + i * 77);
            t.setIpId(i * 211);
            t.setIcmpSeq(i * 13);
            t.setTcp(0xFFFF_FFF0L + i, i * 1000L, 0x18);
            t.setSignature(Long.MAX_VALUE - i * 7919L, System.nanoTime());
            assertChecksums(g, t.frame());
        }
        if (g.stream.proto() == L4Proto.UDP && !g.stream.isSet(StreamField.UDP_CHKSUM)) {
            assertEquals(40000 + 300 * 77, Checksums.u16(t.frame(), t.layout().l4()));
        }
        assertEquals(before.length, t.frame().length);
    }

    /** Issue 14: the fields a range varies (addresses, destination port, TTL, DSCP) keep every checksum right. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rangedFieldsKeepValidChecksums(Golden g) throws Exception {
        FrameTemplate t = g.compile(true);
        boolean v4 = t.layout().ipVersion() == 4;
        for (int i = 0; i < 300; i++) {
            if (v4) {
                t.setAddress4(true, 0xC6120000 + i * 7);
                t.setAddress4(false, 0xC6130000 - i * 65_539);
            } else {
                t.setAddress6(true, 0x2001_0002_0000_0000L + i, -1L - i * 0x1_0001L);
                t.setAddress6(false, 0x2001_0002_0000_0001L, 0xFFFF_FFFF_FFFF_FF00L + i);
            }
            t.setDestPort(9000 + i * 3);
            t.setTtl(i & 0xFF);
            t.setDscp(i & 0x3F);
            t.setSignature(i, System.nanoTime());
            assertChecksums(g, t.frame());
        }
        Packet eth = EthernetPacket.newPacket(t.frame(), 0, t.frame().length);
        if (v4) {
            IpV4Packet.IpV4Header h = eth.get(IpV4Packet.class).getHeader();
            assertEquals("198.18." + (299 * 7 >> 8) + "." + (299 * 7 & 0xFF), h.getSrcAddr().getHostAddress());
            assertEquals(299 & 0xFF, h.getTtlAsInt());
            assertEquals(299 & 0x3F, (h.getTos().value() & 0xFF) >> 2);
        } else {
            IpV6Packet.IpV6Header h = eth.get(IpV6Packet.class).getHeader();
            assertEquals(299 & 0xFF, h.getHopLimitAsInt());
            assertEquals(299 & 0x3F, (h.getTrafficClass().value() & 0xFF) >> 2);
            assertEquals("2001:2:0:12b:ffff:ffff:fed4:fed4", h.getSrcAddr().getHostAddress());
        }
    }

    private static void assertChecksums(Golden g, byte[] frame) throws Exception {
        Packet eth = EthernetPacket.newPacket(frame, 0, frame.length);
        boolean ipForced = g.stream.isSet(StreamField.IP_CHKSUM) || g.stream.isSet(StreamField.IP_LEN);
        boolean l4Forced = g.stream.isSet(StreamField.UDP_CHKSUM) || g.stream.isSet(StreamField.TCP_CHKSUM)
                || g.stream.isSet(StreamField.ICMP_CHKSUM) || g.stream.isSet(StreamField.UDP_LEN)
                || g.stream.isSet(StreamField.IP_LEN) || g.stream.isSet(StreamField.IP_FRAG);
        IpV4Packet v4 = eth.get(IpV4Packet.class);
        IpV6Packet v6 = eth.get(IpV6Packet.class);
        InetAddress src = v4 != null ? v4.getHeader().getSrcAddr() : v6.getHeader().getSrcAddr();
        InetAddress dst = v4 != null ? v4.getHeader().getDstAddr() : v6.getHeader().getDstAddr();
        if (v4 != null && !ipForced) {
            assertTrue(v4.getHeader().hasValidChecksum(false), g.name + " IPv4 header checksum");
        }
        if (l4Forced) {
            return;
        }
        UdpPacket udp = eth.get(UdpPacket.class);
        TcpPacket tcp = eth.get(TcpPacket.class);
        IcmpV4CommonPacket icmp = eth.get(IcmpV4CommonPacket.class);
        IcmpV6CommonPacket icmp6 = eth.get(IcmpV6CommonPacket.class);
        if (udp != null) {
            assertTrue(udp.hasValidChecksum(src, dst, false), g.name + " UDP checksum");
        } else if (tcp != null) {
            assertTrue(tcp.hasValidChecksum(src, dst, false), g.name + " TCP checksum");
        } else if (icmp != null) {
            assertTrue(icmp.hasValidChecksum(false), g.name + " ICMP checksum");
        } else {
            assertTrue(icmp6.hasValidChecksum((Inet6Address) src, (Inet6Address) dst, false), g.name + " ICMPv6");
        }
        assertTrue(src instanceof Inet4Address || src instanceof Inet6Address);
    }
}
