package io.fleetgen.codec.impl;

import io.fleetgen.codec.Counters;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.Role;
import io.fleetgen.codec.RunState;
import io.fleetgen.codec.RunStatus;
import io.protostuff.Input;
import io.protostuff.Output;
import java.io.IOException;

/** {@link RunStatus} on the wire. */
final class RunStatusSchema extends WireSchema<RunStatus, RunStatusSchema.Holder> {
    static final RunStatusSchema INSTANCE = new RunStatusSchema();

    static final class Holder {
        String host;
        String name;
        Role role;
        RunState state;
        ProfileType type;
        String target;
        Counters counters = Counters.ZERO;
        String error;
        long started;
        long ended;
        final java.util.List<Counters> streams = new java.util.ArrayList<>();
    }

    private RunStatusSchema() {
        super(RunStatus.class, Holder::new);
    }

    @Override
    protected void readField(Input in, int n, Holder h) throws IOException {
        switch (n) {
            case 1: h.host = readString(in, "host", 64); break;
            case 2: h.name = readString(in, "name", 128); break;
            case 3: h.role = enumOf(Role.values(), in.readUInt32(), "role"); break;
            case 4: h.state = enumOf(RunState.values(), in.readUInt32(), "state"); break;
            case 5: h.type = enumOf(ProfileType.values(), in.readUInt32(), "type"); break;
            case 6: h.target = readString(in, "target", 128); break;
            case 7: h.counters = CountersSchema.INSTANCE.readNested(in); break;
            case 8: h.error = readString(in, "error", 4096); break;
            case 9: h.started = in.readInt64(); break;
            case 10: h.ended = in.readInt64(); break;
            case 11: addCapped(h.streams, CountersSchema.INSTANCE.readNested(in), ProfileSpec.MAX_STREAMS, "streams");
                break;
            default: throw unknown(n);
        }
    }

    @Override
    protected void write(Output out, RunStatus s) throws IOException {
        out.writeString(1, s.host(), false);
        out.writeString(2, s.name(), false);
        out.writeUInt32(3, s.role().ordinal(), false);
        out.writeUInt32(4, s.state().ordinal(), false);
        out.writeUInt32(5, s.type().ordinal(), false);
        out.writeString(6, s.target(), false);
        out.writeObject(7, s.counters(), CountersSchema.INSTANCE, false);
        writeOptional(out, 8, s.error());
        out.writeInt64(9, s.startedAtMillis(), false);
        out.writeInt64(10, s.endedAtMillis(), false);
        for (Counters c : s.streams()) {
            out.writeObject(11, c, CountersSchema.INSTANCE, true);
        }
    }

    @Override
    protected RunStatus finish(Holder h) {
        return new RunStatus(h.host, h.name, h.role, h.state, h.type, h.target, h.counters, h.error, h.started,
                h.ended, h.streams);
    }
}
