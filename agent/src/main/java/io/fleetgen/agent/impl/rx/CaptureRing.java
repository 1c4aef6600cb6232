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
 *
 * <p>A small such run that captures headers only gets a frame ring instead ({@link Ring#frames}: libpcap's
 * TPACKET_V2, which it uses in immediate mode): a slot per packet in page-sized blocks and no block timeout, so the
 * ring holds the whole run twice over whatever the timing, at most {@value #MIN_MIB} MiB. A 12 x 12 mesh pair's
 * receiver takes 0.8 MiB so (its 12 MiB block ring took 1.6 GiB of zeroed blocks for the mesh); its capture thread
 * then looks at the ring every {@value CaptureLoop#READ_TIMEOUT_MS} ms rather than waking for each packet.
 */
public final class CaptureRing {
    /**
     * A capture's kernel ring: {@code bytes} long, of frame slots ({@code frames}, TPACKET_V2) or of blocks
     * (TPACKET_V3).
     */
    public record Ring(int bytes, boolean frames) {
        /** What it is charged against the agent's capture memory. */
        public int mib() {
            return (int) ((bytes + MIB - 1) / MIB);
        }
    }

    public static final int MIN_MIB = 4;
    public static final int MAX_MIB = 32;
    /** libpcap's TPACKET_V3 block: its largest snapshot length rounded up to a power of two pages. */
    static final int BLOCK_BYTES = 256 << 10;
    /** Per packet in a block, besides the captured bytes: its header and link address, aligned. */
    static final int SLOT_OVERHEAD = 96;
    /** Layer 2-4 headers around a payload at most (Ethernet, IPv6, TCP with options). */
    static final int HEADERS = 128;
    private static final long MIB = 1 << 20;
    private static final int PAGE = 4096;
    /** A TPACKET_V2 slot of a headers-only capture at most: its header, link address and snapshot, aligned. */
    static final int FRAME_SLOT = SLOT_OVERHEAD + CaptureLoop.SNAPLEN;

    private CaptureRing() {
    }

    /** A receiver's ring: whole frames when it verifies checksums, else their headers. */
    public static Ring ofReceiver(ProfileSpec p) {
        return of(p, p.chksum());
    }

    /**
     * The ring of a sender's capture of its replies: an ICMP echo's, sized for its run; a TCP session's peer, whose
     * segments' timing its profile does not give, the largest.
     */
    public static Ring ofSender(ProfileSpec p) {
        return p.stream().proto() == L4Proto.TCP ? new Ring(MAX_MIB << 20, false) : of(p, false);
    }

    /** A frame ring for a small paced finite run of headers, else the block ring {@link #mib} gives. */
    static Ring of(ProfileSpec p, boolean fullFrames) {
        long bytes = fullFrames ? -1 : frameBytes(p);
        return bytes > 0 ? new Ring((int) bytes, true) : new Ring(mib(p, fullFrames) << 20, false);
    }

    /**
     * A frame ring that holds the run's packets twice, headers only, with a spare 64 KiB; -1 when the run is not
     * finite and paced in packets per second, or needs more than {@value #MIN_MIB} MiB so.
     */
    static long frameBytes(ProfileSpec p) {
        if (!p.type().isFinite() || p.bps() > 0 || timeoutBlocks(p) == Long.MAX_VALUE) {
            return -1;
        }
        long packets = p.expectedPackets();
        long perPage = PAGE / FRAME_SLOT;
        if (packets > MIN_MIB * MIB / PAGE * perPage) {
            return -1;
        }
        long bytes = (2 * packets + perPage - 1) / perPage * PAGE + (64 << 10);
        return bytes <= MIN_MIB * MIB ? bytes : -1;
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
