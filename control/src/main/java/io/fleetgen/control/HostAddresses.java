package io.fleetgen.control;

import io.fleetgen.codec.ErrorCode;
import io.fleetgen.codec.InetText;
import java.util.List;

/** Which of a host's announced addresses lies in a given network: where fleet-wide runs and meshes send. */
final class HostAddresses {
    private HostAddresses() {
    }

    /** The host's announced address in the network of {@code dst} (the address's own prefix length). */
    static String in(List<HostStatus> hosts, String what, String id, byte[] dst, String dstText) {
        for (HostStatus h : hosts) {
            if (!h.id().equals(id)) {
                continue;
            }
            for (String cidr : h.info().addresses()) {
                int slash = cidr.indexOf('/');
                byte[] a = InetText.parse("address", cidr.substring(0, slash));
                if (a.length == dst.length && samePrefix(a, dst, Integer.parseInt(cidr.substring(slash + 1)))) {
                    return cidr.substring(0, slash);
                }
            }
            throw new FleetException(ErrorCode.INVALID, what + ": " + id + " has no address in the network of dst "
                    + dstText + " (its addresses: " + h.info().addresses() + ")", null);
        }
        throw new FleetException(ErrorCode.UNREACHABLE, what + ": unknown host " + id, null);
    }

    private static boolean samePrefix(byte[] a, byte[] b, int bits) {
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((a[i / 8] & mask) != (b[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }
}
