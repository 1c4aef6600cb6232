package io.fleetgen.codec;

import java.util.Locale;

/** The transport protocol of a stream; the seed's {@code proto} keyword. */
public enum L4Proto {
    UDP(Number.UDP, Header.UDP),
    TCP(Number.TCP, Header.TCP),
    ICMP(Number.ICMP, Header.ICMP),
    ICMPV6(Number.ICMPV6, Header.ICMPV6);

    /** The IANA protocol numbers, as constants for a {@code switch} over a parsed header's protocol field. */
    public static final class Number {
        public static final int ICMP = 1;
        public static final int TCP = 6;
        public static final int UDP = 17;
        public static final int ICMPV6 = 58;

        private Number() {
        }
    }

    private final int ipProtocol;
    private final Header header;

    L4Proto(int ipProtocol, Header header) {
        this.ipProtocol = ipProtocol;
        this.header = header;
    }

    /** IANA protocol number carried in the IPv4 protocol / IPv6 next-header field. */
    public int ipProtocol() {
        return ipProtocol;
    }

    public Header header() {
        return header;
    }

    /** Whether the protocol has ports (and so a listening socket at the receiver). */
    public boolean hasPorts() {
        return this == UDP || this == TCP;
    }

    /** The keyword as the seed and the REPL spell it: {@code udp}, {@code tcp}, {@code icmp}, {@code icmpv6}. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the seed's {@code proto} keyword.
     *
     * @throws ValidationException naming the field when the keyword is not a protocol
     */
    public static L4Proto parse(String field, String text) {
        String k = text.trim().toLowerCase(Locale.ROOT);
        for (L4Proto p : values()) {
            if (p.keyword().equals(k)) {
                return p;
            }
        }
        throw ValidationException.of(field, text, "one of udp, tcp, icmp, icmpv6");
    }
}
