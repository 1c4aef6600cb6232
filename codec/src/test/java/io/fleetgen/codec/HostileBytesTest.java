package io.fleetgen.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import io.fleetgen.codec.wire.Wire;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * At least 100,000 random and mutated inputs: each either decodes to a valid value or is refused with
 * {@link WireFormatException}; nothing else escapes (no Error, no other exception), within a bounded time.
 */
class HostileBytesTest {
    private static final int INPUTS = 120_000;

    @Test
    void everyHostileInputIsAnsweredByWireFormatException() {
        List<Object> seeds = WireFixtures.all();
        List<Class<?>> types = Wire.types();
        SplittableRandom rnd = new SplittableRandom(20261126);
        int[] outcome = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (int i = 0; i < INPUTS; i++) {
                byte[] input;
                Class<?> type;
                if (i % 2 == 0) {
                    Object seed = seeds.get(rnd.nextInt(seeds.size()));
                    input = mutate(Wire.encode(seed), rnd);
                    type = rnd.nextInt(4) == 0 ? types.get(rnd.nextInt(types.size())) : seed.getClass();
                } else {
                    input = new byte[rnd.nextInt(64)];
                    for (int j = 0; j < input.length; j++) {
                        input[j] = (byte) rnd.nextInt(256);
                    }
                    type = types.get(rnd.nextInt(types.size()));
                }
                decodeOnce(type, input, outcome);
            }
        });
        // Most mutations must be caught; a decoder that accepted everything would be broken.
        if (outcome[1] < INPUTS / 2) {
            fail("only " + outcome[1] + " of " + INPUTS + " hostile inputs were refused");
        }
    }

    /** Counts a decoded value or a refusal; anything else escaping the decoder fails the test. */
    private static void decodeOnce(Class<?> type, byte[] input, int[] outcome) {
        try {
            Wire.decode(type, input);
            outcome[0]++;
        } catch (WireFormatException e) {
            outcome[1]++;
        }
    }

    /**
     * A 10-byte message whose length prefix is near 2^31 used to pass Protostuff's overflowing bounds check and
     * allocate ~2 GiB (issue 11): every length-delimited field of every type, at every huge length, is refused
     * without allocating more than the input.
     */
    @Test
    void hugeLengthPrefixesAreRefusedBeforeAnythingIsAllocated() {
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long[] lengths = {0x7FFF_FFFFL, 0x7FFF_FFF0L, 0x7FFF_0000L, 0x4000_0000L, 0xFFFF_FFFFL, 1_048_577L};
        int refused = 0;
        long before = mx.getCurrentThreadAllocatedBytes();
        for (Class<?> type : Wire.types()) {
            for (int field = 1; field <= 40; field++) {
                for (long len : lengths) {
                    byte[] in = new byte[16];
                    int n = 0;
                    in[n++] = (byte) (field << 3 | 2);
                    for (long v = len; ; v >>>= 7) {
                        if (v < 0x80) {
                            in[n++] = (byte) v;
                            break;
                        }
                        in[n++] = (byte) (v & 0x7F | 0x80);
                    }
                    int[] outcome = new int[2];
                    decodeOnce(type, java.util.Arrays.copyOf(in, n + 4), outcome);
                    assertEquals(1, outcome[1], type.getSimpleName() + " field " + field + " length " + len);
                    refused++;
                }
            }
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 64L << 20, refused + " refusals allocated " + allocated + " bytes");
    }

    private static byte[] mutate(byte[] b, SplittableRandom rnd) {
        byte[] out = b.clone();
        switch (rnd.nextInt(5)) {
            case 0:
                return java.util.Arrays.copyOf(out, rnd.nextInt(out.length + 1));
            case 1:
                for (int k = 0; k < 1 + rnd.nextInt(4) && out.length > 0; k++) {
                    out[rnd.nextInt(out.length)] = (byte) rnd.nextInt(256);
                }
                return out;
            case 2:
                // A huge varint length where a length-delimited field starts.
                if (out.length > 2) {
                    int p = rnd.nextInt(out.length - 1);
                    out[p] = (byte) 0xFF;
                    out[p + 1] = (byte) 0xFF;
                }
                return out;
            case 3:
                byte[] longer = java.util.Arrays.copyOf(out, out.length + 1 + rnd.nextInt(8));
                for (int k = out.length; k < longer.length; k++) {
                    longer[k] = (byte) rnd.nextInt(256);
                }
                return longer;
            default:
                if (out.length > 0) {
                    out[rnd.nextInt(out.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
                return out;
        }
    }
}
