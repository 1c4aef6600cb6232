package io.fleetgen.codec;

/** The protocol headers a {@link StreamSpec} is made of, named as the seed's {@code stream.help()} names them. */
public enum Header {
    IP("IPHeader"),
    IPV6("IPv6Header"),
    TCP("TCPHeader"),
    UDP("UDPHeader"),
    ICMP("ICMPHeader"),
    ICMPV6("ICMPv6Header");

    private final String seedName;

    Header(String seedName) {
        this.seedName = seedName;
    }

    /** The header's name in the seed's help output, e.g. {@code IPHeader}. */
    public String seedName() {
        return seedName;
    }
}
