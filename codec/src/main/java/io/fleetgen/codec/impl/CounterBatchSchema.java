package io.fleetgen.codec.impl;

import io.fleetgen.codec.CounterBatch;
import io.fleetgen.codec.CounterEvent;
import io.protostuff.Input;
import io.protostuff.Output;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@link CounterBatch} on the wire. */
final class CounterBatchSchema extends WireSchema<CounterBatch, CounterBatchSchema.Holder> {
    static final CounterBatchSchema INSTANCE = new CounterBatchSchema();

    static final class Holder {
        String host;
        final List<CounterEvent> events = new ArrayList<>();
    }

    private CounterBatchSchema() {
        super(CounterBatch.class, Holder::new);
    }

    @Override
    protected void readField(Input in, int n, Holder h) throws IOException {
        switch (n) {
            case 1: h.host = readString(in, "host", 64); break;
            case 2: addCapped(h.events, CounterEventSchema.INSTANCE.readNested(in), CounterBatch.MAX_EVENTS,
                    "events"); break;
            default: throw unknown(n);
        }
    }

    @Override
    protected void write(Output out, CounterBatch b) throws IOException {
        out.writeString(1, b.host(), false);
        for (CounterEvent e : b.events()) {
            out.writeObject(2, e, CounterEventSchema.INSTANCE, true);
        }
    }

    @Override
    protected CounterBatch finish(Holder h) {
        if (h.host == null) {
            throw new IllegalArgumentException("host: missing (expected: the agent's host id)");
        }
        return new CounterBatch(h.host, h.events);
    }
}
