package io.fleetgen.codec.impl;

import io.fleetgen.codec.Decoded;
import io.fleetgen.codec.WireFormatException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * The Vert.x codec of one wire type: a 4-byte length, then the Protostuff bytes. Local delivery passes the
 * (immutable) value through. {@code R} is {@code T} itself, or {@link Decoded Decoded&lt;T&gt;} for bodies that
 * may come from a hostile node (commands), so that a bad body reaches the consumer as an error to answer.
 */
public final class ProtostuffMessageCodec<T, R> implements MessageCodec<T, R> {
    private final Class<T> type;
    private final boolean wrap;
    private final String name;

    private ProtostuffMessageCodec(Class<T> type, boolean wrap) {
        this.type = type;
        this.wrap = wrap;
        this.name = "fleetgen." + type.getSimpleName();
    }

    /** A codec whose receivers get {@code T}; undecodable bytes throw inside Vert.x and are dropped. */
    public static <T> ProtostuffMessageCodec<T, T> plain(Class<T> type) {
        return new ProtostuffMessageCodec<>(type, false);
    }

    /** A codec whose receivers get {@code Decoded<T>}, undecodable bytes included. */
    public static <T> ProtostuffMessageCodec<T, Decoded<T>> decoded(Class<T> type) {
        return new ProtostuffMessageCodec<>(type, true);
    }

    /** The name both ends register it under: {@code fleetgen.<SimpleName>}. */
    public static String nameOf(Class<?> type) {
        return "fleetgen." + type.getSimpleName();
    }

    @Override
    public void encodeToWire(Buffer buffer, T value) {
        byte[] bytes = WireCodec.encode(value);
        buffer.appendInt(bytes.length).appendBytes(bytes);
    }

    @Override
    public R decodeFromWire(int pos, Buffer buffer) {
        try {
            if (pos < 0 || pos + 4 > buffer.length()) {
                throw new WireFormatException(type.getSimpleName() + ": no length prefix");
            }
            int len = buffer.getInt(pos);
            if (len < 0 || len > WireCodec.MAX_MESSAGE_BYTES || len > buffer.length() - pos - 4) {
                throw new WireFormatException(type.getSimpleName() + ": length " + len + " (expected: 0-"
                        + Math.min(WireCodec.MAX_MESSAGE_BYTES, buffer.length() - pos - 4) + ")");
            }
            T value = WireCodec.decode(type, buffer.getBytes(pos + 4, pos + 4 + len));
            return wrap ? cast(Decoded.of(value)) : cast(value);
        } catch (WireFormatException e) {
            if (wrap) {
                return cast(Decoded.failed(e));
            }
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public R transform(T value) {
        return wrap ? cast(Decoded.of(value)) : cast(value);
    }

    @SuppressWarnings("unchecked")
    private R cast(Object o) {
        return (R) o;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
