package io.fleetgen.codec;

/** What a {@link Command} asks an agent to do. */
public enum CommandOp {
    START_SENDER,
    START_RECEIVER,
    /** Report one run's counters, or every run's when the name is empty. */
    POLL,
    /** Stop one run by name (every run when the name is empty) and report its final counters. */
    STOP,
    /** Report every run the agent knows, live and ended. */
    LIST,
    /** Forget ended runs (their names become free for reuse without a stop). */
    CLEAR,
    /** Send the pcap file an ended receiver recorded; only on {@link Addresses#pcap(String)}. */
    FETCH_PCAP
}
