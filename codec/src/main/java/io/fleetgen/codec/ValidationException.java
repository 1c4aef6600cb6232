package io.fleetgen.codec;

/**
 * A stream, profile or command that breaks a rule of the model. The message always names the field, the
 * value given and what was expected, e.g. {@code dport: 70000 (expected: 0-65535)}.
 */
public final class ValidationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public ValidationException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The model field at fault, by its seed name. */
    public String field() {
        return field;
    }

    /** {@code field: value (expected: expected)}. */
    public static ValidationException of(String field, Object value, String expected) {
        return new ValidationException(field, field + ": " + value + " (expected: " + expected + ")");
    }
}
