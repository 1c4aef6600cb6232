package io.fleetgen.agent.impl.rx;

/** A capture listener that counts, owned by the capture thread, and publishes its totals on request. */
public interface CountingListener {
    /**
     * Takes one captured frame, valid from 0 to {@code len} in {@code frame} until this method returns (the
     * buffer is reused for the next packet).
     *
     * @param wireLen the frame's length on the wire ({@code len} or more)
     * @param tsNanos the capture timestamp, nanoseconds since the epoch
     */
    void gotPacket(byte[] frame, int len, int wireLen, long tsNanos);

    /** Packets counted so far (for the expected-count stop). */
    long counted();

    /** Publishes the totals to the run's counter cell. */
    void publish();

    /** The last publish of a run: everything computed afresh (percentiles are otherwise throttled). */
    default void publishFinal() {
        publish();
    }
}
