package io.fleetgen.codec;

import java.util.Arrays;

/**
 * Weighted frame sizes, {@code SIZE:WEIGHT,...} (e.g. the simple IMIX {@code 64:7,570:4,1518:1}): sizes are
 * Ethernet frame lengths with the 4-byte FCS, as IMIX and RFC 2544 count them, so a 64-byte frame is sent as 60
 * bytes. A run sends them interleaved in a fixed order (smooth weighted round robin), every size exactly its weight
 * in each cycle of {@link #cycle()} packets. Immutable.
 */
public final class Imix {
    public static final Imix NONE = new Imix(new int[0], new int[0]);
    /** Most sizes in one mix. */
    public static final int MAX_SIZES = 16;
    /** Largest weight of one size, and of all together. */
    public static final int MAX_WEIGHT = 1000;
    public static final int MIN_FRAME = 64;
    public static final int MAX_FRAME = 9216;
    /** The FCS a size includes and the frame handed to the kernel does not. */
    public static final int FCS = 4;

    private final int[] sizes;
    private final int[] weights;

    private Imix(int[] sizes, int[] weights) {
        this.sizes = sizes;
        this.weights = weights;
    }

    /** Parses {@code SIZE:WEIGHT,...}; a bad part is named with what was expected. */
    public static Imix parse(String text) {
        String[] parts = text.trim().split(",");
        if (text.isBlank()) {
            return NONE;
        }
        if (parts.length > MAX_SIZES) {
            throw ValidationException.of("imix", text, "at most " + MAX_SIZES + " sizes");
        }
        int[] s = new int[parts.length];
        int[] w = new int[parts.length];
        int total = 0;
        for (int i = 0; i < parts.length; i++) {
            String[] sw = parts[i].trim().split(":");
            if (sw.length != 2) {
                throw ValidationException.of("imix", parts[i], "SIZE:WEIGHT, e.g. 64:7,570:4,1518:1");
            }
            s[i] = (int) ProfileValues.integer("imix size", sw[0], MIN_FRAME, MAX_FRAME);
            w[i] = (int) ProfileValues.integer("imix weight", sw[1], 1, MAX_WEIGHT);
            total += w[i];
            for (int j = 0; j < i; j++) {
                if (s[j] == s[i]) {
                    throw ValidationException.of("imix size", s[i], "each size once");
                }
            }
        }
        if (total > MAX_WEIGHT) {
            throw ValidationException.of("imix", text, "weights adding up to at most " + MAX_WEIGHT);
        }
        return new Imix(s, w);
    }


    public boolean isEmpty() {
        return sizes.length == 0;
    }

    /** Frame sizes with FCS, in the order given. */
    public int[] sizes() {
        return sizes.clone();
    }

    public int[] weights() {
        return weights.clone();
    }

    /** Packets in one cycle: the sum of the weights. */
    public int cycle() {
        return Arrays.stream(weights).sum();
    }

    /** The order of one cycle: for each packet, the index of its size (smooth weighted round robin). */
    public int[] pattern() {
        int total = cycle();
        int[] out = new int[total];
        int[] current = new int[sizes.length];
        for (int k = 0; k < total; k++) {
            int best = 0;
            for (int i = 0; i < sizes.length; i++) {
                current[i] += weights[i];
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            out[k] = best;
        }
        return out;
    }

    /** Mean bytes per frame handed to the kernel (without FCS), over one cycle. */
    public double meanFrameBytes() {
        double sum = 0;
        for (int i = 0; i < sizes.length; i++) {
            sum += (double) (sizes[i] - FCS) * weights[i];
        }
        return sum / cycle();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < sizes.length; i++) {
            b.append(i == 0 ? "" : ",").append(sizes[i]).append(':').append(weights[i]);
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Imix && Arrays.equals(sizes, ((Imix) o).sizes)
                && Arrays.equals(weights, ((Imix) o).weights);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(sizes) + Arrays.hashCode(weights);
    }
}
