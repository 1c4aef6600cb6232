package io.fleetgen.agent.frame;

import io.fleetgen.codec.L4Proto;

/**
 * Where each patchable field of a compiled frame sits. One instance per template; every offset is from the
 * start of the Ethernet frame, -1 when the frame has no such field.
 *
 * <pre>
 *  0              14                     l4                  payload                      length
 *  +--------------+----------------------+-------------------+----------------------------+
 *  | dst,src,type | IPv4 (20 + options)  | UDP 8 / TCP 20+o  | signature (24) | filler    |
 *  |   Ethernet   | or IPv6 (40)         | ICMP 8(+12|+4)    | magic id seq txNanos       |
 *  +--------------+----------------------+-------------------+----------------------------+
 *                  ^ipId (v4)  ^ipChecksum (v4)   ^sport ^l4Checksum  ^tcpSeq ^icmpSeq
 * </pre>
 *
 * The signature (SPEC §7) is present when the payload is random (no fixed {@code payload}) and at least
 * {@link #SIGNATURE_BYTES} long: magic {@code FGN1}, 32-bit stream id, 64-bit sequence, 64-bit transmit time
 * in ns. Its sequence and time are 16-bit aligned relative to the L4 header, so the L4 checksum can be updated
 * incrementally.
 */
public final class FrameLayout {
    /** Ethernet header bytes. */
    public static final int ETH_BYTES = 14;
    /** Bytes of the payload signature. */
    public static final int SIGNATURE_BYTES = 24;
    /** {@code FGN1}. */
    public static final int SIGNATURE_MAGIC = 0x46474E31;

    final int ipVersion;
    final L4Proto proto;
    final int l3;
    final int l4;
    final int payload;
    final int length;
    final int ipId;
    final int ipChecksum;
    final int sport;
    final int l4Checksum;
    final int tcpSeq;
    final int tcpAck;
    final int tcpFlags;
    final int icmpSeq;
    final int signature;

    FrameLayout(int ipVersion, L4Proto proto, int l4, int payload, int length, int sport, int l4Checksum,
            int tcpSeq, int icmpSeq, int signature) {
        this.ipVersion = ipVersion;
        this.proto = proto;
        this.l3 = ETH_BYTES;
        this.l4 = l4;
        this.payload = payload;
        this.length = length;
        this.ipId = ipVersion == 4 ? l3 + 4 : -1;
        this.ipChecksum = ipVersion == 4 ? l3 + 10 : -1;
        this.sport = sport;
        this.l4Checksum = l4Checksum;
        this.tcpSeq = tcpSeq;
        this.tcpAck = tcpSeq < 0 ? -1 : tcpSeq + 4;
        this.tcpFlags = tcpSeq < 0 ? -1 : tcpSeq + 8;
        this.icmpSeq = icmpSeq;
        this.signature = signature;
    }

    public int ipVersion() {
        return ipVersion;
    }

    public L4Proto proto() {
        return proto;
    }

    /** Offset of the L4 header. */
    public int l4() {
        return l4;
    }

    /** Offset of the payload. */
    public int payload() {
        return payload;
    }

    /** Frame length in bytes. */
    public int length() {
        return length;
    }

    /** Offset of the signature, or -1 when the frame carries none. */
    public int signature() {
        return signature;
    }

    /** Offset of the TCP sequence number, or -1. */
    public int tcpSeq() {
        return tcpSeq;
    }
}
