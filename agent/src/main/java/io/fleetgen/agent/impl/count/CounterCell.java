package io.fleetgen.agent.impl.count;

import io.fleetgen.codec.Counters;

/**
 * The counters one thread writes (HOUSE_STYLE 9): the loop keeps plain locals and publishes them here once per
 * batch; readers take snapshots. Each field has exactly one writer, so a volatile store suffices.
 */
public final class CounterCell {
    private volatile long sent;
    private volatile long sentBytes;
    private volatile long sendErrors;
    private volatile long recv;
    private volatile long recvBytes;
    private volatile long corrupt;
    private volatile long drops;
    private volatile long duplicates;
    private volatile long outOfOrder;
    private volatile long latencySamples;
    private volatile long latencySumNanos;
    private volatile long latencyMinNanos;
    private volatile long latencyMaxNanos;
    private volatile long jitterNanos;
    private volatile long p50;
    private volatile long p90;
    private volatile long p99;
    private volatile long p999;
    private volatile long skipped;

    /** Publishes a transmit loop's totals: sent, bytes, errors, departures skipped after stalls. */
    public void publishTx(long sentTotal, long bytesTotal, long errorsTotal, long skippedTotal) {
        sent = sentTotal;
        sentBytes = bytesTotal;
        sendErrors = errorsTotal;
        skipped = skippedTotal;
    }

    /** Publishes a capture loop's totals. */
    public void publishRx(long recvTotal, long bytesTotal, long corruptTotal, long dupTotal, long oooTotal) {
        recv = recvTotal;
        recvBytes = bytesTotal;
        corrupt = corruptTotal;
        duplicates = dupTotal;
        outOfOrder = oooTotal;
    }

    /**
     * Publishes a capture loop's one-way latency totals (signature transmit time to capture time), jitter and
     * percentiles (ns).
     */
    public void publishLatency(long samples, long sumNanos, long minNanos, long maxNanos, long jitter, long p50Nanos,
            long p90Nanos, long p99Nanos, long p999Nanos) {
        latencySamples = samples;
        latencySumNanos = sumNanos;
        latencyMinNanos = minNanos;
        latencyMaxNanos = maxNanos;
        jitterNanos = jitter;
        p50 = p50Nanos;
        p90 = p90Nanos;
        p99 = p99Nanos;
        p999 = p999Nanos;
    }

    /** Publishes pcap's own drop counter. */
    public void publishDrops(long dropsTotal) {
        drops = dropsTotal;
    }

    /** The cell's values as counters. */
    public Counters snapshot() {
        return new Counters(sent, sentBytes, sendErrors, recv, recvBytes, corrupt, drops, duplicates, outOfOrder,
                latencySamples, latencySumNanos, latencyMinNanos, latencyMaxNanos, jitterNanos)
                .withLatencyPercentiles(p50, p90, p99, p999).withSkipped(skipped);
    }
}
