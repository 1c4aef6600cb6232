package io.fleetgen.agent.impl.guard;

import io.fleetgen.agent.Cidr;
import io.fleetgen.codec.ErrorCode;
import io.fleetgen.codec.FieldRange;
import io.fleetgen.codec.L4Proto;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.StreamField;
import io.fleetgen.codec.StreamSpec;
import io.fleetgen.codec.InetText;
import java.util.List;
import java.util.Set;

/**
 * What this agent may send and capture (SPEC §9, issue 11), decided before a run is prepared. A sender's
 * destination must be in the allow-list (default: the connected data subnets, never the management network); its
 * source must be this host's own address unless allowed; it may not carry another IP protocol than its own
 * (IP-in-IP, GRE: a tunnel end would deliver the inner packet anywhere), nor a tunnel's UDP port (VXLAN, Geneve),
 * nor a source-routing IP option, nor an ICMP type that changes a host's routing (redirects, router and neighbour
 * discovery). A receiver captures only on the capture interfaces (default: the data interfaces; never
 * {@code any}, loopback or the management interface), with a bounded filter. Immutable.
 */
public final class Policy {
    /** UDP ports of tunnels whose payload would be delivered as a frame: VXLAN, VXLAN-GPE, Geneve. */
    static final Set<Integer> TUNNEL_PORTS = Set.of(4789, 4790, 6081);
    /** ICMP types that change routing: redirect, router advertisement. */
    static final Set<Integer> ICMP4_ROUTING = Set.of(5, 9);
    /** ICMPv6 types that change routing: router solicitation/advertisement, neighbour discovery, redirect. */
    static final Set<Integer> ICMP6_ROUTING = Set.of(133, 134, 135, 136, 137);

    private final List<Cidr> destinations;
    private final List<Cidr> sources;
    private final Set<String> localAddresses;
    private final Set<String> captureInterfaces;
    private final int maxCapfilterChars;

    /**
     * @param destinations where senders may send
     * @param sources spoofed source addresses allowed beyond this host's own
     * @param localAddresses this host's own addresses (text)
     * @param captureInterfaces where receivers may capture
     */
    public Policy(List<Cidr> destinations, List<Cidr> sources, Set<String> localAddresses,
            Set<String> captureInterfaces, int maxCapfilterChars) {
        this.destinations = List.copyOf(destinations);
        this.sources = List.copyOf(sources);
        this.localAddresses = Set.copyOf(localAddresses);
        this.captureInterfaces = Set.copyOf(captureInterfaces);
        this.maxCapfilterChars = maxCapfilterChars;
    }

    public List<Cidr> destinations() {
        return destinations;
    }

    public Set<String> captureInterfaces() {
        return captureInterfaces;
    }

    /** A refusal: the code and the message naming field, value and what is allowed. */
    public static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient ErrorCode code;

        Refusal(ErrorCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public ErrorCode code() {
            return code;
        }
    }

    private static Refusal notAllowed(String field, Object value, String expected) {
        return new Refusal(ErrorCode.NOT_ALLOWED, field + ": " + value + " (expected: " + expected + ")");
    }

