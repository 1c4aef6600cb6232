package io.fleetgen.codec.impl;

import io.fleetgen.codec.Reply;
import io.fleetgen.codec.RunStatus;
import io.protostuff.Input;
import io.protostuff.Output;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@link Reply} on the wire. */
final class ReplySchema extends WireSchema<Reply, ReplySchema.Holder> {
    static final ReplySchema INSTANCE = new ReplySchema();
    /** Most runs one reply may list. */
    static final int MAX_RUNS = 100_000;

    static final class Holder {
        String host;
        final List<RunStatus> runs = new ArrayList<>();
        int errorCode;
        String error;
        byte[] inReplyTo;
    }

    private ReplySchema() {
        super(Reply.class, Holder::new);
    }

    @Override
    protected void readField(Input in, int n, Holder h) throws IOException {
        switch (n) {
            case 1:
                h.host = readString(in, "host", 64);
                break;
            case 2:
                addCapped(h.runs, RunStatusSchema.INSTANCE.readNested(in), MAX_RUNS, "runs");
                break;
            case 3:
                h.errorCode = in.readInt32();
                break;
            case 4:
                h.error = readString(in, "error", 4096);
                break;
            case 5:
                h.inReplyTo = readBytes(in, "inReplyTo", io.fleetgen.codec.Command.MAX_NONCE_BYTES);
                break;
            default:
                throw unknown(n);
        }
    }

    @Override
    protected void write(Output out, Reply r) throws IOException {
        out.writeString(1, r.host(), false);
        for (RunStatus s : r.runs()) {
            out.writeObject(2, s, RunStatusSchema.INSTANCE, true);
        }
        out.writeInt32(3, r.errorCode(), false);
        writeOptional(out, 4, r.error());
        out.writeByteArray(5, r.inReplyTo(), false);
    }

    @Override
    protected Reply finish(Holder h) {
        return new Reply(h.host, h.runs, h.errorCode, h.error, h.inReplyTo);
    }
}
