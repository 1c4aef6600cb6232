package io.fleetgen.codec;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An agent's answer to a {@link Command}: its host id and the runs concerned (one for a start, poll or stop
 * by name; all for a list). A failed command in a broadcast carries its code and message here, since a
 * broadcast reply cannot use {@code Message.fail}. Immutable.
 */
public final class Reply {
    private final String host;
    private final List<RunStatus> runs;
    private final int errorCode;
    private final String error;
    private final byte[] inReplyTo;

    public Reply(String host, List<RunStatus> runs, int errorCode, String error) {
        this(host, runs, errorCode, error, null);
    }

    /** @param inReplyTo the nonce of the command answered, so that an old reply cannot answer a new command */
    public Reply(String host, List<RunStatus> runs, int errorCode, String error, byte[] inReplyTo) {
        this.inReplyTo = inReplyTo == null ? new byte[0] : inReplyTo.clone();
        this.host = Objects.requireNonNull(host, "host");
        this.runs = List.copyOf(runs);
        this.errorCode = errorCode;
        this.error = error;
    }

    /** A successful reply. */
    public static Reply of(String host, List<RunStatus> runs) {
        return new Reply(host, runs, 0, null);
    }

    /** A failed reply, for broadcasts. */
    public static Reply failed(String host, ErrorCode code, String message) {
        return new Reply(host, List.of(), code.code(), message);
    }

    public String host() {
        return host;
    }

    public List<RunStatus> runs() {
        return runs;
    }

    /** 0 on success, else an {@link ErrorCode#code()}. */
    public int errorCode() {
        return errorCode;
    }

    public String error() {
        return error;
    }

    /** The nonce of the command this answers; empty when unbound. */
    public byte[] inReplyTo() {
        return inReplyTo.clone();
    }

    /** This reply bound to the command it answers. */
    public Reply answering(Command c) {
        return new Reply(host, runs, errorCode, error, c.nonce());
    }

    public boolean ok() {
        return errorCode == 0;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Reply)) {
            return false;
        }
        Reply r = (Reply) o;
        return host.equals(r.host) && runs.equals(r.runs) && errorCode == r.errorCode && Objects.equals(error, r.error)
                && Arrays.equals(inReplyTo, r.inReplyTo);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, runs, errorCode);
    }

    @Override
    public String toString() {
        return ok() ? host + " " + runs : host + " failed " + errorCode + ": " + error;
    }
}
