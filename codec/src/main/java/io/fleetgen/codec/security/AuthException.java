package io.fleetgen.codec.security;

import io.fleetgen.codec.ErrorCode;

/** A message whose origin could not be proven, or whose sender may not do what it asks; carries the code. */
public final class AuthException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient ErrorCode code;

    public AuthException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
