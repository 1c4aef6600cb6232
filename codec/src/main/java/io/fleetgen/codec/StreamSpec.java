package io.fleetgen.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The headers of a stream's packets (SPEC §2; the seed's {@code traffic.core.stream.Stream}). Immutable and
 * valid by construction: every instance came through {@link Builder#build()}, which refuses unknown fields,
 * out-of-range values, fields of the wrong header and malformed addresses with a {@link ValidationException}.
 *
 * <p>A field left unset gets, when the frame is built, the value a kernel would use (correct lengths and
 * checksums, ttl 64, sport 8000). A field set on purpose, even to a wrong checksum, is sent as set.
 */
public final class StreamSpec {
    /** Default source port for UDP and TCP, as in the seed. */
    public static final int DEFAULT_SPORT = 8000;
    /** Default UDP destination port: the seed's examples and default capture filter use 8000. */
    public static final int DEFAULT_UDP_DPORT = 8000;
    /** Default TCP destination port: the seed's TCP example and default capture filter use 9000. */
    public static final int DEFAULT_TCP_DPORT = 9000;

    private final int ipVersion;
    private final L4Proto proto;
    private final byte[] src;
    private final byte[] dst;
    private final long setMask;
    private final long[] values;
    private final byte[] ipOptions;
    private final List<TcpOption> tcpOptions;

    private StreamSpec(int ipVersion, L4Proto proto, byte[] src, byte[] dst, long setMask, long[] values,
            byte[] ipOptions, List<TcpOption> tcpOptions) {
        this.ipVersion = ipVersion;
        this.proto = proto;
        this.src = src;
        this.dst = dst;
        this.setMask = setMask;
        this.values = values;
        this.ipOptions = ipOptions;
        this.tcpOptions = Collections.unmodifiableList(new ArrayList<>(tcpOptions));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A stream from the seed's keywords, e.g. {@code {"protocol":"ip","proto":"udp","src":"198.18.0.1",
     * "dst":"198.18.0.2","dport":"8000"}}. Values may be numbers or strings, as the seed accepted them.
     */
    public static StreamSpec fromSeed(Map<String, ?> keywords) {
        Builder b = builder();
        keywords.forEach(b::set);
        return b.build();
    }

    /** The fields per header, one line each, as the seed's {@code stream.help()} prints them. */
    public static String help() {
        return StreamResolver.help();
    }

    /** 4 or 6. */
    public int ipVersion() {
        return ipVersion;
    }

    public L4Proto proto() {
        return proto;
    }

    /** The L3 header: {@link Header#IP} or {@link Header#IPV6}. */
    public Header l3() {
        return ipVersion == 4 ? Header.IP : Header.IPV6;
    }

    /** Source address bytes (4 or 16), or {@code null} when the agent is to use its interface's address. */
    public byte[] src() {
        return src == null ? null : src.clone();
    }

    /** Destination address bytes, 4 or 16. */
    public byte[] dst() {
        return dst.clone();
    }

    /** Destination in text form. */
    public String dstText() {
        return InetText.format(dst);
    }

    /** Source in text form, or {@code null}. */
    public String srcText() {
        return src == null ? null : InetText.format(src);
    }

    public boolean isSet(StreamField f) {
        return (setMask & (1L << f.ordinal())) != 0;
    }

    /** The value set for the field, or {@code dflt} when it was left out. */
    public long get(StreamField f, long dflt) {
        return isSet(f) ? values[f.ordinal()] : dflt;
    }

    /** The fields set on purpose, with their values, in declaration order. */
    public Map<StreamField, Long> fields() {
        Map<StreamField, Long> m = new LinkedHashMap<>();
        for (StreamField f : StreamField.values()) {
            if (isSet(f)) {
                m.put(f, values[f.ordinal()]);
            }
        }
        return m;
    }

    /** IPv4 options, raw, as given (the frame builder pads them to 32 bits). Empty when none. */
    public byte[] ipOptions() {
        return ipOptions.clone();
    }

    public List<TcpOption> tcpOptions() {
        return tcpOptions;
    }

    /** Source port: the value set, or {@link #DEFAULT_SPORT}; 0 for ICMP. */
    public int sport() {
        switch (proto) {
            case UDP:
                return (int) get(StreamField.UDP_SPORT, DEFAULT_SPORT);
            case TCP:
                return (int) get(StreamField.TCP_SPORT, DEFAULT_SPORT);
            default:
                return 0;
        }
    }

    /** Destination port: the value set, or the seed's default for the protocol; 0 for ICMP. */
    public int dport() {
        switch (proto) {
            case UDP:
                return (int) get(StreamField.UDP_DPORT, DEFAULT_UDP_DPORT);
            case TCP:
                return (int) get(StreamField.TCP_DPORT, DEFAULT_TCP_DPORT);
            default:
                return 0;
        }
    }

    /** A builder holding this stream's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = builder().protocol(ipVersion == 4 ? "ip" : "ipv6").proto(proto).dst(dstText());
        if (src != null) {
            b.src(srcText());
        }
        fields().forEach(b::set);
        if (ipOptions.length > 0) {
            b.ipOptions(ipOptions);
        }
        tcpOptions.forEach(b::tcpOption);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StreamSpec)) {
            return false;
        }
        StreamSpec s = (StreamSpec) o;
        return ipVersion == s.ipVersion && proto == s.proto && Arrays.equals(src, s.src) && Arrays.equals(dst, s.dst)
                && fields().equals(s.fields()) && Arrays.equals(ipOptions, s.ipOptions)
                && tcpOptions.equals(s.tcpOptions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ipVersion, proto, Arrays.hashCode(dst), fields());
    }

    /** The seed form: {@code protocol=ip proto=udp src=… dst=… dport=8000 …}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("protocol=").append(ipVersion == 4 ? "ip" : "ipv6");
        b.append(" proto=").append(proto.keyword());
        if (src != null) {
            b.append(" src=").append(srcText());
        }
        b.append(" dst=").append(dstText());
        fields().forEach((f, v) -> b.append(' ').append(StreamResolver.qualifiedName(f, this)).append('=')
                .append(f.isAddress() ? InetText.formatV4(v) : Long.toString(v)));
        if (ipOptions.length > 0) {
            b.append(" options=").append(InetText.hex(ipOptions));
        }
        if (!tcpOptions.isEmpty()) {
            b.append(" tcpoptions=");
            for (int i = 0; i < tcpOptions.size(); i++) {
                b.append(i == 0 ? "" : ",").append(tcpOptions.get(i));
            }
        }
        return b.toString();
    }

    /**
     * Collects a stream's values by seed keyword or by typed setter; {@link #build()} resolves and validates
     * them all at once (the IP version and protocol decide which header a name like {@code id} means). Not
     * thread-safe.
     */
    public static final class Builder {
        private final Map<String, Object> named = new LinkedHashMap<>();
        private final List<TcpOption> tcpOptions = new ArrayList<>();

        private Builder() {
        }

        /** Any seed keyword: {@code protocol}, {@code proto}, {@code src}, {@code dst}, a header field, an option. */
        public Builder set(String keyword, Object value) {
            Objects.requireNonNull(keyword, "keyword");
            named.put(keyword, value);
            return this;
        }

        /** A header field by enum; the range is checked at {@link #build()}. */
        public Builder set(StreamField field, long value) {
            named.put(StreamResolver.enumKey(field), value);
            return this;
        }

        /** {@code ip} (IPv4) or {@code ipv6}; chosen from {@code dst} when not given. */
        public Builder protocol(String protocol) {
            return set("protocol", protocol);
        }

        public Builder proto(L4Proto proto) {
            return set("proto", proto.keyword());
        }

        public Builder src(String address) {
            return set("src", address);
        }

        public Builder dst(String address) {
            return set("dst", address);
        }

        /** Raw IPv4 options, at most 40 bytes. */
        public Builder ipOptions(byte[] options) {
            return set("options", options.clone());
        }

        public Builder tcpOption(TcpOption option) {
            tcpOptions.add(option);
            return this;
        }

        /**
         * Validates everything and returns the stream.
         *
         * @throws ValidationException naming the first field at fault, its value and what was expected
         */
        public StreamSpec build() {
            StreamResolver r = new StreamResolver(named, tcpOptions);
            return new StreamSpec(r.ipVersion(), r.proto(), r.src(), r.dst(), r.setMask(), r.values(),
                    r.ipOptions(), r.tcpOptions());
        }
    }
}
