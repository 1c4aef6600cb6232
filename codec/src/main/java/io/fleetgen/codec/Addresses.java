package io.fleetgen.codec;

/**
 * Every event-bus address Fleetgen uses, and nothing else names one. Dotted, lower case, {@code fleetgen.}
 * prefix.
 */
public final class Addresses {
    /** Fleet-wide commands: every agent consumes this address. */
    public static final String BROADCAST = "fleetgen.agents";
    /** Counter events: one snapshot per live run per interval, and a final one. */
    public static final String COUNTERS = "fleetgen.counters";
    /** Agents publish their {@link HostInfo} here when they start, periodically, and when they leave. */
    public static final String ANNOUNCE = "fleetgen.announce";
    /** Controls publish here to ask every agent to announce itself at once. */
    public static final String DISCOVER = "fleetgen.discover";

    private static final String AGENT_PREFIX = "fleetgen.agent.";

    private Addresses() {
    }

    /** The request/reply address of one agent, by host id. */
    public static String agent(String hostId) {
        return AGENT_PREFIX + hostId;
    }

    /** Where one agent serves the pcap file a receiver recorded: request a run name, the reply is the file. */
    public static String pcap(String hostId) {
        return AGENT_PREFIX + hostId + ".pcap";
    }

    /**
     * Header of a fleet-wide command that each agent copies onto its result, so that one long-lived result
     * consumer can tell concurrent commands apart (registering a consumer per command costs a cluster-wide
     * round trip).
     */
    public static final String CORRELATION_HEADER = "fleetgen-correlation";

    /** The prefix of every result address; an agent sends fleet-wide results nowhere else. */
    public static final String RESULTS_PREFIX = "fleetgen.results.";

    /** Where a fleet-wide command's per-host results go: an address chosen by the caller. */
    public static String results(String requestId) {
        return RESULTS_PREFIX + requestId;
    }
}
