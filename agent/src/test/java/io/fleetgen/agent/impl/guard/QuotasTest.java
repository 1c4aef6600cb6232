package io.fleetgen.agent.impl.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fleetgen.codec.ErrorCode;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.StreamSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The capture memory limit charges each capture the ring it gets (issues 11 and 15). */
class QuotasTest {
    private static final StreamSpec UDP = StreamSpec.fromSeed(Map.of("proto", "udp", "dst", "198.18.0.2",
            "dport", 9000));
    /** A mesh pair's receiver that verifies checksums (whole frames): a 12 MiB block ring. */
    private static final ProfileSpec PAIR = ProfileSpec.builder(ProfileType.STANDARD, UDP).size(18).count(1000)
            .pps(1000).chksum(true).build();
    /** A mesh pair's receiver (headers): a frame ring, charged 1 MiB. */
    private static final ProfileSpec HEADERS = ProfileSpec.builder(ProfileType.STANDARD, UDP).size(18).count(1000)
            .pps(1000).build();
    /** Endless: 32 MiB. */
    private static final ProfileSpec ENDLESS = ProfileSpec.builder(ProfileType.CONTINUOUS, UDP).size(18).build();

    @Test
    void finiteReceiversTakeTheRingTheirRunNeedsEndlessOnesTheLargest() throws Exception {
        Quotas q = new Quotas(100, 100, 96, 100);
        List<Quotas.Share> held = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            held.add(q.reserve(PAIR, false));
        }
        Policy.Refusal r = assertThrows(Policy.Refusal.class, () -> q.reserve(PAIR, false));
        assertEquals(ErrorCode.LIMIT, r.code());
        assertEquals("capture memory (MiB): 96 in use (expected: at most 96 on this agent; --max-capture-mib sets it)",
                r.getMessage());
        q.release(held.remove(0));
        q.release(held.remove(0));
        assertThrows(Policy.Refusal.class, () -> q.reserve(ENDLESS, false), "72 MiB in use: no room for 32");
        q.release(held.remove(0));
        q.reserve(ENDLESS, false);
        assertEquals(6, q.runs());
    }

    @Test
    void aTcpSessionsCaptureTakesTheLargestRingWhateverItsRun() throws Exception {
        Quotas q = new Quotas(100, 100, 44, 100);
        ProfileSpec session = ProfileSpec.builder(ProfileType.STANDARD, StreamSpec.fromSeed(Map.of("proto", "tcp",
                "dst", "198.18.0.2", "dport", 9000))).count(1000).pps(1000).build();
        q.reserve(session, true);
        Policy.Refusal r = assertThrows(Policy.Refusal.class, () -> q.reserve(session, true));
        assertEquals("capture memory (MiB): 32 in use (expected: at most 44 on this agent; --max-capture-mib sets it)",
                r.getMessage());
        q.reserve(PAIR, false);
        assertEquals(2, q.runs());
    }

    @Test
    void aFrameRingIsChargedWhatItTakes() throws Exception {
        Quotas q = new Quotas(100, 100, 8, 100);
        for (int i = 0; i < 8; i++) {
            q.reserve(HEADERS, false);
        }
        Policy.Refusal r = assertThrows(Policy.Refusal.class, () -> q.reserve(HEADERS, false));
        assertEquals("capture memory (MiB): 8 in use (expected: at most 8 on this agent; --max-capture-mib sets it)",
                r.getMessage());
    }

    @Test
    void aUdpSenderCapturesNothing() throws Exception {
        Quotas q = new Quotas(100, 100, 32, 100);
        for (int i = 0; i < 50; i++) {
            q.reserve(ENDLESS, true);
        }
        assertEquals(50, q.runs());
    }
}
