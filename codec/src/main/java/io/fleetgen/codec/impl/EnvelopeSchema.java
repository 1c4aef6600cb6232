package io.fleetgen.codec.impl;

import io.fleetgen.codec.Envelope;
import io.protostuff.Input;
import io.protostuff.Output;
import java.io.IOException;

/** {@link Envelope} on the wire; every length bounded before it is read. */
final class EnvelopeSchema extends WireSchema<Envelope, EnvelopeSchema.Holder> {
    static final EnvelopeSchema INSTANCE = new EnvelopeSchema();
    private static final int MAX_FINGERPRINT = 64;
    /** A signature or a code; a code per recipient for {@link Envelope#MACS}, and a signature for MACSIG. */
    private static final int MAX_TAG = Envelope.MAX_RECIPIENTS * Envelope.DIGEST_BYTES + Envelope.MAX_SIGNATURE_BYTES;
    private static final int MAX_RECIPIENT = Envelope.MAX_RECIPIENTS * Envelope.DIGEST_BYTES;

    static final class Holder {
        int kind;
        String type;
        byte[] body = Envelope.NO_BYTES;
        byte[] cert;
        byte[] sender;
        byte[] recipient;
        byte[] tag;
    }

    private EnvelopeSchema() {
        super(Envelope.class, Holder::new);
    }

    @Override
    protected void readField(Input in, int n, Holder h) throws IOException {
        switch (n) {
            case 1: h.kind = in.readUInt32(); break;
            case 2: h.type = readString(in, "type", Envelope.MAX_TYPE_CHARS); break;
            case 3: h.body = readBytes(in, "body", WireCodec.MAX_MESSAGE_BYTES); break;
            case 4: h.cert = readBytes(in, "cert", io.fleetgen.codec.Envelope.MAX_CERT_BYTES); break;
            case 5: h.sender = readBytes(in, "sender", MAX_FINGERPRINT); break;
            case 6: h.recipient = readBytes(in, "recipient", MAX_RECIPIENT); break;
            case 7: h.tag = readBytes(in, "tag", MAX_TAG); break;
            default: throw unknown(n);
        }
    }

    @Override
    protected void write(Output out, Envelope e) throws IOException {
        out.writeUInt32(1, e.kind(), false);
        out.writeString(2, e.type(), false);
        out.writeByteArray(3, e.body(), false);
        out.writeByteArray(4, e.cert(), false);
        out.writeByteArray(5, e.senderFingerprint(), false);
        out.writeByteArray(6, e.recipientFingerprint(), false);
        out.writeByteArray(7, e.tag(), false);
    }

    @Override
    protected Envelope finish(Holder h) {
        if (h.type == null) {
            throw new IllegalArgumentException("type: missing (expected: the wire type of the body)");
        }
        return new Envelope(h.kind, h.type, h.body, h.cert, h.sender, h.recipient, h.tag);
    }
}
