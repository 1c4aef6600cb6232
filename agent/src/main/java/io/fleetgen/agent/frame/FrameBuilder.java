package io.fleetgen.agent.frame;

import static io.fleetgen.agent.frame.Checksums.put16;
import static io.fleetgen.agent.frame.Checksums.put32;

import io.fleetgen.codec.L4Proto;
import io.fleetgen.codec.StreamField;
import io.fleetgen.codec.StreamSpec;
import io.fleetgen.codec.TcpOption;

/**
 * Compiles a {@link StreamSpec} and a payload into a {@link FrameTemplate}: Ethernet, IPv4 (with options) or
 * IPv6, then UDP, TCP (with options), ICMP (every type layout Scapy 2.5 knows) or ICMPv6. A field left unset
 * gets what a kernel (or Scapy, where the kernel has no opinion) would use; a field set on purpose is written
 * as set, even a wrong length or checksum.
 */
public final class FrameBuilder {
    /** TTL / hop limit when unset. */
    public static final int DEFAULT_TTL = 64;
    /** TCP window when unset (Scapy's). */
    public static final int DEFAULT_WINDOW = 8192;
    /** TCP flags when unset: SYN, as Scapy. */
    public static final int DEFAULT_TCP_FLAGS = TcpFlags.SYN;

    private final StreamSpec s;
    private final byte[] payload;
    private final boolean signature;
    private final int streamId;
    private byte[] src;

    private FrameBuilder(StreamSpec s, byte[] payload, boolean signature, int streamId) {
        this.s = s;
        this.payload = payload;
        this.signature = signature && payload.length >= FrameLayout.SIGNATURE_BYTES;
        this.streamId = streamId;
    }

    /**
     * Compiles the frame.
     *
     * @param srcMac 6 bytes
     * @param dstMac 6 bytes: the next hop's
     * @param defaultSrc the source address to use when the stream sets none (the output interface's)
     * @param payload the payload bytes; when {@code signature} and at least 24 bytes long, the first 24 are
     *     overwritten with the signature
     * @param streamId the signature's stream id
     */
    public static FrameTemplate compile(StreamSpec stream, byte[] srcMac, byte[] dstMac, byte[] defaultSrc,
            byte[] payload, boolean signature, int streamId) {
        FrameBuilder b = new FrameBuilder(stream, payload, signature, streamId);
        b.src = stream.src() != null ? stream.src() : defaultSrc;
        if (b.src == null || b.src.length != stream.dst().length) {
            throw new IllegalArgumentException("src: no " + (stream.ipVersion() == 4 ? "IPv4" : "IPv6")
                    + " source address for " + stream.dstText());
        }
        return b.build(srcMac, dstMac);
    }

    private FrameTemplate build(byte[] srcMac, byte[] dstMac) {
        int l3Len = s.ipVersion() == 4 ? 20 + padded(s.ipOptions().length) : 40;
        int l4Len = l4HeaderLength();
        int l4 = FrameLayout.ETH_BYTES + l3Len;
        int pay = l4 + l4Len;
        byte[] f = new byte[pay + payload.length];
        System.arraycopy(dstMac, 0, f, 0, 6);
        System.arraycopy(srcMac, 0, f, 6, 6);
        put16(f, 12, s.ipVersion() == 4 ? 0x0800 : 0x86DD);
        System.arraycopy(payload, 0, f, pay, payload.length);
        int sig = signature ? pay : -1;
        if (sig >= 0) {
            put32(f, sig, FrameLayout.SIGNATURE_MAGIC);
            put32(f, sig + 4, streamId);
            Checksums.put64(f, sig + 8, 0);
            Checksums.put64(f, sig + 16, 0);
        }
        int l4Total = l4Len + payload.length;
        if (s.ipVersion() == 4) {
            writeIpv4(f, l3Len, l4Total);
        } else {
            writeIpv6(f, l4Total);
        }
        int sport = -1;
        int tcpSeq = -1;
        int icmpSeq = -1;
        int ck;
        switch (s.proto()) {
            case UDP:
                writeUdp(f, l4, l4Total);
                sport = l4;
                ck = l4 + 6;
                break;
            case TCP:
                writeTcp(f, l4, l4Len);
                sport = l4;
                tcpSeq = l4 + 4;
                ck = l4 + 16;
                break;
            default:
                icmpSeq = writeIcmp(f, l4) ? l4 + 6 : -1;
                ck = l4 + 2;
        }
        boolean autoL4 = !s.isSet(checksumField());
        if (autoL4) {
            put16(f, ck, l4Checksum(f, l4, l4Total));
        }
        FrameLayout layout = new FrameLayout(s.ipVersion(), s.proto(), l4, pay, f.length, sport, ck, tcpSeq,
                icmpSeq, sig);
        return new FrameTemplate(f, layout, s.ipVersion() == 4 && !s.isSet(StreamField.IP_CHKSUM), autoL4);
    }

