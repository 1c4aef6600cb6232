package io.fleetgen.control;

import io.fleetgen.codec.Counters;
import io.fleetgen.codec.Reply;
import io.fleetgen.codec.RunStatus;
import java.util.List;
import java.util.Map;

/** The outcome of a fleet-wide command: one reply per host, the hosts that did not answer, and the total. */
public final class FleetResult {
    private final Map<String, Reply> replies;
    private final List<String> missing;
    private final List<String> rolledBack;

    FleetResult(Map<String, Reply> replies, List<String> missing) {
        this(replies, missing, List.of());
    }

    FleetResult(Map<String, Reply> replies, List<String> missing, List<String> rolledBack) {
        this.replies = Map.copyOf(replies);
        this.missing = List.copyOf(missing);
        this.rolledBack = List.copyOf(rolledBack);
    }

    /** This result, with the hosts whose start was undone because the fleet start failed elsewhere. */
    FleetResult withRolledBack(List<String> hosts) {
        return new FleetResult(replies, missing, hosts);
    }

    /** Hosts where the run started and was stopped again because it failed on another host. */
    public List<String> rolledBack() {
        return rolledBack;
    }

    /** What happened on each host, by host id: "started", "rolled back", "failed: ...", "no answer". */
    public Map<String, String> outcomes() {
        Map<String, String> out = new java.util.TreeMap<>();
        replies.forEach((h, r) -> out.put(h, !r.ok() ? "failed: " + r.error() : rolledBack.contains(h)
                ? "started, rolled back" : "started"));
        missing.forEach(h -> out.put(h, "no answer"));
        return out;
    }

    /** Each answering host's reply, by host id. */
    public Map<String, Reply> replies() {
        return replies;
    }

    /** Hosts expected to answer that did not before the deadline. */
    public List<String> missing() {
        return missing;
    }

    /** Whether every host answered without error. */
    public boolean ok() {
        return missing.isEmpty() && replies.values().stream().allMatch(Reply::ok);
    }

    /** The sum of the counters of every run in every reply: the fleet total. */
    public Counters total() {
        Counters c = Counters.ZERO;
        for (Reply r : replies.values()) {
            for (RunStatus s : r.runs()) {
                c = c.plus(s.counters());
            }
        }
        return c;
    }
}
