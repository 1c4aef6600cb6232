package io.fleetgen.agent.impl.tx;

import io.fleetgen.agent.frame.FrameTemplate;
import io.fleetgen.codec.FieldRange;
import io.fleetgen.codec.Flows;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import java.util.ArrayList;
import java.util.List;

/**
 * Sets a profile's ranged fields in the frame for packet {@code k} of the run: {@code k} (its sequence number,
 * threads interleaved) is taken apart into one digit per range, the first range fastest ({@code cross}), or
 * every range advancing together ({@code lockstep}); each digit maps to a value by the range's mode. Only what
 * changed is written, with incremental checksums. No allocation, no state per packet: the same {@code k} gives the
 * same frame on any thread. A ContinuousSportRange is one range, {@code sport=startport..endport}.
 */
public final class FlowSequencer {
    private final Lane[] lanes;
    private final boolean lockstep;
    private final long cycle;

    private FlowSequencer(Lane[] lanes, boolean lockstep, long cycle) {
        this.lanes = lanes;
        this.lockstep = lockstep;
        this.cycle = cycle;
    }

    /** The profile's sequencer, or {@code null} when no field varies. */
    public static FlowSequencer of(ProfileSpec p) {
        Flows flows = p.flows();
        if (p.type() == ProfileType.SPORT_RANGE) {
            List<FieldRange> withPorts = new ArrayList<>(flows.ranges());
            withPorts.add(0, FieldRange.parse("sport=" + p.startport() + ".." + p.endport()));
            flows = Flows.of(withPorts, flows.combine(), flows.seed());
        }
        if (flows.isEmpty()) {
            return null;
        }
        Lane[] lanes = new Lane[flows.ranges().size()];
        for (int j = 0; j < lanes.length; j++) {
            lanes[j] = new Lane(flows.ranges().get(j), flows.seed() ^ (0x9E3779B97F4A7C15L * (j + 1)));
        }
        return new FlowSequencer(lanes, flows.combine() == Flows.Combine.LOCKSTEP, flows.cycle());
    }

    /** Packets after which the sequence repeats. */
    long cycle() {
        return cycle;
    }

    /**
     * A walk through the sequence from packet {@code first} in steps of {@code step} (a transmit thread's share):
     * the digits are kept and carried instead of divided out per packet, and only the fields whose digit changed
     * are written. One per thread and frame; not thread-safe.
     */
    public Cursor cursor(long first, long step, int frames) {
        return new Cursor(first, step, frames);
    }

    public final class Cursor {
        private final long[] digits = new long[lanes.length];
        private final long[] steps = new long[lanes.length];
        /** Per frame (an IMIX has one per size), the digit each lane last wrote into it. */
        private final long[][] written;

        private Cursor(long first, long step, int frames) {
            written = new long[frames][lanes.length];
            long rest = first % cycle;
            long s = step % cycle;
            for (int j = 0; j < lanes.length; j++) {
                long n = lanes[j].n;
                digits[j] = lockstep ? first % n : rest % n;
                steps[j] = lockstep ? step % n : s % n;
                rest /= lockstep ? 1 : n;
                s /= lockstep ? 1 : n;
            }
            for (long[] w : written) {
                java.util.Arrays.fill(w, -1);
            }
        }

        /**
         * Writes the current packet's ranged fields into {@code f}, frame number {@code frame} of the loop (those
         * that changed since that frame was last written), then moves on.
         */
        public void next(FrameTemplate f, int frame) {
            long[] w = written[frame];
            for (int j = 0; j < lanes.length; j++) {
                if (digits[j] != w[j]) {
                    lanes[j].write(f, digits[j]);
                    w[j] = digits[j];
                }
            }
            // Adds the step's digits with carry (cross) or each on its own (lockstep): digits and steps are below
            // their lane's n, so a digit wraps at most once and no division is needed.
            long carry = 0;
            for (int j = 0; j < lanes.length; j++) {
                long d = digits[j] + steps[j] + carry;
                carry = 0;
                if (d >= lanes[j].n) {
                    d -= lanes[j].n;
                    carry = lockstep ? 0 : 1;
                }
                digits[j] = d;
            }
        }
    }

