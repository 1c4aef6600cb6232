package io.fleetgen.agent.impl.rx;

import io.fleetgen.codec.L4Proto;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;

/**
 * The kernel ring a run's capture gets, in MiB (issue 15). libpcap's TPACKET_V3 ring is made of 256 KiB blocks;
 * the kernel hands a block to the capture when it is full or when the capture's timeout ({@value
 * CaptureLoop#READ_TIMEOUT_MS} ms) passes with at least one packet in it, and drops packets when no block is free.
 * So at a low rate each 50 ms with a packet in it takes a block, and what a ring absorbs while its capture thread
 * does not run is counted in blocks, not bytes. A run that ends by itself (Standard, Burst) at a set rate gets a
 * ring that holds its whole run, with the run's arrival time taken twice (a starved sender spreads its packets):
 * the blocks its timeouts can close plus those its bytes fill, at least {@value #MIN_MIB} MiB. Every other run, and
 * one that would need more (and a TCP session's capture of its peer: {@link #ofSender}), gets {@value #MAX_MIB}
 * MiB, as every capture did before: a 12 x 12 mesh (132 receivers of 1,000 packets at 1 kpps) asked 4.2 GiB of
 * zeroed kernel blocks at once and its receivers took 8-12 s to start on 12 agents. A ring that overflows is not
 * silent: the kernel's drops are the run's {@code drops}.
 */
public final class CaptureRing {
    public static final int MIN_MIB = 4;
    public static final int MAX_MIB = 32;
    /** libpcap's TPACKET_V3 block: its largest snapshot length rounded up to a power of two pages. */
    static final int BLOCK_BYTES = 256 << 10;
    /** Per packet in a block, besides the captured bytes: its header and link address, aligned. */
    static final int SLOT_OVERHEAD = 96;
    /** Layer 2-4 headers around a payload at most (Ethernet, IPv6, TCP with options). */
    static final int HEADERS = 128;
    private static final long MIB = 1 << 20;

    private CaptureRing() {
    }

    /** A receiver's ring: whole frames when it verifies checksums, else their headers. */
    public static int ofReceiver(ProfileSpec p) {
        return mib(p, p.chksum());
    }

    /**
     * The ring of a sender's capture of its replies: an ICMP echo's, sized for its run; a TCP session's peer, whose
     * segments' timing its profile does not give, the largest.
     */
    public static int ofSender(ProfileSpec p) {
        return p.stream().proto() == L4Proto.TCP ? MAX_MIB : mib(p, false);
    }

    /**
     * The ring for a capture of this profile's packets, whole frames ({@code fullFrames}, a receiver that verifies
     * checksums) or their headers only.
     */
    static int mib(ProfileSpec p, boolean fullFrames) {
        if (!p.type().isFinite() || p.bps() > 0) {
            return MAX_MIB;
        }
        long packets = p.expectedPackets(); // below 2^63: the profile's builder refuses more
        if (packets > MAX_MIB * MIB / SLOT_OVERHEAD) {
            return MAX_MIB;
        }
        long slot = SLOT_OVERHEAD + Math.min(fullFrames ? CaptureLoop.FULL_SNAPLEN : CaptureLoop.SNAPLEN, maxFrame(p));
        long byBytes = (packets * slot + BLOCK_BYTES - 1) / BLOCK_BYTES;
        long blocks = Math.min(packets, timeoutBlocks(p)) + byBytes + 2;
        long mib = (blocks * BLOCK_BYTES + MIB - 1) / MIB;
        return (int) Math.min(MAX_MIB, Math.max(MIN_MIB, mib));
    }

    /**
     * How many blocks the capture timeout can close during the run: one per timeout in which packets arrive, over
     * twice the time the run's rate gives them; as many as packets when a stream is not paced.
     */
    private static long timeoutBlocks(ProfileSpec p) {
        long slowestMillis = 0;
        for (int i = 0; i < p.streams().size(); i++) {
            long pps = p.ppsOf(i);
            if (pps <= 0) {
                return Long.MAX_VALUE;
            }
            long each = p.type() == ProfileType.BURST ? p.burstCount() : p.count();
            slowestMillis = Math.max(slowestMillis, (each * 1000 + pps - 1) / pps);
        }
        long perSpan = 2 * ((slowestMillis + CaptureLoop.READ_TIMEOUT_MS - 1) / CaptureLoop.READ_TIMEOUT_MS) + 2;
        // A Burst run's packets come in its bursts only, each of them the span above (count is small here: mib()
        // took the largest ring beyond a few hundred thousand packets).
        return p.type() == ProfileType.BURST ? perSpan * p.count() : perSpan;
    }

    private static long maxFrame(ProfileSpec p) {
        long frame = p.payloadLength() + HEADERS;
        for (int size : p.imix().sizes()) {
            frame = Math.max(frame, size);
        }
        return frame;
    }
}
