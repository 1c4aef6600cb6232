package io.fleetgen.agent;

import io.fleetgen.agent.impl.net.Cidr;
import io.fleetgen.codec.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What an agent needs beyond its cluster settings. Fluent setters validate; units in the names. */
public final class AgentOptions {
    /** Milliseconds between counter snapshots of a live run. */
    public static final long DEFAULT_COUNTER_INTERVAL_MS = 1000;
    /** Longest any run may last, whatever its profile: every load loop stops by itself. */
    public static final long DEFAULT_MAX_RUN_SECONDS = 3600;

    /** How far a command's issue time may be from the agent's clock, either way. */
    public static final long DEFAULT_COMMAND_WINDOW_MS = 30_000;
    /** Most commands admitted within one window (the replay cache's bound). */
    public static final int DEFAULT_MAX_COMMANDS_PER_WINDOW = 200_000;
    /** Milliseconds between checks of the cluster's routing maps for this agent's entries. */
    public static final long DEFAULT_GUARD_INTERVAL_MS = 2000;

    private String hostId;
    private long commandWindowMillis = DEFAULT_COMMAND_WINDOW_MS;
    private int maxCommandsPerWindow = DEFAULT_MAX_COMMANDS_PER_WINDOW;
    private long guardIntervalMillis = DEFAULT_GUARD_INTERVAL_MS;
    private long counterIntervalMillis = DEFAULT_COUNTER_INTERVAL_MS;
    private List<Cidr> allow = new ArrayList<>();
    private long maxRunSeconds = DEFAULT_MAX_RUN_SECONDS;

    public AgentOptions() {
    }

    public AgentOptions(AgentOptions o) {
        this.hostId = o.hostId;
        this.counterIntervalMillis = o.counterIntervalMillis;
        this.allow = new ArrayList<>(o.allow);
        this.maxRunSeconds = o.maxRunSeconds;
        this.commandWindowMillis = o.commandWindowMillis;
        this.maxCommandsPerWindow = o.maxCommandsPerWindow;
        this.guardIntervalMillis = o.guardIntervalMillis;
    }

    public long getCommandWindowMillis() {
        return commandWindowMillis;
    }

    /** How far a command's issue time may be from this host's clock, 1000-600000 ms; default 30000. */
    public AgentOptions setCommandWindowMillis(long ms) {
        if (ms < 1000 || ms > 600_000) {
            throw ValidationException.of("command-window-ms", ms, "1000-600000");
        }
        this.commandWindowMillis = ms;
        return this;
    }

    public int getMaxCommandsPerWindow() {
        return maxCommandsPerWindow;
    }

    /** Most commands admitted within one window, 100-10000000; default 200000. */
    public AgentOptions setMaxCommandsPerWindow(int n) {
        if (n < 100 || n > 10_000_000) {
            throw ValidationException.of("max-commands-per-window", n, "100-10000000");
        }
        this.maxCommandsPerWindow = n;
        return this;
    }

    public long getGuardIntervalMillis() {
        return guardIntervalMillis;
    }

    /** Milliseconds between checks of the routing maps, 200-60000; default 2000. */
    public AgentOptions setGuardIntervalMillis(long ms) {
        if (ms < 200 || ms > 60_000) {
            throw ValidationException.of("guard-interval-ms", ms, "200-60000");
        }
        this.guardIntervalMillis = ms;
        return this;
    }

    public String getHostId() {
        return hostId;
    }

    /** The host id commands are addressed by; 1-64 characters of A-Z a-z 0-9 . _ -. */
    public AgentOptions setHostId(String hostId) {
        Objects.requireNonNull(hostId, "hostId");
        if (hostId.isEmpty() || hostId.length() > 64 || !hostId.matches("[A-Za-z0-9._-]+")) {
            throw ValidationException.of("host-id", hostId, "1-64 characters of A-Z a-z 0-9 . _ -");
        }
        this.hostId = hostId;
        return this;
    }

    public long getCounterIntervalMillis() {
        return counterIntervalMillis;
    }

    /** Milliseconds between counter events, 50-60000; default 1000. */
    public AgentOptions setCounterIntervalMillis(long ms) {
        if (ms < 50 || ms > 60_000) {
            throw ValidationException.of("counter-interval", ms, "50-60000 ms");
        }
        this.counterIntervalMillis = ms;
        return this;
    }

    /** Destinations a sender may target; empty means the directly connected subnets. */
    public List<Cidr> getAllow() {
        return allow;
    }

    public AgentOptions setAllow(List<Cidr> allow) {
        this.allow = new ArrayList<>(allow);
        return this;
    }

    public long getMaxRunSeconds() {
        return maxRunSeconds;
    }

    /** Cap on every run's length in seconds, 1-86400; default 3600. */
    public AgentOptions setMaxRunSeconds(long seconds) {
        if (seconds < 1 || seconds > 86_400) {
            throw ValidationException.of("max-run-seconds", seconds, "1-86400");
        }
        this.maxRunSeconds = seconds;
        return this;
    }
}
