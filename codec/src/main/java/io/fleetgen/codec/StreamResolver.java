package io.fleetgen.codec;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Turns seed keywords into a valid {@link StreamSpec}: decides the IP version and protocol first, then which
 * header each name means (the seed sets a plain {@code id} in both the IPv4 and the ICMP header, and so does
 * this), converts values ({@code "8000"}, {@code 0x1f}, {@code "PA"}, dotted quads) and checks every range.
 * Qualified names ({@code ip.id}, {@code icmp.id}, {@code tcp.seq}) pick one header.
 */
public final class StreamResolver {
    private static final String ENUM_PREFIX = "@";
    private static final String TCP_FLAG_LETTERS = "FSRPAUECN";
    private static final int MAX_OPTION_BYTES = 40;

    private int ipVersion;
    private L4Proto proto;
    private byte[] src;
    private byte[] dst;
    private long setMask;
    private final long[] values = new long[StreamField.values().length];
    private byte[] ipOptions = new byte[0];
    private final List<TcpOption> tcpOptions;

    public StreamResolver(Map<String, Object> named, List<TcpOption> typedTcpOptions) {
        this.tcpOptions = new ArrayList<>(typedTcpOptions);
        resolveL3AndProto(named);
        for (Map.Entry<String, Object> e : named.entrySet()) {
            String k = e.getKey();
            if (!isStructural(k)) {
                assign(k, e.getValue());
            }
        }
        checkOptionLengths();
    }

    /** The builder key under which a typed {@code set(StreamField, long)} is stored. */
    public static String enumKey(StreamField f) {
        return ENUM_PREFIX + f.name();
    }

    /** The name that selects exactly this field on this stream: plain when unambiguous, else qualified. */
    public static String qualifiedName(StreamField f, StreamSpec s) {
        boolean shared = (f == StreamField.IP_ID || f == StreamField.ICMP_ID) && s.ipVersion() == 4
                && s.proto() == L4Proto.ICMP;
        return shared ? prefix(f.headers().iterator().next()) + "." + f.seedName() : f.seedName();
    }

    /** The seed's {@code stream.help()}: one line per header, fields in header order with their ranges. */
    public static String help() {
        StringBuilder b = new StringBuilder();
        for (Header h : Header.values()) {
            StringJoiner j = new StringJoiner(", ", h.seedName() + " : (", ")\n");
            for (StreamField f : StreamField.of(h)) {
                j.add(f.seedName() + " " + f.range());
            }
            if (h == Header.IP || h == Header.IPV6) {
                j.add("src address").add("dst address");
            }
            if (h == Header.IP) {
                j.add("options hex bytes (at most 40)");
            }
            b.append(j);
            if (h == Header.TCP) {
                StringJoiner o = new StringJoiner(", ", "TCPHeader : (", ")  as tcpoptions=MSS=1460,NOP,...\n");
                for (TcpOption.Kind k : TcpOption.Kind.values()) {
                    o.add(k.seedName());
                }
                b.append(o);
            }
        }
        return b.toString();
    }

    public int ipVersion() {
        return ipVersion;
    }

    public L4Proto proto() {
        return proto;
    }

    public byte[] src() {
        return src;
    }

    public byte[] dst() {
        return dst;
    }

    public long setMask() {
        return setMask;
    }

    public long[] values() {
        return values;
    }

    public byte[] ipOptions() {
        return ipOptions;
    }

    public List<TcpOption> tcpOptions() {
        return tcpOptions;
    }

    private static boolean isStructural(String k) {
        return k.equals("protocol") || k.equals("proto") || k.equals("src") || k.equals("dst");
    }

