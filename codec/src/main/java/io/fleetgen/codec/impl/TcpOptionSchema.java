package io.fleetgen.codec.impl;

import io.fleetgen.codec.TcpOption;
import io.protostuff.Input;
import io.protostuff.Output;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@link TcpOption} on the wire: the kind number and its values. */
final class TcpOptionSchema extends WireSchema<TcpOption, TcpOptionSchema.Holder> {
    static final TcpOptionSchema INSTANCE = new TcpOptionSchema();

    static final class Holder {
        int kind = -1;
        final List<Long> values = new ArrayList<>();
    }

    private TcpOptionSchema() {
        super(TcpOption.class, Holder::new);
    }

    @Override
    protected void readField(Input in, int n, Holder h) throws IOException {
        switch (n) {
            case 1:
                h.kind = in.readUInt32();
                break;
            case 2:
                addCapped(h.values, in.readUInt64(), 16, "values");
                break;
            default:
                throw unknown(n);
        }
    }

    @Override
    protected void write(Output out, TcpOption o) throws IOException {
        out.writeUInt32(1, o.kind().number(), false);
        for (long v : o.values()) {
            out.writeUInt64(2, v, true);
        }
    }

    @Override
    protected TcpOption finish(Holder h) {
        TcpOption.Kind kind = TcpOption.Kind.byNumber(h.kind);
        if (kind == null) {
            throw new IllegalArgumentException("tcp option kind: " + h.kind
                    + " (expected: 0, 1, 2, 3, 4, 5, 8, 14, 15)");
        }
        long[] v = new long[h.values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = h.values.get(i);
        }
        return TcpOption.of(kind, v);
    }
}
