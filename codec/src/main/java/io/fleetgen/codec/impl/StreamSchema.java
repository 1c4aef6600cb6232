package io.fleetgen.codec.impl;

import io.fleetgen.codec.InetText;
import io.fleetgen.codec.L4Proto;
import io.fleetgen.codec.StreamField;
import io.fleetgen.codec.StreamSpec;
import io.fleetgen.codec.TcpOption;
import io.protostuff.Input;
import io.protostuff.Output;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link StreamSpec} on the wire. Header fields travel as field number {@code 100 + StreamField.id()}, so a new
 * header field needs no schema change; the decoded stream goes through the same validation as a built one.
 */
final class StreamSchema extends WireSchema<StreamSpec, StreamSchema.Holder> {
    static final StreamSchema INSTANCE = new StreamSchema();
    private static final int FIELD_BASE = 100;

    static final class Holder {
        int ipVersion;
        int proto;
        byte[] src;
        byte[] dst;
        byte[] ipOptions;
        final List<long[]> fields = new ArrayList<>();
        final List<TcpOption> tcpOptions = new ArrayList<>();
    }

    private StreamSchema() {
        super(StreamSpec.class, Holder::new);
    }

    @Override
    protected void readField(Input in, int n, Holder h) throws IOException {
        switch (n) {
            case 1:
                h.ipVersion = in.readUInt32();
                break;
            case 2:
                h.proto = in.readUInt32();
                break;
            case 3:
                h.src = readBytes(in, "src", 16);
                break;
            case 4:
                h.dst = readBytes(in, "dst", 16);
                break;
            case 5:
                h.ipOptions = readBytes(in, "options", 40);
                break;
            case 6:
                addCapped(h.tcpOptions, TcpOptionSchema.INSTANCE.readNested(in), 40, "tcpOptions");
                break;
            default:
                StreamField f = StreamField.byId(n - FIELD_BASE);
                if (f == null) {
                    throw unknown(n);
                }
                addCapped(h.fields, new long[] {f.id(), in.readUInt64()}, StreamField.values().length, "fields");
        }
    }

    @Override
    protected void write(Output out, StreamSpec s) throws IOException {
        out.writeUInt32(1, s.ipVersion(), false);
        out.writeUInt32(2, s.proto().ipProtocol(), false);
        if (s.src() != null) {
            out.writeByteArray(3, s.src(), false);
        }
        out.writeByteArray(4, s.dst(), false);
        if (s.ipOptions().length > 0) {
            out.writeByteArray(5, s.ipOptions(), false);
        }
        for (TcpOption o : s.tcpOptions()) {
            out.writeObject(6, o, TcpOptionSchema.INSTANCE, true);
        }
        for (Map.Entry<StreamField, Long> e : s.fields().entrySet()) {
            out.writeUInt64(FIELD_BASE + e.getKey().id(), e.getValue(), false);
        }
    }

    @Override
    protected StreamSpec finish(Holder h) {
        StreamSpec.Builder b = StreamSpec.builder();
        if (h.ipVersion != 4 && h.ipVersion != 6) {
            throw new IllegalArgumentException("ipVersion: " + h.ipVersion + " (expected: 4 or 6)");
        }
        b.protocol(h.ipVersion == 4 ? "ip" : "ipv6");
        for (L4Proto p : L4Proto.values()) {
            if (p.ipProtocol() == h.proto) {
                b.proto(p);
            }
        }
        if (h.dst != null) {
            b.dst(addressText("dst", h.dst));
        }
        if (h.src != null) {
            b.src(addressText("src", h.src));
        }
        if (h.ipOptions != null) {
            b.ipOptions(h.ipOptions);
        }
        for (long[] f : h.fields) {
            b.set(StreamField.byId((int) f[0]), f[1]);
        }
        h.tcpOptions.forEach(b::tcpOption);
        return b.build();
    }

    private static String addressText(String field, byte[] a) {
        if (a.length != 4 && a.length != 16) {
            throw new IllegalArgumentException(field + ": " + a.length + " bytes (expected: 4 or 16)");
        }
        return InetText.format(a);
    }
}