    /** Writes packet {@code k}'s ranged fields ({@code k >= 0}). */
    void apply(FrameTemplate f, long k) {
        long rest = k % cycle;
        for (Lane lane : lanes) {
            long digit;
            if (lockstep) {
                digit = k % lane.n;
            } else {
                digit = rest % lane.n;
                rest /= lane.n;
            }
            lane.write(f, digit);
        }
    }

    /** One range: its field, its values and the order it walks them in. */
    private static final class Lane {
        final FieldRange.Field field;
        final long n;
        final long step;
        final FieldRange.Mode mode;
        final long base;
        final long baseHi;
        final boolean v6;
        final Permutation perm;

        Lane(FieldRange r, long key) {
            field = r.field();
            n = r.count();
            step = r.step();
            mode = r.mode();
            v6 = r.addressBytes() == 16;
            byte[] a = r.addressBytes() > 0 ? r.minAddress() : null;
            base = a == null ? r.minLong() : v6 ? word(a, 8) : word(a, 0) >>> 32;
            baseHi = v6 ? word(a, 0) : 0;
            perm = mode == FieldRange.Mode.RANDOM ? new Permutation(n, key) : null;
        }

        private static long word(byte[] a, int from) {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (from + i < a.length ? a[from + i] & 0xFF : 0);
            }
            return v;
        }

        void write(FrameTemplate f, long digit) {
            long i = mode == FieldRange.Mode.INC ? digit : mode == FieldRange.Mode.DEC ? n - 1 - digit
                    : perm.at(digit);
            long offset = i * step;   // i < 2^32 and step < 2^32: below 2^64, unsigned
            switch (field) {
                case SRC:
                case DST:
                    if (v6) {
                        long lo = base + offset;
                        f.setAddress6(field == FieldRange.Field.SRC, baseHi + (Long.compareUnsigned(lo, base) < 0
                                ? 1 : 0), lo);
                    } else {
                        f.setAddress4(field == FieldRange.Field.SRC, (int) (base + offset));
                    }
                    break;
                case SPORT:
                    f.setSourcePort((int) (base + offset));
                    break;
                case DPORT:
                    f.setDestPort((int) (base + offset));
                    break;
                case IP_ID:
                    f.setIpId((int) (base + offset));
                    break;
                case TTL:
                    f.setTtl((int) (base + offset));
                    break;
                default:
                    f.setDscp((int) (base + offset));
                    break;
            }
        }
    }

    /**
     * A seeded permutation of {@code [0, n)}: a 4-round Feistel network on the smallest even number of bits that
     * covers {@code n}, walking out-of-range results back in (cycle walking; under 4 steps on average). Each value
     * once per cycle, the same order for the same key.
     */
    static final class Permutation {
        private final long n;
        private final int half;
        private final long mask;
        private final long[] keys = new long[4];

        Permutation(long n, long key) {
            this.n = n;
            int bits = Math.max(2, 64 - Long.numberOfLeadingZeros(Math.max(1, n - 1)));
            bits += bits & 1;
            this.half = bits / 2;
            this.mask = (1L << half) - 1;
            long s = key;
            for (int r = 0; r < 4; r++) {
                s += 0x9E3779B97F4A7C15L;
                keys[r] = mix(s);
            }
        }

        long at(long i) {
            long x = i;
            do {
                x = round(x);
            } while (x >= n);
            return x;
        }

        private long round(long x) {
            long l = x >>> half;
            long r = x & mask;
            for (long k : keys) {
                long t = r;
                r = l ^ (mix(r ^ k) & mask);
                l = t;
            }
            return (l << half) | r;
        }

        /** SplitMix64's finaliser. */
        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }
}
