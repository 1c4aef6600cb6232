package io.fleetgen.agent.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every frame case against the bytes Scapy built for the same stream ({@code golden/gen_golden.py}). */
class FrameBuilderGoldenTest {

    static List<Golden> cases() throws IOException {
        return Golden.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void buildsTheSameBytesAsScapy(Golden g) {
        FrameTemplate t = g.compile(false);
        assertEquals(HexFormat.of().formatHex(g.frame), HexFormat.of().formatHex(t.frame()), g.name);
        assertEquals(g.frame.length, t.length());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void placesTheSignatureAtThePayloadWhenLongEnough(Golden g) {
        FrameTemplate t = g.compile(true);
        if (g.payload.length >= FrameLayout.SIGNATURE_BYTES) {
            assertEquals(t.layout().payload(), t.layout().signature());
            assertEquals(FrameLayout.SIGNATURE_MAGIC, (int) Checksums.u32(t.frame(), t.layout().signature()));
            assertEquals(0x0A0B0C0DL, Checksums.u32(t.frame(), t.layout().signature() + 4));
        } else {
            assertEquals(-1, t.layout().signature());
            assertTrue(java.util.Arrays.equals(g.frame, t.frame()));
        }
    }
}
