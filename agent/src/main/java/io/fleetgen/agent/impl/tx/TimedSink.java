package io.fleetgen.agent.impl.tx;

/**
 * Where a paced {@link TransmitLoop} queues frames ahead, each with its departure time, for the kernel to send at
 * that time ({@link RingSender}: io_uring timeouts linked to sends; issue 17), or a test's simulation. The loop
 * patches one frame per packet in place, so a sink copies it in {@link #addAt}. Counts are since {@link #reset}.
 */
public interface TimedSink {
    /** Frames it holds in flight at most. */
    int capacity();

    /** Frames queued and not yet completed. */
    int inFlight();

    /**
     * Queues the first {@code len} bytes of {@code frame} to leave at {@code departure} ({@link System#nanoTime()}
     * units; a time in the past leaves at once); false when {@link #capacity()} frames are in flight.
     */
    boolean addAt(byte[] frame, int len, long departure);

    /**
     * Hands what was queued to the kernel and waits until {@code minComplete} frames have left (or failed) or
     * {@code timeoutNanos} passed (0: no wait), then counts the completions.
     */
    void await(int minComplete, long timeoutNanos);

    /** Withdraws every frame still waiting for its time; they complete as neither sent nor failed. */
    void cancelAll();

    /** Frames sent. */
    long sent();

    /** Bytes of the frames sent. */
    long bytes();

    /** Frames the kernel refused. */
    long errors();

    /** Frames withdrawn by {@link #cancelAll} before they left. */
    long withdrawn();

    /** Zeroes the counts (a pooled sink's next run); nothing may be in flight. */
    void reset();
}
