package io.fleetgen.codec;

import java.util.Objects;

/** What an agent knows of one run: who, what, its state and counters. Immutable. */
public final class RunStatus {
    private final String host;
    private final String name;
    private final Role role;
    private final RunState state;
    private final ProfileType type;
    private final String target;
    private final Counters counters;
    private final String error;
    private final long startedAtMillis;
    private final long endedAtMillis;
    /** Per stream of a run of several streams, in the profile's order; empty for one stream. */
    private final java.util.List<Counters> streams;

    /**
     * @param target the stream's destination (sender) or listener (receiver), as text
     * @param error the failure message, or {@code null}
     * @param endedAtMillis wall-clock end, 0 while live
     */
    public RunStatus(String host, String name, Role role, RunState state, ProfileType type, String target,
            Counters counters, String error, long startedAtMillis, long endedAtMillis) {
        this(host, name, role, state, type, target, counters, error, startedAtMillis, endedAtMillis,
                java.util.List.of());
    }

    /** With per-stream counters (a run of several streams; issue 14). */
    public RunStatus(String host, String name, Role role, RunState state, ProfileType type, String target,
            Counters counters, String error, long startedAtMillis, long endedAtMillis,
            java.util.List<Counters> streams) {
        this.streams = java.util.List.copyOf(streams);
        this.host = Objects.requireNonNull(host, "host");
        this.name = Objects.requireNonNull(name, "name");
        this.role = Objects.requireNonNull(role, "role");
        this.state = Objects.requireNonNull(state, "state");
        this.type = Objects.requireNonNull(type, "type");
        this.target = target == null ? "" : target;
        this.counters = Objects.requireNonNull(counters, "counters");
        this.error = error;
        this.startedAtMillis = startedAtMillis;
        this.endedAtMillis = endedAtMillis;
    }

    public String host() {
        return host;
    }

    public String name() {
        return name;
    }

    public Role role() {
        return role;
    }

    public RunState state() {
        return state;
    }

    public ProfileType type() {
        return type;
    }

    public String target() {
        return target;
    }

    public Counters counters() {
        return counters;
    }

    /** The failure message, or {@code null}. */
    public String error() {
        return error;
    }

    public long startedAtMillis() {
        return startedAtMillis;
    }

    public long endedAtMillis() {
        return endedAtMillis;
    }

    /** Per-stream counters, in the profile's order; empty for a run of one stream. */
    public java.util.List<Counters> streams() {
        return streams;
    }

    /** A copy in another state (the control marks lost runs). */
    public RunStatus withState(RunState newState, String newError) {
        return new RunStatus(host, name, role, newState, type, target, counters, newError, startedAtMillis,
                endedAtMillis, streams);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RunStatus)) {
            return false;
        }
        RunStatus s = (RunStatus) o;
        return host.equals(s.host) && name.equals(s.name) && role == s.role && state == s.state && type == s.type
                && target.equals(s.target) && counters.equals(s.counters) && Objects.equals(error, s.error)
                && startedAtMillis == s.startedAtMillis && endedAtMillis == s.endedAtMillis
                && streams.equals(s.streams);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, name, role, state);
    }

    @Override
    public String toString() {
        return host + "/" + name + " " + role + " " + state + " " + counters + (error == null ? "" : " error=" + error);
    }
}
