package io.fleetgen.codec;

/** The life of a run as its agent (or, for {@link #LOST}, the control) reports it. */
public enum RunState {
    /** Accepted; resolving the route, opening pcap, opening the listener. */
    STARTING,
    /** Sending or capturing. */
    RUNNING,
    /** Ended by itself: count reached, or receiver timeout. */
    FINISHED,
    /** Ended by a stop command or by the agent's shutdown. */
    STOPPED,
    /** Ended by an error; the status carries the message. */
    FAILED,
    /** Control-side only: the agent left the cluster while the run was live; the last counters are kept. */
    LOST;

    /** Whether the run is over. */
    public boolean isTerminal() {
        return this != STARTING && this != RUNNING;
    }
}
