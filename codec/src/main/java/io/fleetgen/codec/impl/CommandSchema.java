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
                h.name = in.readString();
                break;
            case 3:
                h.profile = ProfileSchema.INSTANCE.readNested(in);
                break;
            case 4:
                h.replyTo = in.readString();
                break;
            case 5:
                addCapped(h.hosts, in.readString(), MAX_HOSTS, "hosts");
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
    }

    @Override
    protected Command finish(Holder h) {
        if (h.op == null) {
            throw new IllegalArgumentException("op: missing (expected: one of START_SENDER, START_RECEIVER, POLL, "
                    + "STOP, LIST, CLEAR)");
        }
        return new Command(h.op, h.name, h.profile, h.replyTo, h.hosts);
    }
}
