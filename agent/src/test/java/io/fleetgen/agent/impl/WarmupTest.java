package io.fleetgen.agent.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetgen.agent.frame.FrameTemplate;
import io.fleetgen.codec.Command;
import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.ProfileType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The warm-up's steps that need no root do what a start does: a command that the wire takes and gives back whole
 * (a sample a codec change made invalid would turn the step into a logged skip, and the first run would pay again),
 * and a frame of each protocol. What needs the lab (seals, handles on the loopback) is checked by WarmupIT.
 */
class WarmupTest {
    @Test
    void theSampleCommandCrossesTheWire() throws Exception {
        Command c = Warmup.wire();
        assertEquals(CommandOp.START_SENDER, c.op());
        assertEquals("warm-up", c.name());
        assertEquals(ProfileType.STANDARD, c.profile().type());
        assertEquals(1, c.profile().count());
        assertEquals("198.18.0.2", c.profile().stream().dstText());
    }

    @Test
    void aFrameOfEachProtocolIsBuilt() {
        List<FrameTemplate> f = Warmup.frames();
        // Ethernet 14 + IPv4 20 + UDP 8 / TCP 20 / ICMP 8 + the 64-byte payload.
        assertEquals(List.of(106, 118, 106), f.stream().map(FrameTemplate::length).toList());
    }
}
