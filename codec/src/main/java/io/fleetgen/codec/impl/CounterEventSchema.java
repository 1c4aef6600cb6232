package io.fleetgen.codec.impl;

import io.fleetgen.codec.CounterEvent;
import io.fleetgen.codec.RunStatus;
import io.protostuff.Input;
import io.protostuff.Output;
import java.io.IOException;

/** {@link CounterEvent} on the wire. */
final class CounterEventSchema extends WireSchema<CounterEvent, CounterEventSchema.Holder> {
    static final CounterEventSchema INSTANCE = new CounterEventSchema();

    static final class Holder {
        long seq;
        long time;
        boolean last;
        RunStatus status;
    }

    private CounterEventSchema() {
        super(CounterEvent.class, Holder::new);
    }

    @Override
    protected void readField(Input in, int n, Holder h) throws IOException {
        switch (n) {
            case 1:
                h.seq = in.readInt64();
                break;
            case 2:
                h.time = in.readInt64();
                break;
            case 3:
                h.last = in.readBool();
                break;
            case 4:
                h.status = RunStatusSchema.INSTANCE.readNested(in);
                break;
            default:
                throw unknown(n);
        }
    }

    @Override
    protected void write(Output out, CounterEvent e) throws IOException {
        out.writeInt64(1, e.seq(), false);
        out.writeInt64(2, e.timeNanos(), false);
        out.writeBool(3, e.last(), false);
        out.writeObject(4, e.status(), RunStatusSchema.INSTANCE, false);
    }

    @Override
    protected CounterEvent finish(Holder h) {
        return new CounterEvent(h.seq, h.time, h.last, h.status);
    }
}
