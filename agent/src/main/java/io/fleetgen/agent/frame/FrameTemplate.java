package io.fleetgen.agent.frame;

import io.fleetgen.codec.L4Proto;

/**
 * A compiled frame that the transmit loop patches in place (HOUSE_STYLE 8): source port, IPv4 id, TCP
 * sequence/ack/flags, ICMP sequence and the payload signature, each with an incremental checksum update
 * (RFC 1624). A checksum the user set on purpose is left as set. Owned by one thread; no allocation.
 */
public final class FrameTemplate {
    private final byte[] frame;
    private final FrameLayout layout;
    private final boolean autoIpChecksum;
    private final boolean autoL4Checksum;

    FrameTemplate(byte[] frame, FrameLayout layout, boolean autoIpChecksum, boolean autoL4Checksum) {
        this.frame = frame;
        this.layout = layout;
        this.autoIpChecksum = autoIpChecksum;
        this.autoL4Checksum = autoL4Checksum;
    }

    /** The frame bytes, patched in place; hand them to {@code sendPacket(frame, length)}. */
    public byte[] frame() {
        return frame;
    }

    public FrameLayout layout() {
        return layout;
    }

    public int length() {
        return layout.length;
    }

    /** A copy with its own bytes, for another transmit thread. */
    public FrameTemplate copy() {
        return new FrameTemplate(frame.clone(), layout, autoIpChecksum, autoL4Checksum);
    }

    /** Sets the UDP/TCP source port. */
    public void setSourcePort(int port) {
        if (layout.sport >= 0) {
            patch16(layout.sport, port, autoL4Checksum ? layout.l4Checksum : -1);
        }
    }

    /** Sets the UDP/TCP destination port. */
    public void setDestPort(int port) {
        if (layout.sport >= 0) {
            patch16(layout.sport + 2, port, autoL4Checksum ? layout.l4Checksum : -1);
        }
    }

    /**
     * Sets the IPv4 source ({@code src}) or destination address; the IPv4 header checksum and, for UDP and TCP,
     * the L4 checksum (its pseudo-header) follow.
     */
    public void setAddress4(boolean src, int address) {
        int off = layout.l3 + (src ? 12 : 16);
        int ip = autoIpChecksum ? layout.ipChecksum : -1;
        int l4 = autoL4Checksum && layout.proto != L4Proto.ICMP ? layout.l4Checksum : -1;
        patch16(off, address >>> 16, ip, l4);
        patch16(off + 2, address & 0xFFFF, ip, l4);
    }

    /** Sets the IPv6 source or destination address ({@code hi}, {@code lo}: its two 64-bit halves). */
    public void setAddress6(boolean src, long hi, long lo) {
        int off = layout.l3 + (src ? 8 : 24);
        int l4 = autoL4Checksum ? layout.l4Checksum : -1;
        for (int i = 0; i < 4; i++) {
            patch16(off + 2 * i, (int) (hi >>> (48 - 16 * i)) & 0xFFFF, -1, l4);
            patch16(off + 8 + 2 * i, (int) (lo >>> (48 - 16 * i)) & 0xFFFF, -1, l4);
        }
    }

    /** Sets the IPv4 TTL or the IPv6 hop limit. */
    public void setTtl(int ttl) {
        if (layout.ipVersion == 4) {
            int off = layout.l3 + 8;
            patch16(off, (ttl << 8) | (Checksums.u16(frame, off) & 0xFF), autoIpChecksum ? layout.ipChecksum : -1);
        } else {
            int off = layout.l3 + 6;
            patch16(off, (Checksums.u16(frame, off) & 0xFF00) | ttl, -1);
        }
    }

    /** Sets the DSCP: the top six bits of the IPv4 TOS or the IPv6 traffic class (ECN bits kept). */
    public void setDscp(int dscp) {
        int off = layout.l3;
        int word = Checksums.u16(frame, off);
        if (layout.ipVersion == 4) {
            patch16(off, (word & ~0xFC) | (dscp << 2), autoIpChecksum ? layout.ipChecksum : -1);
        } else {
            patch16(off, (word & ~(0x3F << 6)) | (dscp << 6), -1);
        }
    }

    /** Sets the IPv4 identification (no-op on IPv6). */
    public void setIpId(int id) {
        if (layout.ipId >= 0) {
            patch16(layout.ipId, id, autoIpChecksum ? layout.ipChecksum : -1);
        }
    }

    /** Sets the ICMP/ICMPv6 sequence number (echo and the other id/seq types). */
    public void setIcmpSeq(int seq) {
        if (layout.icmpSeq >= 0) {
            patch16(layout.icmpSeq, seq, autoL4Checksum ? layout.l4Checksum : -1);
        }
    }

    /** Sets the TCP sequence and acknowledgement numbers and flags (the low 9 bits of the flags word). */
    public void setTcp(long seq, long ack, int flags) {
        if (layout.tcpSeq < 0) {
            return;
        }
        int ck = autoL4Checksum ? layout.l4Checksum : -1;
        patch16(layout.tcpSeq, (int) (seq >>> 16) & 0xFFFF, ck);
        patch16(layout.tcpSeq + 2, (int) seq & 0xFFFF, ck);
        patch16(layout.tcpAck, (int) (ack >>> 16) & 0xFFFF, ck);
        patch16(layout.tcpAck + 2, (int) ack & 0xFFFF, ck);
        int word = Checksums.u16(frame, layout.tcpFlags);
        patch16(layout.tcpFlags, (word & 0xFE00) | (flags & 0x1FF), ck);
    }

    /** Writes the signature's sequence number and transmit time; no-op when the frame has no signature. */
    public void setSignature(long seq, long txNanos) {
        int s = layout.signature;
        if (s < 0) {
            return;
        }
        int ck = autoL4Checksum ? layout.l4Checksum : -1;
        for (int i = 0; i < 4; i++) {
            patch16(s + 8 + 2 * i, (int) (seq >>> (48 - 16 * i)) & 0xFFFF, ck);
            patch16(s + 16 + 2 * i, (int) (txNanos >>> (48 - 16 * i)) & 0xFFFF, ck);
        }
    }

    /**
     * Replaces the 16-bit word at {@code off} and, when {@code ckOff >= 0}, updates the checksum there.
     * {@code off} must be at an even distance from the start of the checksummed header.
     */
    private void patch16(int off, int value, int ckOff) {
        patch16(off, value, ckOff, -1);
    }

    /** {@link #patch16(int, int, int)} for a word two checksums cover (an address: IPv4 header and L4). */
    private void patch16(int off, int value, int ckOff, int ckOff2) {
        int old = Checksums.u16(frame, off);
        if (old == value) {
            return;
        }
        Checksums.put16(frame, off, value);
        adjust(ckOff, old, value);
        adjust(ckOff2, old, value);
    }

    private void adjust(int ckOff, int old, int value) {
        if (ckOff < 0) {
            return;
        }
        int ck = Checksums.adjust(Checksums.u16(frame, ckOff), old, value);
        if (ck == 0 && layout.proto == L4Proto.UDP && ckOff == layout.l4Checksum) {
            // A computed UDP checksum of 0 is sent as 0xFFFF; 0 means "none" (RFC 768).
            ck = 0xFFFF;
        }
        Checksums.put16(frame, ckOff, ck);
    }
}