    private StreamField checksumField() {
        switch (s.proto()) {
            case UDP:
                return StreamField.UDP_CHKSUM;
            case TCP:
                return StreamField.TCP_CHKSUM;
            default:
                return StreamField.ICMP_CHKSUM;
        }
    }

    private static int padded(int n) {
        return (n + 3) & ~3;
    }

    private int l4HeaderLength() {
        switch (s.proto()) {
            case UDP:
                return 8;
            case TCP:
                int opts = 0;
                for (TcpOption o : s.tcpOptions()) {
                    opts += o.encodedLength();
                }
                return 20 + padded(opts);
            case ICMP:
                int type = (int) s.get(StreamField.ICMP_TYPE, 8);
                return 8 + (type == 13 || type == 14 ? 12 : 0) + (type == 17 || type == 18 ? 4 : 0);
            default:
                return 8;
        }
    }

    private void writeIpv4(byte[] f, int l3Len, int l4Total) {
        int o = FrameLayout.ETH_BYTES;
        f[o] = (byte) ((s.get(StreamField.IP_VERSION, 4) << 4) | s.get(StreamField.IP_IHL, l3Len / 4));
        f[o + 1] = (byte) s.get(StreamField.IP_TOS, 0);
        put16(f, o + 2, (int) s.get(StreamField.IP_LEN, l3Len + l4Total));
        put16(f, o + 4, (int) s.get(StreamField.IP_ID, 1));
        put16(f, o + 6, (int) ((s.get(StreamField.IP_FLAGS, 0) << 13) | s.get(StreamField.IP_FRAG, 0)));
        f[o + 8] = (byte) s.get(StreamField.IP_TTL, DEFAULT_TTL);
        f[o + 9] = (byte) s.get(StreamField.IP_PROTO, s.proto().ipProtocol());
        System.arraycopy(src, 0, f, o + 12, 4);
        System.arraycopy(s.dst(), 0, f, o + 16, 4);
        byte[] opts = s.ipOptions();
        System.arraycopy(opts, 0, f, o + 20, opts.length);
        put16(f, o + 10, (int) s.get(StreamField.IP_CHKSUM, Checksums.of(f, o, l3Len)));
    }

    private void writeIpv6(byte[] f, int l4Total) {
        int o = FrameLayout.ETH_BYTES;
        long word = (s.get(StreamField.IP6_VERSION, 6) << 28) | (s.get(StreamField.IP6_TC, 0) << 20)
                | s.get(StreamField.IP6_FL, 0);
        put32(f, o, word);
        put16(f, o + 4, (int) s.get(StreamField.IP6_LEN, l4Total));
        f[o + 6] = (byte) s.get(StreamField.IP6_NH, s.proto().ipProtocol());
        f[o + 7] = (byte) s.get(StreamField.IP6_HLIM, DEFAULT_TTL);
        System.arraycopy(src, 0, f, o + 8, 16);
        System.arraycopy(s.dst(), 0, f, o + 24, 16);
    }

    private void writeUdp(byte[] f, int o, int l4Total) {
        put16(f, o, s.sport());
        put16(f, o + 2, s.dport());
        put16(f, o + 4, (int) s.get(StreamField.UDP_LEN, l4Total));
        put16(f, o + 6, (int) s.get(StreamField.UDP_CHKSUM, 0));
    }

