package io.fleetgen.codec;

/**
 * A message body as a consumer receives it when the bytes may be hostile: either the value or the reason it
 * could not be decoded, so the consumer can answer {@link ErrorCode#MALFORMED} instead of Vert.x dropping the
 * message. Immutable.
 */
public final class Decoded<T> {
    private final T value;
    private final WireFormatException error;

    private Decoded(T value, WireFormatException error) {
        this.value = value;
        this.error = error;
    }

    public static <T> Decoded<T> of(T value) {
        return new Decoded<>(value, null);
    }

    public static <T> Decoded<T> failed(WireFormatException error) {
        return new Decoded<>(null, error);
    }

    /**
     * The value.
     *
     * @throws WireFormatException when the bytes were not a valid value
     */
    public T get() throws WireFormatException {
        if (error != null) {
            throw error;
        }
        return value;
    }

    public boolean ok() {
        return error == null;
    }
}
