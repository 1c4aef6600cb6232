package io.fleetgen.control.repl;

/**
 * A command the REPL cannot run: bad syntax, bad field, unknown name, or an agent's refusal, with a code for
 * scripts ({@code --json} prints it): an agent's {@code ErrorCode} name, {@code INVALID} for bad input, {@code USAGE}
 * for a malformed command, {@code OFFLINE} for a command that needs the cluster when none was given.
 */
public final class ReplException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;

    ReplException(String message) {
        this("USAGE", message);
    }

    public ReplException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
