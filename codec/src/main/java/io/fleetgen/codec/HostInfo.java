package io.fleetgen.codec;

import java.util.List;
import java.util.Objects;

/** An agent's announcement of itself on {@link Addresses#ANNOUNCE}. Immutable. */
public final class HostInfo {
    private final String hostId;
    private final String version;
    private final String managementAddress;
    private final List<String> addresses;
    private final List<String> interfaces;
    private final long startedAtMillis;
    private final int liveRuns;
    private final boolean leaving;
    private final String nodeId;
    private final String busAddress;

    /**
     * @param addresses the host's data addresses (CIDR text)
     * @param leaving whether the agent is shutting down
     */
    public HostInfo(String hostId, String version, String managementAddress, List<String> addresses,
            List<String> interfaces, long startedAtMillis, int liveRuns, boolean leaving) {
        this(hostId, version, managementAddress, addresses, interfaces, startedAtMillis, liveRuns, leaving, "", "");
    }

    /**
     * @param nodeId the agent's cluster node id, where commands to its address must lead
     * @param busAddress the agent's event-bus {@code host:port}, where the cluster's node map must point
     */
    public HostInfo(String hostId, String version, String managementAddress, List<String> addresses,
            List<String> interfaces, long startedAtMillis, int liveRuns, boolean leaving, String nodeId,
            String busAddress) {
        this.nodeId = nodeId == null ? "" : nodeId;
        this.busAddress = busAddress == null ? "" : busAddress;
        this.hostId = Objects.requireNonNull(hostId, "hostId");
        this.version = version == null ? "" : version;
        this.managementAddress = managementAddress == null ? "" : managementAddress;
        this.addresses = List.copyOf(addresses);
        this.interfaces = List.copyOf(interfaces);
        this.startedAtMillis = startedAtMillis;
        this.liveRuns = liveRuns;
        this.leaving = leaving;
    }

    public String hostId() {
        return hostId;
    }

    public String version() {
        return version;
    }

    public String managementAddress() {
        return managementAddress;
    }

    public List<String> addresses() {
        return addresses;
    }

    public List<String> interfaces() {
        return interfaces;
    }

    public long startedAtMillis() {
        return startedAtMillis;
    }

    public int liveRuns() {
        return liveRuns;
    }

    public boolean leaving() {
        return leaving;
    }

    /** The agent's cluster node id; empty when unknown. */
    public String nodeId() {
        return nodeId;
    }

    /** The agent's event-bus {@code host:port}; empty when unknown. */
    public String busAddress() {
        return busAddress;
    }

    /** This announcement with another live-run count and leaving flag. */
    public HostInfo with(int liveRuns, boolean leaving) {
        return new HostInfo(hostId, version, managementAddress, addresses, interfaces, startedAtMillis, liveRuns,
                leaving, nodeId, busAddress);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HostInfo)) {
            return false;
        }
        HostInfo h = (HostInfo) o;
        return hostId.equals(h.hostId) && version.equals(h.version) && managementAddress.equals(h.managementAddress)
                && addresses.equals(h.addresses) && interfaces.equals(h.interfaces)
                && startedAtMillis == h.startedAtMillis && liveRuns == h.liveRuns && leaving == h.leaving
                && nodeId.equals(h.nodeId) && busAddress.equals(h.busAddress);
    }

    @Override
    public int hashCode() {
        return Objects.hash(hostId, managementAddress);
    }

    @Override
    public String toString() {
        return hostId + " " + managementAddress + " " + addresses + " v" + version + (leaving ? " leaving" : "");
    }
}
