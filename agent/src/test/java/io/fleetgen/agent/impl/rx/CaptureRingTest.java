package io.fleetgen.agent.impl.rx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetgen.codec.ProfileBuilder;
import io.fleetgen.codec.ProfileParam;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.StreamSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A capture's kernel ring holds a finite paced run whole, counted in TPACKET_V3 blocks (issue 15); 18-byte payloads
 * take 96 + 146 bytes of a 256 KiB block, and each 50 ms with a packet in it closes a block.
 */
class CaptureRingTest {
    private static ProfileBuilder udp(ProfileType type) {
        return profile(type, 18);
    }

    private static ProfileBuilder profile(ProfileType type, int size) {
        StreamSpec s = StreamSpec.fromSeed(Map.of("proto", "udp", "dst", "198.18.0.2", "dport", 9000));
        return ProfileSpec.builder(type, s).size(size);
    }

    @Test
    void endlessRunsKeepTheLargestRing() {
        assertEquals(32, CaptureRing.mib(udp(ProfileType.CONTINUOUS).pps(2).build(), false));
        assertEquals(32, CaptureRing.mib(udp(ProfileType.CONTINUOUS).build(), false));
        assertEquals(32, CaptureRing.mib(udp(ProfileType.STANDARD).count(100).set(ProfileParam.BPS, 1_000_000)
                .build(), false), "a rate in bits: its packets a second depend on the frames");
    }

    @Test
    void aPacedFiniteRunGetsARingForAllOfIt() {
        // The 12 x 12 mesh's pairs: 1,000 packets in 1 s, taken as 2 s: 42 blocks by timeout, 1 by bytes, 2 more.
        assertEquals(12, CaptureRing.mib(udp(ProfileType.STANDARD).count(1000).pps(1000).build(), false));
        assertEquals(4, CaptureRing.mib(udp(ProfileType.STANDARD).count(10).pps(1).build(), false),
                "10 packets close 10 blocks at most, whatever the time");
        assertEquals(32, CaptureRing.mib(udp(ProfileType.STANDARD).count(1_000_000).pps(100_000).build(), false));
    }

    @Test
    void anUnpacedRunMayCloseABlockWithEachPacket() {
        assertEquals(14, CaptureRing.mib(udp(ProfileType.STANDARD).count(50).build(), false), "53 blocks");
        assertEquals(32, CaptureRing.mib(udp(ProfileType.STANDARD).count(10_000).build(), false));
    }

    @Test
    void wholeFramesCountWhenTheReceiverVerifiesThem() {
        ProfileBuilder big = profile(ProfileType.STANDARD, 1400).count(5000).pps(5000);
        assertEquals(13, CaptureRing.mib(big.build(), false), "42 + 7 + 2 blocks: 352 bytes a packet");
        assertEquals(19, CaptureRing.mib(big.build(), true), "42 + 31 + 2 blocks: 1,624 bytes a packet");
    }

    @Test
    void burstsCountTheTimeOfTheirBurstsOnly() {
        ProfileBuilder b = udp(ProfileType.BURST).count(3).set(ProfileParam.BURST_COUNT, 1000)
                .set(ProfileParam.BURST_INTERVAL, 1000);
        assertEquals(6, CaptureRing.mib(b.pps(10_000).build(), false), "3 bursts of 100 ms: 18 + 3 + 2 blocks");
        assertEquals(32, CaptureRing.mib(b.pps(0).build(), false), "unpaced: 3,000 packets, a block each");
        assertEquals(32, CaptureRing.mib(udp(ProfileType.BURST).count(ProfileSpec.MAX_COUNT)
                .set(ProfileParam.BURST_COUNT, 9_000_000).pps(1).build(), false),
                "counts near the largest a profile takes: nothing overflows, the ring is the largest");
        assertEquals(32, CaptureRing.mib(udp(ProfileType.BURST).count(ProfileSpec.MAX_COUNT)
                .set(ProfileParam.BURST_COUNT, 1).pps(1).build(), false), "10^12 bursts of one");
    }

    @Test
    void anEchoSenderSizesItsRepliesRingATcpSessionTakesTheLargest() {
        ProfileSpec echo = ProfileSpec.builder(ProfileType.STANDARD, StreamSpec.fromSeed(Map.of("proto", "icmp",
                "dst", "198.18.0.2"))).count(1000).pps(1000).build();
        ProfileSpec session = ProfileSpec.builder(ProfileType.STANDARD, StreamSpec.fromSeed(Map.of("proto", "tcp",
                "dst", "198.18.0.2", "dport", 9000))).count(1000).pps(1000).build();
        assertEquals(new CaptureRing.Ring((int) CaptureRing.frameBytes(echo), true), CaptureRing.ofSender(echo));
        assertEquals(new CaptureRing.Ring(32 << 20, false), CaptureRing.ofSender(session));
        ProfileSpec verified = profile(ProfileType.STANDARD, 1400).count(5000).pps(5000).chksum(true).build();
        assertEquals(new CaptureRing.Ring(19 << 20, false), CaptureRing.ofReceiver(verified), "whole frames: blocks");
    }

    @Test
    void aSmallPacedRunOfHeadersGetsAFrameRingThatHoldsItTwice() {
        // 4,096-byte pages of 352-byte slots: 11 a page. A mesh pair: 2,000 slots in 182 pages, and 64 KiB spare.
        ProfileSpec pair = udp(ProfileType.STANDARD).count(1000).pps(1000).build();
        assertEquals(182 * 4096 + 65536, CaptureRing.frameBytes(pair));
        CaptureRing.Ring ring = CaptureRing.ofReceiver(pair);
        assertEquals(new CaptureRing.Ring(182 * 4096 + 65536, true), ring);
        assertEquals(1, ring.mib(), "charged 1 MiB, not the 12 its block ring would take");
        assertEquals(910 * 4096 + 65536, CaptureRing.frameBytes(udp(ProfileType.STANDARD).count(5000).pps(10)
                .build()), "slow or fast: the ring holds the packets whatever their timing");
        assertEquals(-1, CaptureRing.frameBytes(udp(ProfileType.STANDARD).count(6000).pps(1000).build()),
                "more than 4 MiB of slots: blocks");
        assertEquals(-1, CaptureRing.frameBytes(udp(ProfileType.STANDARD).count(100).build()), "unpaced");
        assertEquals(-1, CaptureRing.frameBytes(udp(ProfileType.CONTINUOUS).pps(2).build()), "endless");
        assertEquals(-1, CaptureRing.frameBytes(udp(ProfileType.STANDARD).count(100)
                .set(ProfileParam.BPS, 1_000_000).build()), "a rate in bits per second");
        assertEquals(new CaptureRing.Ring(12 << 20, false), CaptureRing.ofReceiver(udp(ProfileType.STANDARD)
                .count(1000).pps(1000).chksum(true).build()), "whole frames (checksums verified): blocks");
    }
}
