package io.fleetgen.codec.impl;

import io.fleetgen.codec.InetText;
import io.fleetgen.codec.FieldRange;
import io.fleetgen.codec.Flows;
import io.fleetgen.codec.ProfileParam;
import io.fleetgen.codec.ProfileBuilder;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.StreamSpec;
import io.protostuff.Input;
import io.protostuff.Output;
import java.io.IOException;

/** {@link ProfileSpec} on the wire; the decoded profile is rebuilt through its validating builder. */
final class ProfileSchema extends WireSchema<ProfileSpec, ProfileSchema.Holder> {
    static final ProfileSchema INSTANCE = new ProfileSchema();

    static final class Holder {
        ProfileType type;
        StreamSpec stream;
        /** The scalars given on the wire, by {@link ProfileParam} ordinal; absent ones keep the type's default. */
        final long[] scalars = new long[ProfileParam.values().length];
        final boolean[] given = new boolean[ProfileParam.values().length];
        byte[] payload;
        String capfilter;
        String iface;
        byte[] listener;
        final java.util.List<FieldRange> ranges = new java.util.ArrayList<>();
        Flows.Combine combine = Flows.Combine.CROSS;
        long seed;
        String imix;
        final java.util.List<io.fleetgen.codec.StreamSpec> more = new java.util.ArrayList<>();
        final java.util.List<Long> morePps = new java.util.ArrayList<>();
    }

    private ProfileSchema() {
        super(ProfileSpec.class, Holder::new);
    }

    @Override
    protected void readField(Input in, int n, Holder h) throws IOException {
        switch (n) {
            case 1: h.type = enumOf(ProfileType.values(), in.readUInt32(), "type"); break;
            case 2: h.stream = StreamSchema.INSTANCE.readNested(in); break;
            case 4: h.payload = readBytes(in, "payload", 65_535); break;
            case 5: h.capfilter = readString(in, "capfilter", 65_535); break;
            case 7: h.iface = readString(in, "iface", 64); break;
            case 8: h.listener = readBytes(in, "listener", 16); break;
            case 20:
                addCapped(h.ranges, FieldRange.parse(readString(in, "range", 128)),
                        Flows.MAX_RANGES, "ranges");
                break;
            case 21: h.combine = enumOf(Flows.Combine.values(), in.readUInt32(), "combine"); break;
            case 22: h.seed = in.readInt64(); break;
            case 23: h.imix = readString(in, "imix", 256); break;
            case 24: addCapped(h.more, StreamSchema.INSTANCE.readNested(in), ProfileSpec.MAX_STREAMS - 1, "streams");
                break;
            case 25: addCapped(h.morePps, in.readInt64(), ProfileSpec.MAX_STREAMS - 1, "pps"); break;
            default:
                ProfileParam p = ProfileParam.ofWireId(n);
                if (p == null) {
                    throw unknown(n);
                }
                h.scalars[p.ordinal()] = in.readInt64();
                h.given[p.ordinal()] = true;
                break;
        }
    }

    @Override
    protected void write(Output out, ProfileSpec p) throws IOException {
        out.writeUInt32(1, p.type().ordinal(), false);
        out.writeObject(2, p.stream(), StreamSchema.INSTANCE, false);
        // A scalar at its default is left out: the reader's builder starts from the same table.
        for (ProfileParam s : ProfileParam.values()) {
            if (s.isScalar() && p.get(s) != s.defaultFor(p.type())) {
                out.writeInt64(s.wireId(), p.get(s), false);
            }
        }
        if (p.payload() != null) {
            out.writeByteArray(4, p.payload(), false);
        }
        writeOptional(out, 5, p.capfilter());
        writeOptional(out, 7, p.iface());
        if (p.listener() != null) {
            out.writeByteArray(8, p.listener(), false);
        }
        for (FieldRange r : p.flows().ranges()) {
            out.writeString(20, r.toString(), true);
        }
        for (int i = 1; i < p.streams().size(); i++) {
            out.writeObject(24, p.streams().get(i), StreamSchema.INSTANCE, true);
            out.writeInt64(25, p.ppsOf(i), true);
        }
        if (!p.imix().isEmpty()) {
            out.writeString(23, p.imix().toString(), false);
        }
        if (!p.flows().isEmpty()) {
            out.writeUInt32(21, p.flows().combine().ordinal(), false);
            out.writeInt64(22, p.flows().seed(), false);
        }
    }

    @Override
    protected ProfileSpec finish(Holder h) {
        if (h.type == null || h.stream == null) {
            throw new IllegalArgumentException("profile: type and stream are required");
        }
        ProfileBuilder b = ProfileSpec.builder(h.type, h.stream).payload(h.payload).capfilter(h.capfilter)
                .iface(h.iface);
        for (ProfileParam p : ProfileParam.values()) {
            if (h.given[p.ordinal()]) {
                b.set(p, h.scalars[p.ordinal()]);
            }
        }
        if (h.listener != null) {
            if (h.listener.length != 4 && h.listener.length != 16) {
                throw new IllegalArgumentException("listener: " + h.listener.length + " bytes (expected: 4 or 16)");
            }
            b.listener(InetText.format(h.listener));
        }
        if (h.imix != null) {
            b.imix(h.imix);
        }
        if (h.more.size() != h.morePps.size()) {
            throw new IllegalArgumentException("streams: " + h.more.size() + " with " + h.morePps.size()
                    + " rates (expected: one rate per stream)");
        }
        for (int i = 0; i < h.more.size(); i++) {
            b.also(h.more.get(i), h.morePps.get(i));
        }
        if (!h.ranges.isEmpty()) {
            b.flows(Flows.of(h.ranges, h.combine, h.seed));
        }
        return b.build();
    }
}