    /** Checks a sender's profile. */
    public void checkSender(ProfileSpec p) throws Refusal {
        StreamSpec s = p.stream();
        byte[] dst = s.dst();
        if (destinations.stream().noneMatch(c -> c.contains(dst))) {
            throw notAllowed("dst", s.dstText(), "an address inside the allow-list " + destinations
                    + "; the agent's --allow sets it");
        }
        if (s.src() != null) {
            String src = InetText.format(s.src());
            if (!localAddresses.contains(src) && sources.stream().noneMatch(c -> c.contains(s.src()))) {
                throw notAllowed("src", src, "an address of this host " + localAddresses
                        + ", or inside --allow-sources " + sources);
            }
        }
        StreamField protoField = s.ipVersion() == 4 ? StreamField.IP_PROTO : StreamField.IP6_NH;
        int own = s.proto().ipProtocol();
        if (s.isSet(protoField) && s.get(protoField, own) != own) {
            throw notAllowed(protoField.seedName(), s.get(protoField, own), own + " (" + s.proto().name()
                    .toLowerCase() + "); another IP protocol in the header would make a tunnel (IP-in-IP, GRE)");
        }
        if (s.proto() == L4Proto.UDP && (TUNNEL_PORTS.contains(s.dport()) || TUNNEL_PORTS.contains(s.sport()))) {
            throw notAllowed("dport", s.dport(), "not a tunnel port " + TUNNEL_PORTS + " (VXLAN, Geneve): its "
                    + "payload would be delivered as a frame");
        }
        if (s.isSet(StreamField.ICMP_TYPE)) {
            int type = (int) s.get(StreamField.ICMP_TYPE, 0);
            if ((s.proto() == L4Proto.ICMP ? ICMP4_ROUTING : ICMP6_ROUTING).contains(type)) {
                throw notAllowed("type", type, "an ICMP type that does not change routing (not "
                        + (s.proto() == L4Proto.ICMP ? ICMP4_ROUTING : ICMP6_ROUTING) + ")");
            }
        }
        FieldRange dstRange = p.flows().range(FieldRange.Field.DST);
        if (dstRange != null) {
            byte[] out = firstOutside(dstRange, destinations);
            if (out != null) {
                throw notAllowed("dst", InetText.format(out) + " (of range " + dstRange + ")", "every address of a "
                        + "range inside the allow-list " + destinations + "; the agent's --allow sets it");
            }
        }
        FieldRange srcRange = p.flows().range(FieldRange.Field.SRC);
        if (srcRange != null) {
            List<Cidr> mine = new java.util.ArrayList<>(sources);
            localAddresses.forEach(a -> mine.add(Cidr.host(InetText.parse("src", a))));
            byte[] out = firstOutside(srcRange, mine);
            if (out != null) {
                throw notAllowed("src", InetText.format(out) + " (of range " + srcRange + ")", "every address of a "
                        + "range an address of this host, or inside --allow-sources " + sources);
            }
        }
        int routing = sourceRouteOption(s.ipOptions());
        if (routing >= 0) {
            throw notAllowed("options", String.format("type 0x%02x", routing), "no loose or strict source route");
        }
    }

    /**
     * The first address the range produces outside every prefix, or {@code null}: from prefix to prefix, one
     * containment check per prefix crossed, however many addresses the range has.
     */
    static byte[] firstOutside(FieldRange r, List<Cidr> allowed) {
        java.math.BigInteger min = new java.math.BigInteger(1, r.minAddress());
        java.math.BigInteger step = java.math.BigInteger.valueOf(r.step());
        long i = 0;
        while (i < r.count()) {
            byte[] a = r.address(i);
            Cidr in = allowed.stream().filter(c -> c.contains(a)).findFirst().orElse(null);
            if (in == null) {
                return a;
            }
            java.math.BigInteger next = new java.math.BigInteger(1, in.last()).subtract(min).divide(step)
                    .add(java.math.BigInteger.ONE);
            if (next.compareTo(java.math.BigInteger.valueOf(r.count())) >= 0) {
                return null;
            }
            i = next.longValue();
        }
        return null;
    }

    /** The type of the first source-route option (LSRR, SSRR) in IPv4 options, or -1. */
    static int sourceRouteOption(byte[] options) {
        for (int i = 0; i < options.length; ) {
            int type = options[i] & 0xFF;
            if (type == 0) {
                return -1;
            }
            if ((type & 0x1F) == 3 || (type & 0x1F) == 9) {
                return type;
            }
            if (type == 1 || i + 1 >= options.length) {
                i++;
            } else {
                i += Math.max(2, options[i + 1] & 0xFF);
            }
        }
        return -1;
    }

    /**
     * Checks a receiver's capture.
     *
     * @param iface the interface it would capture on (the profile's, or the one owning its listener)
     */
    public void checkReceiver(ProfileSpec p, String iface) throws Refusal {
        if (!captureInterfaces.contains(iface)) {
            throw notAllowed("iface", iface, "one of the capture interfaces " + captureInterfaces.stream().sorted()
                    .toList() + "; the agent's --capture-ifaces sets them (never any, lo or the management one)");
        }
        checkCapfilter(p);
    }

    /** Checks a capture filter's length (a long filter compiles for minutes under pcap4j's global lock). */
    public void checkCapfilter(ProfileSpec p) throws Refusal {
        String f = p.capfilter();
        if (f != null && f.length() > maxCapfilterChars) {
            throw new Refusal(ErrorCode.LIMIT, "capfilter: " + f.length() + " characters (expected: at most "
                    + maxCapfilterChars + "; the agent's --max-capfilter-chars)");
        }
    }
}
