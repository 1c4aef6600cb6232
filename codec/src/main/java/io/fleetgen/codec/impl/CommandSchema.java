package io.fleetgen.codec.impl;

import io.fleetgen.codec.Command;
import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.ProfileSpec;
import io.protostuff.Input;
import io.protostuff.Output;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@link Command} on the wire. */
final class CommandSchema extends WireSchema<Command, CommandSchema.Holder> {
    static final CommandSchema INSTANCE = new CommandSchema();
    /** Most hosts one broadcast may select. */
    static final int MAX_HOSTS = 4096;

    static final class Holder {
        CommandOp op;
        String name;
        ProfileSpec profile;
        String replyTo;
        final List<String> hosts = new ArrayList<>();
        String target;
        long issuedAt;
        byte[] nonce;
        long offset;
    }

    private CommandSchema() {
        super(Command.class, Holder::new);
    }

    @Override
    protected void readField(Input in, int n, Holder h) throws IOException {
        switch (n) {
            case 1:
                h.op = enumOf(CommandOp.values(), in.readUInt32(), "op");
                break;
            case 2:
                h.name = readString(in, "name", 128);
                break;
            case 3:
                h.profile = ProfileSchema.INSTANCE.readNested(in);
                break;
            case 4:
                h.replyTo = readString(in, "replyTo", 128);
                break;
            case 5:
                addCapped(h.hosts, readString(in, "hosts", 64), MAX_HOSTS, "hosts");
                break;
            case 6:
                h.target = readString(in, "target", 64);
                break;
            case 7:
                h.issuedAt = in.readInt64();
                break;
            case 8:
                h.nonce = readBytes(in, "nonce", Command.MAX_NONCE_BYTES);
                break;
            case 9:
                h.offset = in.readInt64();
                break;
            default:
                throw unknown(n);
        }
    }

    @Override
    protected void write(Output out, Command c) throws IOException {
        out.writeUInt32(1, c.op().ordinal(), false);
        out.writeString(2, c.name(), false);
        if (c.profile() != null) {
            out.writeObject(3, c.profile(), ProfileSchema.INSTANCE, false);
        }
        out.writeString(4, c.replyTo(), false);
        for (String h : c.hosts()) {
            out.writeString(5, h, true);
        }
        out.writeString(6, c.target(), false);
        out.writeInt64(7, c.issuedAtMillis(), false);
        out.writeByteArray(8, c.nonce(), false);
        if (c.offset() != 0) {
            out.writeInt64(9, c.offset(), false);
        }
    }

    @Override
    protected Command finish(Holder h) {
        if (h.op == null) {
            throw new IllegalArgumentException("op: missing (expected: one of START_SENDER, START_RECEIVER, POLL, "
                    + "STOP, LIST, CLEAR)");
        }
        return new Command(h.op, h.name, h.profile, h.replyTo, h.hosts, h.target, h.issuedAt, h.nonce,
                h.offset);
    }
}