    private void resolveL3AndProto(Map<String, Object> named) {
        Object d = named.get("dst");
        if (d == null) {
            throw ValidationException.of("dst", "missing", "an IPv4 or IPv6 address");
        }
        dst = InetText.parse("dst", text(d));
        Object p = named.get("protocol");
        if (p == null) {
            ipVersion = dst.length == 4 ? 4 : 6;
        } else {
            String t = text(p).trim().toLowerCase(Locale.ROOT);
            if (t.equals("ip") || t.equals("ipv4")) {
                ipVersion = 4;
            } else if (t.equals("ipv6")) {
                ipVersion = 6;
            } else {
                throw ValidationException.of("protocol", p, "ip or ipv6");
            }
        }
        int addrLen = ipVersion == 4 ? 4 : 16;
        String family = ipVersion == 4 ? "an IPv4 address on an ip stream" : "an IPv6 address on an ipv6 stream";
        if (dst.length != addrLen) {
            throw ValidationException.of("dst", d, family);
        }
        Object s = named.get("src");
        if (s != null) {
            src = InetText.parse("src", text(s));
            if (src.length != addrLen) {
                throw ValidationException.of("src", s, family);
            }
        }
        Object l4 = named.get("proto");
        if (l4 == null) {
            throw ValidationException.of("proto", "missing", "one of udp, tcp, icmp, icmpv6");
        }
        proto = parseProto(l4);
        if (proto == L4Proto.ICMP && ipVersion == 6) {
            proto = L4Proto.ICMPV6;
        } else if (proto == L4Proto.ICMPV6 && ipVersion == 4) {
            throw ValidationException.of("proto", l4, "udp, tcp or icmp on an ip stream");
        }
    }

    private static L4Proto parseProto(Object v) {
        if (v instanceof Number) {
            for (L4Proto p : L4Proto.values()) {
                if (p.ipProtocol() == ((Number) v).intValue()) {
                    return p;
                }
            }
            throw ValidationException.of("proto", v, "one of udp, tcp, icmp, icmpv6");
        }
        return L4Proto.parse("proto", text(v));
    }

    private void assign(String key, Object value) {
        if (key.startsWith(ENUM_PREFIX)) {
            StreamField f = StreamField.valueOf(key.substring(ENUM_PREFIX.length()));
            checkHeader(f.seedName(), f, value);
            store(f.seedName(), f, value);
            return;
        }
        String name = key;
        Header only = null;
        int dot = key.indexOf('.');
        if (dot > 0) {
            only = headerByPrefix(key, key.substring(0, dot), value);
            name = key.substring(dot + 1);
        }
        if (assignSpecial(name, only, value)) {
            return;
        }
        List<StreamField> matches = lookup(name, only);
        if (matches.isEmpty()) {
            throw unknownOrMisplaced(key, name, value);
        }
        for (StreamField f : matches) {
            store(key, f, value);
        }
    }

    private boolean assignSpecial(String name, Header only, Object value) {
        if (name.equals("options") && (only == null || only == Header.IP) && ipVersion == 4) {
            ipOptions = value instanceof byte[] ? ((byte[]) value).clone() : InetText.unhex("options", text(value));
            return true;
        }
        if (name.equals("tcpoptions") || (name.equals("options") && only == Header.TCP)) {
            requireTcp(name, value);
            tcpOptions.addAll(TcpOptionText.parseList(text(value)));
            return true;
        }
        TcpOption.Kind kind = TcpOption.Kind.bySeedName(name);
        if (kind != null && (only == null || only == Header.TCP)) {
            requireTcp(name, value);
            tcpOptions.add(TcpOptionText.parseOne(kind, value));
            return true;
        }
        if (name.equals("ttl") && ipVersion == 6 && (only == null || only == Header.IPV6)) {
            store(name, StreamField.IP6_HLIM, value);
            return true;
        }
        return false;
    }

    private void requireTcp(String name, Object value) {
        if (proto != L4Proto.TCP) {
            throw ValidationException.of(name, value, "a field of a tcp stream; this stream is " + proto.keyword());
        }
    }

    private List<StreamField> lookup(String name, Header only) {
        Set<Header> live = EnumSet.of(ipVersion == 4 ? Header.IP : Header.IPV6, proto.header());
        List<StreamField> out = new ArrayList<>();
        for (StreamField f : StreamField.values()) {
            if (f.seedName().equals(name) && (only == null || f.headers().contains(only))) {
                for (Header h : f.headers()) {
                    if (live.contains(h)) {
                        out.add(f);
                        break;
                    }
                }
            }
        }
        return out;
    }

