package io.fleetgen.codec.impl;

import io.fleetgen.codec.HostInfo;
import io.protostuff.Input;
import io.protostuff.Output;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@link HostInfo} on the wire. */
final class HostInfoSchema extends WireSchema<HostInfo, HostInfoSchema.Holder> {
    static final HostInfoSchema INSTANCE = new HostInfoSchema();
    private static final int MAX_ITEMS = 1024;

    static final class Holder {
        String hostId;
        String version;
        String management;
        final List<String> addresses = new ArrayList<>();
        final List<String> interfaces = new ArrayList<>();
        long started;
        int liveRuns;
        boolean leaving;
        String nodeId;
        String bus;
    }

    private HostInfoSchema() {
        super(HostInfo.class, Holder::new);
    }

    @Override
    protected void readField(Input in, int n, Holder h) throws IOException {
        switch (n) {
            case 1: h.hostId = readString(in, "hostId", 64); break;
            case 2: h.version = readString(in, "version", 64); break;
            case 3: h.management = readString(in, "management", 64); break;
            case 4: addCapped(h.addresses, readString(in, "addresses", 64), MAX_ITEMS, "addresses"); break;
            case 5: addCapped(h.interfaces, readString(in, "interfaces", 64), MAX_ITEMS, "interfaces"); break;
            case 6: h.started = in.readInt64(); break;
            case 7: h.liveRuns = in.readInt32(); break;
            case 8: h.leaving = in.readBool(); break;
            case 9: h.nodeId = readString(in, "nodeId", 64); break;
            case 10: h.bus = readString(in, "busAddress", 128); break;
            default: throw unknown(n);
        }
    }

    @Override
    protected void write(Output out, HostInfo i) throws IOException {
        out.writeString(1, i.hostId(), false);
        out.writeString(2, i.version(), false);
        out.writeString(3, i.managementAddress(), false);
        for (String a : i.addresses()) {
            out.writeString(4, a, true);
        }
        for (String f : i.interfaces()) {
            out.writeString(5, f, true);
        }
        out.writeInt64(6, i.startedAtMillis(), false);
        out.writeInt32(7, i.liveRuns(), false);
        out.writeBool(8, i.leaving(), false);
        out.writeString(9, i.nodeId(), false);
        out.writeString(10, i.busAddress(), false);
    }

    @Override
    protected HostInfo finish(Holder h) {
        return new HostInfo(h.hostId, h.version, h.management, h.addresses, h.interfaces, h.started, h.liveRuns,
                h.leaving, h.nodeId, h.bus);
    }
}
