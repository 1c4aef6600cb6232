package io.fleetgen.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamSpecTest {

    private static Map<String, Object> seed(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static void assertRefused(String field, String valueText, String expected, Map<String, Object> m) {
        ValidationException e = assertThrows(ValidationException.class, () -> StreamSpec.fromSeed(m));
        assertEquals(field, e.field());
        assertTrue(e.getMessage().startsWith(field + ": " + valueText), e.getMessage());
        assertTrue(e.getMessage().contains("(expected: " + expected), e.getMessage());
    }

    @Test
    void parsesTheSeedReadmeUdpStreamWithStringPort() {
        StreamSpec s = StreamSpec.fromSeed(seed("protocol", "ip", "proto", "udp", "dport", "8000",
                "src", "198.18.0.1", "dst", "198.18.0.2"));
        assertEquals(4, s.ipVersion());
        assertEquals(L4Proto.UDP, s.proto());
        assertEquals(8000, s.dport());
        assertEquals(StreamSpec.DEFAULT_SPORT, s.sport());
        assertArrayEquals(new byte[] {(byte) 198, 18, 0, 1}, s.src());
        assertEquals("198.18.0.2", s.dstText());
    }

    @Test
    void choosesIpv6FromDstAndMapsIcmpToIcmpv6() {
        StreamSpec s = StreamSpec.fromSeed(seed("proto", "icmp", "dst", "2001:2::2"));
        assertEquals(6, s.ipVersion());
        assertEquals(L4Proto.ICMPV6, s.proto());
    }

    @Test
    void acceptsTtlAsHopLimitAliasOnIpv6() {
        StreamSpec s = StreamSpec.fromSeed(seed("proto", "udp", "dst", "2001:2::2", "ttl", 7));
        assertEquals(7, s.get(StreamField.IP6_HLIM, -1));
        assertFalse(s.isSet(StreamField.IP_TTL));
    }

    @Test
    void setsPlainIdInIpAndIcmpHeadersAsTheSeedDoes() {
        StreamSpec s = StreamSpec.fromSeed(seed("proto", "icmp", "dst", "198.18.0.2", "id", 77));
        assertEquals(77, s.get(StreamField.IP_ID, -1));
        assertEquals(77, s.get(StreamField.ICMP_ID, -1));
        StreamSpec q = StreamSpec.fromSeed(seed("proto", "icmp", "dst", "198.18.0.2", "icmp.id", 5));
        assertEquals(5, q.get(StreamField.ICMP_ID, -1));
        assertFalse(q.isSet(StreamField.IP_ID));
    }

    @Test
    void parsesTcpFlagLettersHexAndOptions() {
        StreamSpec s = StreamSpec.fromSeed(seed("proto", "tcp", "dst", "198.18.0.2", "flags", "PA",
                "window", "0x100", "tcpoptions", "MSS=1460,NOP,WScale=7,SAckOK,Timestamp=1:2"));
        assertEquals(0x18, s.get(StreamField.TCP_FLAGS, -1));
        assertEquals(256, s.get(StreamField.TCP_WINDOW, -1));
        assertEquals(5, s.tcpOptions().size());
        assertEquals("Timestamp=1:2", s.tcpOptions().get(4).toString());
    }

    @Test
    void acceptsTcpOptionNamesAsKeywords() {
        StreamSpec s = StreamSpec.fromSeed(seed("proto", "tcp", "dst", "198.18.0.2", "MSS", 1400, "SAck", "1:2"));
        assertEquals(List.of(TcpOption.of(TcpOption.Kind.MSS, 1400), TcpOption.of(TcpOption.Kind.SACK, 1, 2)),
                s.tcpOptions());
    }

    @Test
    void parsesIcmpGatewayAsDottedQuad() {
        StreamSpec s = StreamSpec.fromSeed(seed("proto", "icmp", "dst", "198.18.0.2", "type", 5,
                "gw", "198.18.0.9"));
        assertEquals(0xC6120009L, s.get(StreamField.ICMP_GW, -1));
    }

    @Test
    void roundTripsThroughToBuilder() {
        StreamSpec s = StreamSpec.fromSeed(seed("proto", "tcp", "src", "198.18.0.1", "dst", "198.18.0.2",
                "ttl", 9, "options", "94040000", "MSS", 1000, "chksum", 5));
        assertEquals(s, s.toBuilder().build());
    }

    @Test
    void rejectsPortAboveRange() {
        assertRefused("dport", "70000", "0-65535", seed("proto", "udp", "dst", "198.18.0.2", "dport", 70000));
    }

    @Test
    void rejectsTtlAboveRange() {
        assertRefused("ttl", "300", "0-255", seed("proto", "udp", "dst", "198.18.0.2", "ttl", "300"));
    }

    @Test
    void rejectsNonNumericValue() {
        assertRefused("ttl", "\"abc\"", "an integer 0-255", seed("proto", "udp", "dst", "198.18.0.2", "ttl", "abc"));
    }

    @Test
    void rejectsFractionalValue() {
        assertRefused("sport", "1.5", "an integer 0-65535", seed("proto", "udp", "dst", "198.18.0.2", "sport", 1.5));
    }

    @Test
    void rejectsUnknownFieldListingTheValidOnes() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> StreamSpec.fromSeed(seed("proto", "udp", "dst", "198.18.0.2", "bogus", 1)));
        assertEquals("bogus", e.field());
        assertTrue(e.getMessage().startsWith("bogus: unknown field (expected: one of"), e.getMessage());
        assertEquals(1, e.getMessage().split("\\bproto\\b", -1).length - 1, "proto listed once: " + e.getMessage());
        assertTrue(e.getMessage().contains("dport"), e.getMessage());
    }

    @Test
    void rejectsIpv4FieldOnIpv6Stream() {
        assertRefused("ipflags", "2", "a field of IPv6Header or UDPHeader; ipflags belongs to IPHeader",
                seed("proto", "udp", "dst", "2001:2::2", "ipflags", 2));
    }

    @Test
    void rejectsIpOptionsOnIpv6Stream() {
        assertRefused("options", "94040000", "no IP options on an ipv6 stream",
                seed("proto", "udp", "dst", "2001:2::2", "options", "94040000"));
    }

    @Test
    void rejectsMalformedAddress() {
        assertRefused("dst", "198.18.0.300", "an IPv4 or IPv6 address", seed("proto", "udp", "dst", "198.18.0.300"));
        assertRefused("src", "host.example", "an IPv4 or IPv6 address",
                seed("proto", "udp", "dst", "198.18.0.2", "src", "host.example"));
    }

    @Test
    void rejectsMixedAddressFamilies() {
        assertRefused("src", "2001:2::1", "an IPv4 address on an ip stream",
                seed("proto", "udp", "dst", "198.18.0.2", "src", "2001:2::1"));
    }

    @Test
    void rejectsMissingDstAndProto() {
        assertRefused("dst", "missing", "an IPv4 or IPv6 address", seed("proto", "udp"));
        assertRefused("proto", "missing", "one of udp, tcp, icmp, icmpv6", seed("dst", "198.18.0.2"));
        assertRefused("proto", "sctp", "one of udp, tcp, icmp, icmpv6", seed("proto", "sctp", "dst", "198.18.0.2"));
    }

    @Test
    void rejectsTcpOptionOnUdpStream() {
        assertRefused("MSS", "1460", "a field of a tcp stream", seed("proto", "udp", "dst", "198.18.0.2", "MSS", 1460));
    }

    @Test
    void rejectsTcpOptionsLongerThanFortyBytes() {
        assertRefused("tcpoptions", "44 bytes", "at most 40 bytes", seed("proto", "tcp", "dst", "198.18.0.2",
                "tcpoptions", "Timestamp=1:2,Timestamp=1:2,Timestamp=1:2,Timestamp=1:2,MSS=1"));
    }

    @Test
    void rejectsIcmpv4OnlyFieldOnIcmpv6() {
        assertRefused("gw", "198.18.0.1", "a field of IPv6Header or ICMPv6Header; gw belongs to ICMPHeader",
                seed("proto", "icmp", "dst", "2001:2::2", "gw", "198.18.0.1"));
    }

    @Test
    void helpListsEveryHeaderLikeTheSeed() {
        String help = StreamSpec.help();
        assertTrue(help.contains("IPHeader : (version 0-15, ihl 0-15, tos 0-255, iplen 0-65535, id 0-65535, "
                + "ipflags 0-7, frag 0-8191, ttl 0-255, proto 0-255, ipchksum 0-65535, src address, dst address, "
                + "options"), help);
        assertTrue(help.contains("UDPHeader : (sport 0-65535, dport 0-65535, len 0-65535, chksum 0-65535)"), help);
        assertTrue(help.contains("EOL, NOP, MSS, WScale, SAckOK, SAck, Timestamp, AltChkSum, AltChkSumOpt"), help);
        assertTrue(help.contains("ICMPHeader : (type 0-255, code 0-255, chksum 0-65535, id 0-65535, seq 0-65535, "
                + "ts_ori"), help);
    }
}
