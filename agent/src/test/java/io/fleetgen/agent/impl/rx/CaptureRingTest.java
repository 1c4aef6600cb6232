package io.fleetgen.agent.impl.rx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetgen.codec.ProfileBuilder;
import io.fleetgen.codec.ProfileParam;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.StreamSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A capture's kernel ring follows what its run declares (issue 15). */
class CaptureRingTest {
    private static ProfileBuilder udp(ProfileType type) {
        return profile(type, 18);
    }

    private static ProfileBuilder profile(ProfileType type, int size) {
        StreamSpec s = StreamSpec.fromSeed(Map.of("proto", "udp", "dst", "198.18.0.2", "dport", 9000));
        return ProfileSpec.builder(type, s).size(size);
    }

    @Test
    void aPacedRunGetsFourSecondsOfItsRateBetweenTheBounds() {
        // 18-byte payloads: 96 + 146 bytes a packet in the ring.
        assertEquals(4, CaptureRing.mib(udp(ProfileType.CONTINUOUS).pps(1000).build(), false));
        assertEquals(16, CaptureRing.mib(udp(ProfileType.CONTINUOUS).pps(10_000).build(), false), "9.7 MB");
        assertEquals(32, CaptureRing.mib(udp(ProfileType.CONTINUOUS).pps(25_000).build(), false), "24 MB");
        assertEquals(32, CaptureRing.mib(udp(ProfileType.CONTINUOUS).pps(10_000_000).build(), false));
    }

    @Test
    void anUnpacedRunGetsTheLargestRingUnlessItsWholeRunFits() {
        assertEquals(32, CaptureRing.mib(udp(ProfileType.CONTINUOUS).build(), false));
        assertEquals(4, CaptureRing.mib(udp(ProfileType.STANDARD).count(10_000).build(), false), "2.4 MB");
        assertEquals(32, CaptureRing.mib(udp(ProfileType.STANDARD).count(1_000_000).build(), false));
        // The 12 x 12 mesh's pairs: 1,000 packets at 1 kpps.
        assertEquals(4, CaptureRing.mib(udp(ProfileType.STANDARD).count(1000).pps(1000).build(), false));
    }

    @Test
    void wholeFramesCountWhenTheReceiverVerifiesThem() {
        ProfileBuilder big = profile(ProfileType.CONTINUOUS, 1400).pps(5000);
        assertEquals(8, CaptureRing.mib(big.build(), false), "headers only: 5 kpps x 4 s x 352 B = 7 MB");
        assertEquals(32, CaptureRing.mib(big.build(), true), "whole frames: 5 kpps x 4 s x 1624 B = 32.5 MB");
    }

    @Test
    void burstsGetTwoWholeBurstsWhateverTheRate() {
        ProfileBuilder b = udp(ProfileType.BURST).count(1000).set(ProfileParam.BURST_INTERVAL, 1000);
        assertEquals(32, CaptureRing.mib(b.set(ProfileParam.BURST_COUNT, 100_000).build(), false),
                "two bursts of 100,000: 48 MB");
        assertEquals(16, CaptureRing.mib(b.set(ProfileParam.BURST_COUNT, 20_000).pps(100).build(), false),
                "two bursts of 20,000: 9.7 MB, although 100 pps asks less");
    }

    @Test
    void aRateInBitsBoundsThePacketsByTheSmallestFrame() {
        // 10 Mbit/s: at most 20,833 frames of 60 bytes a second.
        assertEquals(32, CaptureRing.mib(udp(ProfileType.CONTINUOUS).set(ProfileParam.BPS, 10_000_000).build(),
                false));
        assertEquals(4, CaptureRing.mib(udp(ProfileType.CONTINUOUS).set(ProfileParam.BPS, 1_000_000).build(),
                false), "2,083 pps: 2 MB");
    }
}
