package io.fleetgen.codec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Every numeric header field a stream can set, by the seed's name, with its header and range. Addresses
 * ({@code src}, {@code dst}), IPv4 options and TCP options are carried apart by {@link StreamSpec}; the ICMP
 * {@code gw} and {@code addr_mask} are IPv4 addresses held here as unsigned 32-bit numbers.
 *
 * <p>The wire format refers to a field by {@link #id()}, which never changes once released.
 */
public enum StreamField {
    IP_VERSION(1, "version", 15, Header.IP),
    IP_IHL(2, "ihl", 15, Header.IP),
    IP_TOS(3, "tos", 255, Header.IP),
    IP_LEN(4, "iplen", 65535, Header.IP),
    IP_ID(5, "id", 65535, Header.IP),
    IP_FLAGS(6, "ipflags", 7, Header.IP),
    IP_FRAG(7, "frag", 8191, Header.IP),
    IP_TTL(8, "ttl", 255, Header.IP),
    IP_PROTO(9, "proto", 255, Header.IP),
    IP_CHKSUM(10, "ipchksum", 65535, Header.IP),

    IP6_VERSION(20, "version", 15, Header.IPV6),
    IP6_TC(21, "tc", 255, Header.IPV6),
    IP6_FL(22, "fl", 0xFFFFF, Header.IPV6),
    IP6_LEN(23, "iplen", 65535, Header.IPV6),
    IP6_NH(24, "nh", 255, Header.IPV6),
    IP6_HLIM(25, "hlim", 255, Header.IPV6),

    TCP_SPORT(40, "sport", 65535, Header.TCP),
    TCP_DPORT(41, "dport", 65535, Header.TCP),
    TCP_SEQ(42, "seq", 0xFFFF_FFFFL, Header.TCP),
    TCP_ACK(43, "ack", 0xFFFF_FFFFL, Header.TCP),
    TCP_DATAOFS(44, "dataofs", 15, Header.TCP),
    TCP_RESERVED(45, "reserved", 7, Header.TCP),
    TCP_FLAGS(46, "flags", 511, Header.TCP),
    TCP_WINDOW(47, "window", 65535, Header.TCP),
    TCP_CHKSUM(48, "chksum", 65535, Header.TCP),
    TCP_URGPTR(49, "urgptr", 65535, Header.TCP),

    UDP_SPORT(60, "sport", 65535, Header.UDP),
    UDP_DPORT(61, "dport", 65535, Header.UDP),
    UDP_LEN(62, "len", 65535, Header.UDP),
    UDP_CHKSUM(63, "chksum", 65535, Header.UDP),

    ICMP_TYPE(80, "type", 255, Header.ICMP, Header.ICMPV6),
    ICMP_CODE(81, "code", 255, Header.ICMP, Header.ICMPV6),
    ICMP_CHKSUM(82, "chksum", 65535, Header.ICMP, Header.ICMPV6),
    ICMP_ID(83, "id", 65535, Header.ICMP, Header.ICMPV6),
    ICMP_SEQ(84, "seq", 65535, Header.ICMP, Header.ICMPV6),
    ICMP_TS_ORI(85, "ts_ori", 0xFFFF_FFFFL, Header.ICMP),
    ICMP_TS_RX(86, "ts_rx", 0xFFFF_FFFFL, Header.ICMP),
    ICMP_TS_TX(87, "ts_tx", 0xFFFF_FFFFL, Header.ICMP),
    ICMP_GW(88, "gw", 0xFFFF_FFFFL, Header.ICMP),
    ICMP_PTR(89, "ptr", 255, Header.ICMP),
    ICMP_RESERVED(90, "reserved", 255, Header.ICMP),
    ICMP_ADDR_MASK(91, "addr_mask", 0xFFFF_FFFFL, Header.ICMP);

    private static final StreamField[] BY_ID = new StreamField[128];

    static {
        for (StreamField f : values()) {
            BY_ID[f.id] = f;
        }
    }

    private final int id;
    private final String seedName;
    private final long max;
    private final Set<Header> headers;

    StreamField(int id, String seedName, long max, Header first, Header... more) {
        this.id = id;
        this.seedName = seedName;
        this.max = max;
        this.headers = Collections.unmodifiableSet(EnumSet.of(first, more));
    }

    /** The stable wire number of the field. */
    public int id() {
        return id;
    }

    /** The field's name in the seed, e.g. {@code ttl}, {@code ipflags}, {@code ts_ori}. */
    public String seedName() {
        return seedName;
    }

    /** Largest value the field holds; the smallest is always 0. */
    public long max() {
        return max;
    }

    /** The headers the field belongs to (ICMP's common fields belong to ICMPv6 too). */
    public Set<Header> headers() {
        return headers;
    }

    /** Whether the value is written as a dotted IPv4 address ({@code gw}, {@code addr_mask}). */
    public boolean isAddress() {
        return this == ICMP_GW || this == ICMP_ADDR_MASK;
    }

    /** The expected range as it appears in error messages, e.g. {@code 0-65535}. */
    public String range() {
        return isAddress() ? "an IPv4 address" : "0-" + max;
    }

    /** The field with that wire number, or {@code null}. */
    public static StreamField byId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }

    /** The fields of one header, in header order. */
    public static List<StreamField> of(Header header) {
        List<StreamField> list = new ArrayList<>();
        for (StreamField f : values()) {
            if (f.headers.contains(header)) {
                list.add(f);
            }
        }
        return list;
    }
}
