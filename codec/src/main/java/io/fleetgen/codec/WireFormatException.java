package io.fleetgen.codec;

/**
 * Bytes that are not a valid encoding of a Fleetgen wire type: truncated, of the wrong type, with a length
 * that does not fit, or decoding to a value the model refuses. The one exception every decoder throws.
 */
public final class WireFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public WireFormatException(String message) {
        super(message);
    }

    public WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
