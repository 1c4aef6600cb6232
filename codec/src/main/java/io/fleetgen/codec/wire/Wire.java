package io.fleetgen.codec.wire;

import io.fleetgen.codec.WireFormatException;
import io.fleetgen.codec.impl.WireCodec;
import java.util.List;

/**
 * Encoding and decoding of the wire types ({@code Command}, {@code Reply}, {@code CounterEvent}, {@code HostInfo},
 * {@code ProfileSpec}, {@code StreamSpec}, ...) in the Protocol Buffers format through Protostuff. Thread-safe.
 */
public final class Wire {
    /** Largest encoded message accepted; longer input is refused before any parsing. */
    public static final int MAX_MESSAGE_BYTES = WireCodec.MAX_MESSAGE_BYTES;

    private Wire() {
    }

    /** The classes that have a schema. */
    public static List<Class<?>> types() {
        return WireCodec.types();
    }

    /** Encodes a wire value. */
    public static byte[] encode(Object value) {
        return WireCodec.encode(value);
    }

    /** Decodes a whole array. */
    public static <T> T decode(Class<T> type, byte[] data) throws WireFormatException {
        return WireCodec.decode(type, data);
    }

    /**
     * Decodes {@code len} bytes at {@code off} as a {@code type}, validating the result like a built value.
     *
     * @throws WireFormatException for any input that is not a valid {@code type}; never an Error, and no
     *     allocation larger than the input
     */
    public static <T> T decode(Class<T> type, byte[] data, int off, int len) throws WireFormatException {
        return WireCodec.decode(type, data, off, len);
    }
}
