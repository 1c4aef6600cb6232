package io.fleetgen.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Addresses print in RFC 5952 form everywhere (issue 12: {@code 2001:2:0:0:0:0:0:1} in hosts and errors). */
class InetTextTest {
    private static String v6(String text) {
        return InetText.format(InetText.parse("a", text));
    }

    @Test
    void printsIpv6InRfc5952Form() {
        assertEquals("2001:2::1", v6("2001:2:0:0:0:0:0:1"));
        assertEquals("::", v6("0:0:0:0:0:0:0:0"));
        assertEquals("::1", v6("0:0:0:0:0:0:0:1"));
        assertEquals("fe80::", v6("fe80:0:0:0:0:0:0:0"));
        assertEquals("2001:db8:0:1:1:1:1:1", v6("2001:db8:0:1:1:1:1:1"), "a single zero group is not compressed");
        assertEquals("2001:0:0:1::1", v6("2001:0:0:1:0:0:0:1"), "the longest run");
        assertEquals("2001:db8::1:0:0:1", v6("2001:db8:0:0:1:0:0:1"), "the first of two equal runs");
        assertEquals("2001:db8::abcd", v6("2001:0DB8:0000:0000:0000:0000:0000:ABCD"));
        assertEquals("198.18.0.1", InetText.format(InetText.parse("a", "198.18.0.1")));
    }
}
