package io.fleetgen.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

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
        assertEquals(INPUTS, outcome[0] + outcome[1]);
        // Most mutations must be caught; a decoder that accepted everything would be broken.
        if (outcome[1] < INPUTS / 2) {
            fail("only " + outcome[1] + " of " + INPUTS + " hostile inputs were refused");
        }
    }

    private static void decodeOnce(Class<?> type, byte[] input, int[] outcome) {
        try {
            Wire.decode(type, input);
            outcome[0]++;
        } catch (WireFormatException e) {
            outcome[1]++;
        }
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
