package io.fleetgen.codec;

/**
 * Failure codes carried by {@code Message.fail(code, text)} across the event bus; one enum for every
 * failure an agent can report, so a client can branch on the code and show the text.
 */
public enum ErrorCode {
    /** The command bytes could not be decoded. */
    MALFORMED(400),
    /** The command decoded but its stream or profile breaks a rule of the model. */
    INVALID(422),
    /** A run of that name is already running on this host (the seed's "already running"). */
    ALREADY_RUNNING(409),
    /** No run of that name on this host. */
    NO_SUCH_RUN(404),
    /** The destination is outside the agent's allow-list. */
    NOT_ALLOWED(403),
    /** No route, or no neighbour answered for the next hop. */
    UNREACHABLE(503),
    /** pcap or a socket could not be opened. */
    IO(502),
    /** Anything else; the message says what. */
    INTERNAL(500);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    /** The numeric failure code used on the bus. */
    public int code() {
        return code;
    }

    /** The enum for a numeric failure code, or {@link #INTERNAL} when unknown (a timeout, a bus error). */
    public static ErrorCode of(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return INTERNAL;
    }
}
