package io.fleetgen.codec.impl;

import io.fleetgen.codec.Command;
import io.fleetgen.codec.PcapChunk;
import io.protostuff.Input;
import io.protostuff.Output;
import java.io.IOException;

/** {@link PcapChunk} on the wire. */
final class PcapChunkSchema extends WireSchema<PcapChunk, PcapChunkSchema.Holder> {
    static final PcapChunkSchema INSTANCE = new PcapChunkSchema();

    static final class Holder {
        long offset;
        long total;
        byte[] data = new byte[0];
        byte[] inReplyTo;
    }

    private PcapChunkSchema() {
        super(PcapChunk.class, Holder::new);
    }

    @Override
    protected void readField(Input in, int n, Holder h) throws IOException {
        switch (n) {
            case 1: h.offset = in.readInt64(); break;
            case 2: h.total = in.readInt64(); break;
            case 3: h.data = readBytes(in, "data", PcapChunk.MAX_BYTES); break;
            case 4: h.inReplyTo = readBytes(in, "inReplyTo", Command.MAX_NONCE_BYTES); break;
            default: throw unknown(n);
        }
    }

    @Override
    protected void write(Output out, PcapChunk c) throws IOException {
        out.writeInt64(1, c.offset(), false);
        out.writeInt64(2, c.total(), false);
        out.writeByteArray(3, c.data(), false);
        out.writeByteArray(4, c.inReplyTo(), false);
    }

    @Override
    protected PcapChunk finish(Holder h) {
        return new PcapChunk(h.offset, h.total, h.data, h.inReplyTo);
    }
}
