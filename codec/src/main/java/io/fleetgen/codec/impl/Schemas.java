package io.fleetgen.codec.impl;

import java.util.List;

/** The schema of every wire type, looked up by class. */
public final class Schemas {
    private static final List<WireSchema<?, ?>> ALL = List.of(StreamSchema.INSTANCE, TcpOptionSchema.INSTANCE,
            ProfileSchema.INSTANCE, CommandSchema.INSTANCE, CountersSchema.INSTANCE, RunStatusSchema.INSTANCE,
            ReplySchema.INSTANCE, CounterEventSchema.INSTANCE, HostInfoSchema.INSTANCE, EnvelopeSchema.INSTANCE,
            PcapChunkSchema.INSTANCE, CounterBatchSchema.INSTANCE);

    private Schemas() {
    }

    /** Every schema. */
    public static List<WireSchema<?, ?>> all() {
        return ALL;
    }

    /** The schema of {@code type}, or {@code null} when it is no wire type. */
    @SuppressWarnings("unchecked")
    public static <T> WireSchema<T, ?> of(Class<T> type) {
        for (WireSchema<?, ?> s : ALL) {
            if (s.type() == type) {
                return (WireSchema<T, ?>) s;
            }
        }
        return null;
    }
}
