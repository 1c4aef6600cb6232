package io.fleetgen.agent.impl.rx;

import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;

/**
 * The kernel ring a run's capture gets, in MiB (issue 15): room for {@value #TOLERANCE_SECONDS} s of the rate its
 * profile declares, or for its whole run when that is less, between {@value #MIN_MIB} and {@value #MAX_MIB} MiB;
 * {@value #MAX_MIB} MiB when the profile sets no rate (as fast as the path allows). The ring is what absorbs the
 * time the capture thread does not run; every MiB of it is kernel memory allocated in 256 KiB blocks and zeroed
 * when the capture opens. A fixed 32 MiB for every capture made 132 receivers of a 1 kpps mesh on 12 agents take
 * 8-12 s to start (4 GiB of rings at once), 1.1-2.5 s with 4 MiB each. A ring that does overflow is not silent:
 * the kernel's drops are the run's {@code drops} counter.
 */
public final class CaptureRing {
    public static final int MIN_MIB = 4;
    public static final int MAX_MIB = 32;
    static final int TOLERANCE_SECONDS = 4;
    /** Per packet in a TPACKET_V3 block, besides the captured bytes: its header and link address, aligned. */
    static final int SLOT_OVERHEAD = 96;
    /** Layer 2-4 headers around a payload at most (Ethernet, IPv6, TCP with options). */
    static final int HEADERS = 128;
    /** Frames of at least this size on the wire: what a rate set in bits per second bounds the packets by. */
    private static final int MIN_FRAME = 60;
    private static final long MIB = 1 << 20;

    private CaptureRing() {
    }

    /**
     * The ring for a capture of this profile's packets, whole frames ({@code fullFrames}, a receiver that verifies
     * checksums) or their headers only.
     */
    public static int mib(ProfileSpec p, boolean fullFrames) {
        long frame = maxFrame(p);
        long slot = SLOT_OVERHEAD + Math.min(fullFrames ? CaptureLoop.FULL_SNAPLEN : CaptureLoop.SNAPLEN, frame);
        long packets = Long.MAX_VALUE;
        long pps = declaredPps(p);
        if (pps > 0) {
            packets = saturatedTimes(pps, TOLERANCE_SECONDS);
        }
        if (p.type() == ProfileType.BURST) {
            long twoBursts = saturatedTimes(p.burstCount(), 2); // whatever the rate within a burst
            packets = pps > 0 ? Math.max(packets, twoBursts) : twoBursts;
        }
        long expected = p.expectedPackets();
        if (expected >= 0) {
            packets = Math.min(packets, expected);
        }
        if (packets > Long.MAX_VALUE / slot / 2) {
            return MAX_MIB;
        }
        long mib = Math.max(1, (packets * slot + MIB - 1) / MIB);
        return (int) Math.min(MAX_MIB, Math.max(MIN_MIB, Long.highestOneBit(mib - 1) << 1));
    }

    /** Packets a second the profile's streams send together; 0 when one of them is not paced. */
    static long declaredPps(ProfileSpec p) {
        if (p.bps() > 0) {
            return Math.max(1, p.bps() / (8L * MIN_FRAME));
        }
        long sum = 0;
        for (int i = 0; i < p.streams().size(); i++) {
            long r = p.ppsOf(i);
            if (r <= 0) {
                return 0;
            }
            sum = r > Long.MAX_VALUE - sum ? Long.MAX_VALUE : sum + r;
        }
        return sum;
    }

    private static long maxFrame(ProfileSpec p) {
        long frame = p.payloadLength() + HEADERS;
        for (int size : p.imix().sizes()) {
            frame = Math.max(frame, size);
        }
        return frame;
    }

    private static long saturatedTimes(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return high != 0 || low < 0 ? Long.MAX_VALUE : low;
    }
}
