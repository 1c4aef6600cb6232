package io.fleetgen.codec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The field ranges of a profile and how they combine: {@link Combine#CROSS} sends every combination (the first
 * range varies fastest, like an odometer's last wheel), {@link Combine#LOCKSTEP} advances every range by one
 * per packet. {@code seed} fixes the order of {@code random} ranges: the same seed, the same packets. Immutable.
 */
public final class Flows {
    /** How several ranges combine. */
    public enum Combine { CROSS, LOCKSTEP }

    /** Most ranges in one profile (each field once). */
    public static final int MAX_RANGES = 8;
    public static final Flows NONE = new Flows(List.of(), Combine.CROSS, 0);

    private final List<FieldRange> ranges;
    private final Combine combine;
    private final long seed;

    private Flows(List<FieldRange> ranges, Combine combine, long seed) {
        this.ranges = ranges;
        this.combine = combine;
        this.seed = seed;
    }

    public static Flows of(List<FieldRange> ranges, Combine combine, long seed) {
        if (ranges.size() > MAX_RANGES) {
            throw ValidationException.of("range", ranges.size() + " ranges", "at most " + MAX_RANGES);
        }
        List<FieldRange.Field> seen = new ArrayList<>();
        for (FieldRange r : ranges) {
            if (seen.contains(r.field())) {
                throw ValidationException.of("range", r, "one range per field (" + r.field().keyword()
                        + " is ranged twice)");
            }
            seen.add(r.field());
        }
        Flows f = new Flows(List.copyOf(ranges), Objects.requireNonNull(combine, "combine"), seed);
        f.cycle();   // refuses a cross product past 2^62
        return f;
    }

    /** Ranges from {@code a=1..2,b=3..4} (a comma between ranges; addresses hold none). */
    public static List<FieldRange> parseList(String text) {
        List<FieldRange> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                out.add(FieldRange.parse(part));
            }
        }
        return out;
    }

    public static Combine combine(String text) {
        try {
            return Combine.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ValidationException.of("combine", text, "cross or lockstep");
        }
    }

    public Flows withRanges(List<FieldRange> r) {
        return of(r, combine, seed);
    }

    public Flows withCombine(Combine c) {
        return of(ranges, c, seed);
    }

    public Flows withSeed(long s) {
        return of(ranges, combine, s);
    }

    public List<FieldRange> ranges() {
        return Collections.unmodifiableList(ranges);
    }

    public Combine combine() {
        return combine;
    }

    public long seed() {
        return seed;
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** The range of a field, or {@code null}. */
    public FieldRange range(FieldRange.Field f) {
        for (FieldRange r : ranges) {
            if (r.field() == f) {
                return r;
            }
        }
        return null;
    }

    /** Packets after which the sequence repeats: the product of the counts (cross), or their largest (lockstep). */
    public long cycle() {
        long n = 1;
        for (FieldRange r : ranges) {
            if (combine == Combine.LOCKSTEP) {
                n = Math.max(n, r.count());
            } else if (Math.multiplyHigh(n, r.count()) != 0 || n * r.count() > (1L << 62)) {
                throw ValidationException.of("range", r, "a cross product of at most 2^62 flows (or combine="
                        + "lockstep)");
            } else {
                n *= r.count();
            }
        }
        return n;
    }

    /** Checks the ranges against the stream they vary. */
    public void check(StreamSpec s) {
        for (FieldRange r : ranges) {
            FieldRange.Field f = r.field();
            if (f.address() && r.addressBytes() != s.dst().length) {
                throw ValidationException.of(f.keyword(), r, "addresses of the stream's family (IPv"
                        + s.ipVersion() + ")");
            }
            if ((f == FieldRange.Field.SPORT || f == FieldRange.Field.DPORT) && !s.proto().hasPorts()) {
                throw ValidationException.of(f.keyword(), r, "a udp or tcp stream");
            }
            if (f == FieldRange.Field.IP_ID && s.ipVersion() != 4) {
                throw ValidationException.of(f.keyword(), r, "an IPv4 stream (IPv6 has no id)");
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (FieldRange r : ranges) {
            b.append(b.length() == 0 ? "" : ",").append(r);
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Flows && ((Flows) o).ranges.equals(ranges) && ((Flows) o).combine == combine
                && ((Flows) o).seed == seed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(ranges, combine, seed);
    }
}