    private ValidationException unknownOrMisplaced(String key, String name, Object value) {
        for (StreamField f : StreamField.values()) {
            if (f.seedName().equals(name)) {
                return misplaced(key, f, value);
            }
        }
        if (name.equals("options")) {
            return ValidationException.of(key, value, "no IP options on an ipv6 stream");
        }
        java.util.Set<String> names = new java.util.LinkedHashSet<>(java.util.List.of("protocol", "proto", "src",
                "dst"));
        for (StreamField f : StreamField.values()) {
            if (!lookup(f.seedName(), null).isEmpty()) {
                names.add(f.seedName());
            }
        }
        if (ipVersion == 4) {
            names.add("options");
        }
        if (proto == L4Proto.TCP) {
            names.add("tcpoptions");
        }
        return new ValidationException(key, key + ": unknown field (expected: one of " + String.join(", ", names)
                + ")");
    }

    private ValidationException misplaced(String key, StreamField f, Object value) {
        return ValidationException.of(key, value, "a field of " + (ipVersion == 4 ? "IPHeader" : "IPv6Header")
                + " or " + proto.header().seedName() + "; " + f.seedName() + " belongs to "
                + f.headers().iterator().next().seedName());
    }

    private void checkHeader(String key, StreamField f, Object value) {
        Header l3 = ipVersion == 4 ? Header.IP : Header.IPV6;
        if (!f.headers().contains(l3) && !f.headers().contains(proto.header())) {
            throw misplaced(key, f, value);
        }
    }

    private Header headerByPrefix(String key, String prefix, Object value) {
        for (Header h : Header.values()) {
            if (prefix(h).equals(prefix)) {
                Header l3 = ipVersion == 4 ? Header.IP : Header.IPV6;
                if (h != l3 && h != proto.header()) {
                    throw ValidationException.of(key, value, "a field of " + l3.seedName() + " or "
                            + proto.header().seedName());
                }
                return h;
            }
        }
        throw ValidationException.of(key, value, "a prefix of ip., ipv6., tcp., udp., icmp. or icmpv6.");
    }

    private static String prefix(Header h) {
        return h.name().toLowerCase(Locale.ROOT);
    }

    private void store(String key, StreamField f, Object value) {
        long v = toLong(key, f, value);
        if (v < 0 || v > f.max()) {
            throw ValidationException.of(key, value, f.range());
        }
        values[f.ordinal()] = v;
        setMask |= 1L << f.ordinal();
    }

    private static long toLong(String key, StreamField f, Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Number) {
            double d = ((Number) value).doubleValue();
            if (d != Math.rint(d) || Double.isInfinite(d)) {
                throw ValidationException.of(key, value, "an integer " + f.range());
            }
            return (long) d;
        }
        if (!(value instanceof CharSequence)) {
            throw ValidationException.of(key, value, "an integer " + f.range());
        }
        String t = value.toString().trim();
        if (f.isAddress() && t.indexOf('.') > 0) {
            return InetText.parseV4Number(key, t);
        }
        if (f == StreamField.TCP_FLAGS && !t.isEmpty() && Character.isLetter(t.charAt(0))
                && !t.startsWith("0x")) {
            return tcpFlags(key, t);
        }
        try {
            return t.startsWith("0x") || t.startsWith("0X") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw ValidationException.of(key, "\"" + value + "\"", "an integer " + f.range());
        }
    }

    private static long tcpFlags(String key, String letters) {
        long v = 0;
        for (int i = 0; i < letters.length(); i++) {
            int bit = TCP_FLAG_LETTERS.indexOf(Character.toUpperCase(letters.charAt(i)));
            if (bit < 0) {
                throw ValidationException.of(key, letters, "letters of " + TCP_FLAG_LETTERS + " or an integer 0-511");
            }
            v |= 1L << bit;
        }
        return v;
    }

    private void checkOptionLengths() {
        if (ipOptions.length > MAX_OPTION_BYTES) {
            throw ValidationException.of("options", ipOptions.length + " bytes", "at most 40 bytes");
        }
        if (!tcpOptions.isEmpty() && proto != L4Proto.TCP) {
            throw ValidationException.of("tcpoptions", tcpOptions, "a tcp stream");
        }
        int len = 0;
        for (TcpOption o : tcpOptions) {
            len += o.encodedLength();
        }
        if (len > MAX_OPTION_BYTES) {
            throw ValidationException.of("tcpoptions", len + " bytes", "at most 40 bytes");
        }
    }

    static String text(Object v) {
        return String.valueOf(v);
    }
}
