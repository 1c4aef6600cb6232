package io.fleetgen.agent.impl.rx;

import io.fleetgen.agent.frame.Checksums;
import io.fleetgen.codec.L4Proto;

/**
 * Reads the headers of one captured frame in place (Ethernet, optional 802.1Q tags, or Linux cooked capture
 * for the "any" interface) without allocating. {@link #parse} returns false for anything that is not IPv4 or
 * IPv6. Reused for every packet by its one capture thread.
 */
public final class PacketView {
    static final int ETHERNET = 1;
    static final int LINUX_SLL = 113;

    byte[] b;
    /** Captured length. */
    int len;
    /** Length on the wire (more than {@link #len} when the capture cut the frame at its snap length). */
    public int wireLen;
    int l3;
    /** 4 or 6 after a successful {@link #parse}. */
    public int ipVersion;
    /** IP protocol / next header. */
    public int proto;
    /** Offset of the L4 header. */
    public int l4;
    int l4Len;
    boolean firstFragment;

    private final int dlt;

    public PacketView(int dlt) {
        this.dlt = dlt;
    }

    /**
     * Reads the headers of the frame captured in {@code frame[0, length)}; false when it is not IPv4 or IPv6.
     *
     * @param wireLength the frame's length on the wire
     */
    public boolean parse(byte[] frame, int length, int wireLength) {
        b = frame;
        len = length;
        wireLen = wireLength;
        int type;
        int off;
        if (dlt == LINUX_SLL) {
            if (len < 16) {
                return false;
            }
            type = Checksums.u16(b, 14);
            off = 16;
        } else {
            if (len < 14) {
                return false;
            }
            type = Checksums.u16(b, 12);
            off = 14;
            while ((type == 0x8100 || type == 0x88A8) && off + 4 <= len) {
                type = Checksums.u16(b, off + 2);
                off += 4;
            }
        }
        l3 = off;
        if (type == 0x0800 && off + 20 <= len) {
            return parseV4();
        }
        if (type == 0x86DD && off + 40 <= len) {
            ipVersion = 6;
            proto = b[off + 6] & 0xFF;
            l4 = off + 40;
            l4Len = Math.min(Checksums.u16(b, off + 4), len - l4);
            firstFragment = true;
            return true;
        }
        return false;
    }

    private boolean parseV4() {
        ipVersion = 4;
        int ihl = (b[l3] & 0x0F) * 4;
        if (ihl < 20 || l3 + ihl > len) {
            return false;
        }
        proto = b[l3 + 9] & 0xFF;
        firstFragment = (Checksums.u16(b, l3 + 6) & 0x1FFF) == 0;
        l4 = l3 + ihl;
        int total = Checksums.u16(b, l3 + 2);
        l4Len = Math.max(0, Math.min(total, len - l3) - ihl);
        return true;
    }

    /** A big-endian 16-bit value at {@code off}, or -1 past the end. */
    public int u16(int off) {
        return off + 2 <= len ? Checksums.u16(b, off) : -1;
    }

    /** The byte at {@code off}, or -1 past the end. */
    public int u8(int off) {
        return off < len ? b[off] & 0xFF : -1;
    }

    /** A big-endian 32-bit value at {@code off} (unsigned), or -1 past the end. */
    public long u32(int off) {
        return off + 4 <= len ? Checksums.u32(b, off) : -1;
    }

    /**
     * Whether the IPv4 header checksum (v4 only) and the L4 checksum verify. The L4 checksum of a frame cut by
     * the capture's snap length cannot be checked and passes.
     */
    boolean checksumsValid() {
        if (ipVersion == 4) {
            int ihl = (b[l3] & 0x0F) * 4;
            if (Checksums.of(b, l3, ihl) != 0) {
                return false;
            }
        }
        if (!firstFragment || len < wireLen || l4 + l4Len > len) {
            return true;
        }
        if (proto == L4Proto.Number.UDP && ipVersion == 4 && u16(l4 + 6) == 0) {
            // UDP over IPv4 without a checksum (RFC 768).
            return true;
        }
        long sum = 0;
        if (proto != L4Proto.Number.ICMP) {
            if (ipVersion == 4) {
                sum = Checksums.sum(b, l3 + 12, 8, 0) + proto + l4Len;
            } else {
                sum = Checksums.sum(b, l3 + 8, 32, 0) + (l4Len >>> 16) + (l4Len & 0xFFFF) + proto;
            }
        }
        return Checksums.fold(Checksums.sum(b, l4, l4Len, sum)) == 0xFFFF;
    }
}
