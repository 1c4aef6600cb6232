package io.fleetgen.codec;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A request to an agent, sent to {@link Addresses#agent(String)} (the agent replies with a {@link Reply}) or
 * published on {@link Addresses#BROADCAST} (each selected agent sends its {@link Reply} to {@link #replyTo()}).
 * Immutable.
 */
public final class Command {
    private final CommandOp op;
    private final String name;
    private final ProfileSpec profile;
    private final String replyTo;
    private final List<String> hosts;
    private final String target;
    private final long issuedAtMillis;
    private final byte[] nonce;
    private final long offset;

    /** The target of a fleet-wide command. */
    public static final String EVERY_HOST = "*";
    /** Longest nonce, in bytes. */
    public static final int MAX_NONCE_BYTES = 32;

    /**
     * @param name the run name; empty for "every run" with POLL, STOP and LIST
     * @param profile the profile to start, {@code null} for other ops
     * @param replyTo for broadcasts: where each agent sends its reply; empty otherwise
     * @param hosts for broadcasts: the host ids that should act, empty for all
     */
    public Command(CommandOp op, String name, ProfileSpec profile, String replyTo, List<String> hosts) {
        this(op, name, profile, replyTo, hosts, "", 0, new byte[0]);
    }

    /**
     * A command bound to its target, time and nonce (SPEC §9): an agent runs it only if {@code target} is its
     * own host id (or {@link #EVERY_HOST} on the broadcast address), {@code issuedAtMillis} is recent and the
     * nonce is new to it.
     */
    public Command(CommandOp op, String name, ProfileSpec profile, String replyTo, List<String> hosts, String target,
            long issuedAtMillis, byte[] nonce) {
        this(op, name, profile, replyTo, hosts, target, issuedAtMillis, nonce, 0);
    }

    /** @param offset for {@link CommandOp#FETCH_PCAP}: the byte of the file to send from */
    public Command(CommandOp op, String name, ProfileSpec profile, String replyTo, List<String> hosts, String target,
            long issuedAtMillis, byte[] nonce, long offset) {
        if (offset < 0) {
            throw ValidationException.of("offset", offset, "0 or more");
        }
        this.offset = offset;
        this.target = target == null ? "" : target;
        this.issuedAtMillis = issuedAtMillis;
        this.nonce = nonce == null ? new byte[0] : nonce.clone();
        if (this.nonce.length > MAX_NONCE_BYTES) {
            throw ValidationException.of("nonce", this.nonce.length + " bytes", "0-" + MAX_NONCE_BYTES);
        }
        this.op = Objects.requireNonNull(op, "op");
        this.name = name == null ? "" : name;
        this.profile = profile;
        this.replyTo = replyTo == null ? "" : replyTo;
        this.hosts = List.copyOf(hosts == null ? List.of() : hosts);
        if ((op == CommandOp.START_SENDER || op == CommandOp.START_RECEIVER) && profile == null) {
            throw ValidationException.of("profile", "missing", "a profile with " + op);
        }
        if ((op == CommandOp.START_SENDER || op == CommandOp.START_RECEIVER)) {
            RunNames.check(this.name);
        }
    }

    /** A command for one host's address. */
    public static Command of(CommandOp op, String name, ProfileSpec profile) {
        return new Command(op, name, profile, "", List.of());
    }

    public CommandOp op() {
        return op;
    }

    public String name() {
        return name;
    }

    /** The profile of a start, else {@code null}. */
    public ProfileSpec profile() {
        return profile;
    }

    public String replyTo() {
        return replyTo;
    }

    public List<String> hosts() {
        return hosts;
    }

    /** The host id this command is for, {@link #EVERY_HOST} for a fleet-wide one, empty when not bound. */
    public String target() {
        return target;
    }

    /** Wall-clock time the control issued it, ms since the epoch. */
    public long issuedAtMillis() {
        return issuedAtMillis;
    }

    public byte[] nonce() {
        return nonce.clone();
    }

    /** This command bound to a target, a time and a nonce. */
    public Command bind(String target, long issuedAtMillis, byte[] nonce) {
        return new Command(op, name, profile, replyTo, hosts, target, issuedAtMillis, nonce, offset);
    }

    /** For {@link CommandOp#FETCH_PCAP}: the byte of the file to send from. */
    public long offset() {
        return offset;
    }

    /** A pcap fetch of run {@code name} from byte {@code offset}. */
    public static Command fetchPcap(String name, long offset) {
        return new Command(CommandOp.FETCH_PCAP, name, null, "", List.of(), "", 0, null, offset);
    }

    /** Whether a broadcast addresses this host. */
    public boolean selects(String hostId) {
        return hosts.isEmpty() || hosts.contains(hostId);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Command)) {
            return false;
        }
        Command c = (Command) o;
        return op == c.op && name.equals(c.name) && Objects.equals(profile, c.profile) && replyTo.equals(c.replyTo)
                && hosts.equals(c.hosts) && target.equals(c.target) && issuedAtMillis == c.issuedAtMillis
                && Arrays.equals(nonce, c.nonce) && offset == c.offset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(op, name, replyTo, hosts);
    }

    @Override
    public String toString() {
        return op + " " + name + (profile == null ? "" : " " + profile);
    }
}
