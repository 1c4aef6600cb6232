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
    /** The message carries no valid seal of a fleet credential (unsigned, bad MAC or signature, expired). */
    UNAUTHENTICATED(401),
    /** The sender's credential may not do this: not issued by the fleet CA, or an agent's commanding. */
    FORBIDDEN(4031),
    /** The command was issued for another host, or sealed for another node's credential. */
    MISDIRECTED(421),
    /** The command was issued too long ago, or in the future (clock skew beyond the window). */
    EXPIRED(4081),
    /** The command's nonce was seen before: a replay. */
    REPLAYED(4091),
    /** A configured limit of the agent was reached; the message names it and the option that sets it. */
    LIMIT(429),
    /** No agent of that host id has announced itself. */
    UNKNOWN_HOST(4041),
    /** The cluster's routing maps lead a command for a host to a node that is not that host's agent. */
    TAMPERED(5021),
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