    private void writeTcp(byte[] f, int o, int l4Len) {
        put16(f, o, s.sport());
        put16(f, o + 2, s.dport());
        put32(f, o + 4, s.get(StreamField.TCP_SEQ, 0));
        put32(f, o + 8, s.get(StreamField.TCP_ACK, 0));
        long off = s.get(StreamField.TCP_DATAOFS, l4Len / 4);
        put16(f, o + 12, (int) ((off << 12) | (s.get(StreamField.TCP_RESERVED, 0) << 9)
                | s.get(StreamField.TCP_FLAGS, DEFAULT_TCP_FLAGS)));
        put16(f, o + 14, (int) s.get(StreamField.TCP_WINDOW, DEFAULT_WINDOW));
        put16(f, o + 16, (int) s.get(StreamField.TCP_CHKSUM, 0));
        put16(f, o + 18, (int) s.get(StreamField.TCP_URGPTR, 0));
        int p = o + 20;
        for (TcpOption opt : s.tcpOptions()) {
            p = opt.encode(f, p);
        }
        // Padding to 32 bits is zero bytes (EOL), as Scapy pads.
    }

    /** Writes the ICMP header; returns whether it has an id/seq pair. */
    private boolean writeIcmp(byte[] f, int o) {
        boolean v6 = s.proto() == L4Proto.ICMPV6;
        int type = (int) s.get(StreamField.ICMP_TYPE, v6 ? 128 : 8);
        f[o] = (byte) type;
        f[o + 1] = (byte) s.get(StreamField.ICMP_CODE, 0);
        put16(f, o + 2, (int) s.get(StreamField.ICMP_CHKSUM, 0));
        boolean idSeq = v6 ? type == 128 || type == 129
                : type == 0 || type == 8 || (type >= 13 && type <= 18) || type == 37 || type == 38;
        if (idSeq) {
            put16(f, o + 4, (int) s.get(StreamField.ICMP_ID, 0));
            put16(f, o + 6, (int) s.get(StreamField.ICMP_SEQ, 0));
        } else if (v6) {
            put32(f, o + 4, 0);
        } else if (type == 5) {
            put32(f, o + 4, s.get(StreamField.ICMP_GW, 0));
        } else if (type == 12) {
            f[o + 4] = (byte) s.get(StreamField.ICMP_PTR, 0);
        } else if (type == 3 || type == 11) {
            f[o + 4] = (byte) s.get(StreamField.ICMP_RESERVED, 0);
        }
        if (!v6 && (type == 13 || type == 14)) {
            long now = System.currentTimeMillis() % 86_400_000L;
            put32(f, o + 8, s.get(StreamField.ICMP_TS_ORI, now));
            put32(f, o + 12, s.get(StreamField.ICMP_TS_RX, now));
            put32(f, o + 16, s.get(StreamField.ICMP_TS_TX, now));
        } else if (!v6 && (type == 17 || type == 18)) {
            put32(f, o + 8, s.get(StreamField.ICMP_ADDR_MASK, 0));
        }
        return idSeq;
    }

    private int l4Checksum(byte[] f, int l4, int l4Total) {
        long sum = 0;
        if (s.proto() != L4Proto.ICMP) {
            sum = pseudoHeader(f, l4Total);
        }
        int ck = Checksums.finish(Checksums.sum(f, l4, l4Total, sum));
        return ck == 0 && s.proto() == L4Proto.UDP ? 0xFFFF : ck;
    }

    private long pseudoHeader(byte[] f, int l4Total) {
        int o = FrameLayout.ETH_BYTES;
        int next = s.proto().ipProtocol();
        if (s.ipVersion() == 4) {
            // With iplen forced, the pseudo-header length follows it, as Scapy (the seed's engine) computes it.
            int ihl = (f[o] & 0x0F) * 4;
            int len = s.isSet(StreamField.IP_LEN) ? Math.max((int) s.get(StreamField.IP_LEN, 0) - ihl, 0) : l4Total;
            return Checksums.sum(f, o + 12, 8, 0) + next + len;
        }
        return Checksums.sum(f, o + 8, 32, 0) + (l4Total >>> 16) + (l4Total & 0xFFFF) + next;
    }
}
