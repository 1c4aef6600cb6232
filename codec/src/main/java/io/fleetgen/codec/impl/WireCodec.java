package io.fleetgen.codec.impl;

import io.fleetgen.codec.ValidationException;
import io.fleetgen.codec.WireFormatException;
import io.protostuff.LinkedBuffer;
import io.protostuff.ProtobufIOUtil;
import java.util.List;

/**
 * Encoding and decoding of the wire types in the Protocol Buffers format through Protostuff, behind
 * {@code io.fleetgen.codec.wire.Wire} (the API). Thread-safe: each call uses its own buffer.
 */
public final class WireCodec {
    /** Largest encoded message accepted; longer input is refused before any parsing. */
    public static final int MAX_MESSAGE_BYTES = 1 << 20;
    private static final int BUFFER_BYTES = 512;

    private WireCodec() {
    }

    /** The classes that have a schema. */
    public static List<Class<?>> types() {
        return Schemas.all().stream().<Class<?>>map(WireSchema::type).toList();
    }

    /** Encodes a wire value. */
    public static byte[] encode(Object value) {
        WireSchema<?, ?> schema = Schemas.of(value.getClass());
        if (schema == null) {
            throw new IllegalArgumentException(value.getClass().getName() + " is no Fleetgen wire type");
        }
        return ProtobufIOUtil.toByteArray(value, schema, LinkedBuffer.allocate(BUFFER_BYTES));
    }

    /** Decodes a whole array. */
    public static <T> T decode(Class<T> type, byte[] data) throws WireFormatException {
        return decode(type, data, 0, data.length);
    }

    /**
     * Decodes {@code len} bytes at {@code off} as a {@code type}, validating the result like a built value.
     *
     * @throws WireFormatException for any input that is not a valid {@code type}; never an Error, and no
     *     allocation larger than the input
     */
    public static <T> T decode(Class<T> type, byte[] data, int off, int len) throws WireFormatException {
        WireSchema<T, ?> schema = Schemas.of(type);
        if (schema == null) {
            throw new IllegalArgumentException(type.getName() + " is no Fleetgen wire type");
        }
        if (len < 0 || len > MAX_MESSAGE_BYTES || off < 0 || off + len > data.length) {
            throw new WireFormatException(type.getSimpleName() + ": length " + len + " (expected: 0-"
                    + MAX_MESSAGE_BYTES + " within the buffer)");
        }
        try {
            Object holder = schema.newMessage();
            ProtobufIOUtil.mergeFrom(data, off, len, holder, schema);
            return schema.finishTop(holder);
        } catch (ValidationException e) {
            throw new WireFormatException(type.getSimpleName() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Protostuff wraps its ProtobufException in a RuntimeException for byte-array input.
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new WireFormatException(type.getSimpleName() + ": " + cause.getMessage(), e);
        }
    }
}
