package io.fleetgen.agent;

import io.fleetgen.codec.ValidationException;
import io.fleetgen.codec.InetText;

/** An address prefix, e.g. {@code 198.18.0.0/24} or {@code 2001:2::/64}. Immutable. */
public final class Cidr {
    private final byte[] network;
    private final int bits;

    private Cidr(byte[] network, int bits) {
        this.network = network;
        this.bits = bits;
    }

    /** Parses {@code addr/len}; a bare address is a host prefix. */
    public static Cidr parse(String field, String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        byte[] a = InetText.parse(field, slash < 0 ? t : t.substring(0, slash));
        int max = a.length * 8;
        int bits = max;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw ValidationException.of(field, text, "a prefix length 0-" + max);
            }
            if (bits < 0 || bits > max) {
                throw ValidationException.of(field, text, "a prefix length 0-" + max);
            }
        }
        return new Cidr(a, bits);
    }

    public boolean contains(byte[] addr) {
        if (addr.length != network.length) {
            return false;
        }
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (addr[i] != network[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (addr[full] & mask) == (network[full] & mask);
    }

    /** The prefix's last address (all host bits set). */
    public byte[] last() {
        byte[] a = network.clone();
        for (int bit = bits; bit < a.length * 8; bit++) {
            a[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
        return a;
    }

    /** A host prefix of one address. */
    public static Cidr host(byte[] address) {
        return new Cidr(address.clone(), address.length * 8);
    }

    @Override
    public String toString() {
        return InetText.format(network) + "/" + bits;
    }
}
