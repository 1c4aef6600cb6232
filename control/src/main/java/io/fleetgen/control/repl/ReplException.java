package io.fleetgen.control.repl;

/** A command the REPL cannot run: bad syntax, bad field, unknown name, or an agent's refusal. */
final class ReplException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReplException(String message) {
        super(message);
    }
}
