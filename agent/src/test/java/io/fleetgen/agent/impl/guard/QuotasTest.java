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
    private static ProfileSpec udp(ProfileType type, long pps) {
        StreamSpec s = StreamSpec.fromSeed(Map.of("proto", "udp", "dst", "198.18.0.2", "dport", 9000));
        return ProfileSpec.builder(type, s).size(18).pps(pps).build();
    }

    @Test
    void lowRateReceiversTakeASmallRingAndUnpacedOnesTheLargest() throws Exception {
        Quotas q = new Quotas(100, 100, 64, 100);
        List<Quotas.Share> held = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            held.add(q.reserve(udp(ProfileType.CONTINUOUS, 1000), false)); // 4 MiB each
        }
        Policy.Refusal r = assertThrows(Policy.Refusal.class, () -> q.reserve(udp(ProfileType.CONTINUOUS, 1000),
                false));
        assertEquals(ErrorCode.LIMIT, r.code());
        assertEquals("capture memory (MiB): 64 in use (expected: at most 64 on this agent; --max-capture-mib sets it)",
                r.getMessage());
        for (int i = 0; i < 4; i++) {
            q.release(held.remove(0));
        }
        assertThrows(Policy.Refusal.class, () -> q.reserve(udp(ProfileType.CONTINUOUS, 0), false),
                "48 MiB in use: no room for an unpaced capture's 32");
        for (int i = 0; i < 4; i++) {
            q.release(held.remove(0));
        }
        q.reserve(udp(ProfileType.CONTINUOUS, 0), false);
        assertEquals(9, q.runs());
    }

    @Test
    void aUdpSenderCapturesNothing() throws Exception {
        Quotas q = new Quotas(100, 100, 32, 100);
        for (int i = 0; i < 50; i++) {
            q.reserve(udp(ProfileType.CONTINUOUS, 0), true);
        }
        assertEquals(50, q.runs());
    }
}
