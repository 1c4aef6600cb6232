package io.fleetgen.control;

import io.fleetgen.codec.ErrorCode;

/** An agent refused or failed a command; carries the agent's code and message. */
public final class FleetException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ErrorCode code;

    public FleetException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
