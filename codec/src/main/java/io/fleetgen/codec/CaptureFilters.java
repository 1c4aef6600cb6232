package io.fleetgen.codec;

/**
 * Every BPF filter Fleetgen builds, in one place: what a receiver captures by default, what a sender captures of
 * its peer (echo replies, a TCP session's segments), and what a mesh receiver takes from one sender.
 */
public final class CaptureFilters {
    private CaptureFilters() {
    }

    /**
     * A receiver's filter when its profile sets none: its stream's protocol and destination port (the port range of
     * a dport range, the port of each stream of several), or {@code icmp} / {@code icmp6}.
     */
    public static String receiver(ProfileSpec p) {
        StreamSpec stream = p.stream();
        if (!stream.proto().hasPorts()) {
            return icmp(stream);
        }
        String proto = stream.proto().keyword();
        FieldRange d = p.flows().range(FieldRange.Field.DPORT);
        if (d != null) {
            return proto + " dst portrange " + d.minLong() + "-" + d.lastText();
        }
        if (p.streams().size() > 1) {
            StringBuilder ports = new StringBuilder(proto).append(" and (dst port ").append(stream.dport());
            p.streams().subList(1, p.streams().size()).forEach(m -> ports.append(" or dst port ").append(m.dport()));
            return ports.append(')').toString();
        }
        return proto + " port " + stream.dport();
    }

    /** The echo replies to a stream's requests: ICMP type 0 (ICMPv6 type 129) from its destination. */
    public static String echoReplies(StreamSpec s) {
        return s.ipVersion() == 4 ? "icmp and icmp[0] == 0 and src host " + s.dstText()
                : "icmp6 and ip6[40] == 129 and src host " + s.dstText();
    }

    /** A TCP session's segments from its peer: from the stream's destination and port to its source port. */
    public static String tcpPeer(StreamSpec s) {
        return "tcp and src host " + s.dstText() + " and src port " + s.dport() + " and dst port " + s.sport();
    }

    /** What one sender of a mesh sends to a receiver: its protocol to {@code port} from {@code from}. */
    public static String fromHost(StreamSpec s, int port, String from) {
        return (s.proto().hasPorts() ? s.proto().keyword() + " dst port " + port : icmp(s)) + " and src host " + from;
    }

    private static String icmp(StreamSpec s) {
        return s.ipVersion() == 4 ? "icmp" : "icmp6";
    }
}
