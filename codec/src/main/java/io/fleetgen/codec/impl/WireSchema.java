package io.fleetgen.codec.impl;

import io.protostuff.ByteArrayInput;
import io.protostuff.Input;
import io.protostuff.Output;
import io.protostuff.ProtobufException;
import io.protostuff.Schema;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * A hand-written Protostuff schema for one immutable wire type {@code T}: it writes {@code T} and reads into a
 * mutable holder {@code H}, which {@link #finish} turns into a validated {@code T}. Strict: an unknown field
 * number is an error, so no bytes are ever skipped blindly, and every repeated field has a cap.
 *
 * <p>It is a {@code Schema<Object>} because Protostuff's one type parameter cannot name both the written and
 * the read type; the casts are confined to this class.
 */
public abstract class WireSchema<T, H> implements Schema<Object> {
    private final Class<T> type;
    private final Supplier<H> holders;

    protected WireSchema(Class<T> type, Supplier<H> holders) {
        this.type = type;
        this.holders = holders;
    }

    /** The wire type this schema reads and writes. */
    public final Class<T> type() {
        return type;
    }

    /** A fresh holder with the model's defaults. */
    protected final H newHolder() {
        return holders.get();
    }

    /** Reads one field into the holder. */
    protected abstract void readField(Input in, int number, H holder) throws IOException;

    /** Writes every field of the value. */
    protected abstract void write(Output out, T value) throws IOException;

    /** Builds the value, validating it (the model's exceptions propagate). */
    protected abstract T finish(H holder);

    /** Reads a nested value of this schema's type, its length bounded by the bytes that remain. */
    public final T readNested(Input in) throws IOException {
        checkLength(in, messageName(), WireCodec.MAX_MESSAGE_BYTES);
        return finish(holder(in.mergeObject(newHolder(), this)));
    }

    /** Reads a string field of at most {@code maxChars} characters (UTF-8 bytes bounded at 4 a character). */
    protected final String readString(Input in, String field, int maxChars) throws IOException {
        checkLength(in, field, (int) Math.min(WireCodec.MAX_MESSAGE_BYTES, 4L * maxChars));
        String s = in.readString();
        if (s.length() > maxChars) {
            throw new ProtobufException(messageName() + "." + field + ": " + s.length() + " characters (expected: 0-"
                    + maxChars + ")");
        }
        return s;
    }

    /** Reads a bytes field of at most {@code max} bytes. */
    protected final byte[] readBytes(Input in, String field, int max) throws IOException {
        checkLength(in, field, max);
        return in.readByteArray();
    }

    /**
     * Peeks at the length prefix of the next length-delimited value and refuses it unless it fits both in the
     * bytes that remain and in {@code max}, before anything is allocated. Protostuff 1.8.0's own check
     * ({@code offset + length > limit}) overflows for lengths near 2^31 and then allocates them (issue 11).
     */
    private void checkLength(Input in, String field, int max) throws IOException {
        if (!(in instanceof ByteArrayInput)) {
            throw new ProtobufException(messageName() + ": decodes from byte arrays only");
        }
        ByteArrayInput b = (ByteArrayInput) in;
        int start = b.currentOffset();
        int limit = b.currentLimit();
        int len = b.readRawVarint32();
        long end = (long) b.currentOffset() + len;
        b.setBounds(start, limit);
        if (len < 0 || end > limit || len > max) {
            throw new ProtobufException(messageName() + "." + field + ": length " + Integer.toUnsignedLong(len)
                    + " (expected: 0-" + Math.min(max, Math.max(0, limit - start)) + ")");
        }
    }

    /** Finishes a top-level holder filled by {@code ProtobufIOUtil.mergeFrom}. */
    public final T finishTop(Object holder) {
        return finish(holder(holder));
    }

    @SuppressWarnings("unchecked")
    private H holder(Object o) {
        return (H) o;
    }

    @Override
    public final void mergeFrom(Input in, Object holder) throws IOException {
        H h = holder(holder);
        for (int n = in.readFieldNumber(this); n != 0; n = in.readFieldNumber(this)) {
            readField(in, n, h);
        }
    }

    @Override
    public final void writeTo(Output out, Object value) throws IOException {
        write(out, type.cast(value));
    }

    @Override
    public final Object newMessage() {
        return newHolder();
    }

    @Override
    public final String getFieldName(int number) {
        return Integer.toString(number);
    }

    @Override
    public final int getFieldNumber(String name) {
        return 0;
    }

    @Override
    public final boolean isInitialized(Object message) {
        return true;
    }

    @Override
    public final String messageName() {
        return type.getSimpleName();
    }

    @Override
    public final String messageFullName() {
        return type.getName();
    }

    @Override
    public final Class<? super Object> typeClass() {
        return Object.class;
    }

    /** The error for a field number this schema does not define. */
    protected final ProtobufException unknown(int number) {
        return new ProtobufException(messageName() + ": unknown field " + number);
    }

    /** Adds to a repeated field, refusing more than {@code cap} elements. */
    protected final <E> void addCapped(List<E> list, E element, int cap, String field) throws ProtobufException {
        if (list.size() >= cap) {
            throw new ProtobufException(messageName() + "." + field + ": more than " + cap + " elements");
        }
        list.add(element);
    }

    /** An enum constant by ordinal, refusing any other number. */
    protected final <E extends Enum<E>> E enumOf(E[] values, int ordinal, String field) throws ProtobufException {
        if (ordinal < 0 || ordinal >= values.length) {
            throw new ProtobufException(messageName() + "." + field + ": no constant " + ordinal);
        }
        return values[ordinal];
    }

    /** Writes a string unless it is {@code null}. */
    protected static void writeOptional(Output out, int number, String s) throws IOException {
        if (s != null) {
            out.writeString(number, s, false);
        }
    }
}
