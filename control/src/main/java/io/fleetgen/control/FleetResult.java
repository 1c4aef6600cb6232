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

    FleetResult(Map<String, Reply> replies, List<String> missing) {
        this.replies = Map.copyOf(replies);
        this.missing = List.copyOf(missing);
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
