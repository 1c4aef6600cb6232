package io.fleetgen.agent.impl.tx;

/**
 * Where a {@link TransmitLoop}'s frames go: batches of one {@code sendmmsg} ({@link BatchSender}), one pcap call
 * per frame ({@link PcapSink}), or a test's recording. The loop patches one frame per packet in place, so a sink
 * copies (or sends) it before the next {@link #add}.
 */
public interface FrameSink {
    /** Queues the first {@code len} bytes of {@code frame}; at most {@link #capacity()} before a {@link #flush}. */
    void add(byte[] frame, int len);

    /** Sends what is queued; returns how many of those frames the kernel took (the others are errors). */
    int flush();

    /** Bytes of the frames the last {@link #flush} sent. */
    long flushedBytes();

    /** Frames it holds before a flush. */
    int capacity();
}
