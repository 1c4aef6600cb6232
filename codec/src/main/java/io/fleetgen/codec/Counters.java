package io.fleetgen.codec;

/**
 * One snapshot of a run's counters; 64-bit and exact. A sender fills {@code sent}, {@code sentBytes},
 * {@code sendErrors} and {@code recv} (ICMP echo replies, acknowledged TCP segments); a receiver fills
 * {@code recv}, {@code recvBytes}, {@code corrupt}, {@code drops} (pcap's own drop counter) and the signature
 * statistics ({@code duplicates}, {@code outOfOrder}, latency).
 */
public final class Counters {
    /** All zero. */
    public static final Counters ZERO = new Counters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    private final long sent;
    private final long sentBytes;
    private final long sendErrors;
    private final long recv;
    private final long recvBytes;
    private final long corrupt;
    private final long drops;
    private final long duplicates;
    private final long outOfOrder;
    private final long latencySamples;
    private final long latencySumNanos;
    private final long latencyMinNanos;
    private final long latencyMaxNanos;
    private final long jitterNanos;
    /** One-way latency percentiles p50, p90, p99, p99.9 in ns (HdrHistogram, 2 significant digits); 0 unknown. */
    private final long[] percentiles;
    /** Departures a paced sender skipped after a stall instead of catching up with a burst (issue 17). */
    private final long skipped;

    public Counters(long sent, long sentBytes, long sendErrors, long recv, long recvBytes, long corrupt, long drops,
            long duplicates, long outOfOrder, long latencySamples, long latencySumNanos, long latencyMinNanos,
            long latencyMaxNanos, long jitterNanos) {
        this(new long[] {sent, sentBytes, sendErrors, recv, recvBytes, corrupt, drops, duplicates, outOfOrder,
            latencySamples, latencySumNanos, latencyMinNanos, latencyMaxNanos, jitterNanos}, new long[4], 0);
    }

    private Counters(Counters c, long[] percentiles) {
        this(c, percentiles, c.skipped);
    }

    private Counters(Counters c, long[] percentiles, long skipped) {
        this(new long[] {c.sent, c.sentBytes, c.sendErrors, c.recv, c.recvBytes, c.corrupt, c.drops, c.duplicates,
            c.outOfOrder, c.latencySamples, c.latencySumNanos, c.latencyMinNanos, c.latencyMaxNanos, c.jitterNanos},
            percentiles.clone(), skipped);
    }

    /** The fourteen counters in declaration order, the four percentiles (owned), the skipped departures. */
    private Counters(long[] v, long[] percentiles, long skipped) {
        this.sent = v[0];
        this.sentBytes = v[1];
        this.sendErrors = v[2];
        this.recv = v[3];
        this.recvBytes = v[4];
        this.corrupt = v[5];
        this.drops = v[6];
        this.duplicates = v[7];
        this.outOfOrder = v[8];
        this.latencySamples = v[9];
        this.latencySumNanos = v[10];
        this.latencyMinNanos = v[11];
        this.latencyMaxNanos = v[12];
        this.jitterNanos = v[13];
        this.percentiles = percentiles;
        this.skipped = skipped;
    }

    /** These counters with a paced sender's skipped departures. */
    public Counters withSkipped(long s) {
        return new Counters(this, percentiles, s);
    }

    /**
     * Departures a paced sender skipped: after a stall of a whole period or more (the transmit thread preempted, a
     * JVM pause) the schedule goes on from the next slot instead of sending the missed packets in a burst.
     */
    public long skipped() {
        return skipped;
    }

    /** These counters with one-way latency percentiles, ns. */
    public Counters withLatencyPercentiles(long p50, long p90, long p99, long p999) {
        return new Counters(this, new long[] {p50, p90, p99, p999});
    }

    /** Median one-way latency, ns; 0 when unknown. */
    public long latencyP50Nanos() {
        return percentiles[0];
    }

    public long latencyP90Nanos() {
        return percentiles[1];
    }

    public long latencyP99Nanos() {
        return percentiles[2];
    }

    public long latencyP999Nanos() {
        return percentiles[3];
    }

    /** Packets handed to the kernel and accepted. */
    public long sent() {
        return sent;
    }

    /** Bytes of the frames counted in {@link #sent()}, Ethernet header included. */
    public long sentBytes() {
        return sentBytes;
    }

    /** Packets the kernel or pcap refused; never counted as sent. */
    public long sendErrors() {
        return sendErrors;
    }

    /** Packets counted by the seed's rules (receiver) or replies/acks (sender). */
    public long recv() {
        return recv;
    }

    public long recvBytes() {
        return recvBytes;
    }

    /** Counted packets whose checksum failed (only with {@code chksum}). */
    public long corrupt() {
        return corrupt;
    }

    /** Packets pcap dropped for lack of buffer (its own counter). */
    public long drops() {
        return drops;
    }

    /** Signature sequence numbers seen more than once (not counted in recv). */
    public long duplicates() {
        return duplicates;
    }

    /** Signature sequence numbers that arrived below the highest seen. */
    public long outOfOrder() {
        return outOfOrder;
    }

    public long latencySamples() {
        return latencySamples;
    }

    public long latencySumNanos() {
        return latencySumNanos;
    }

    /** Smallest one-way latency seen, ns; 0 without samples. */
    public long latencyMinNanos() {
        return latencyMinNanos;
    }

    public long latencyMaxNanos() {
        return latencyMaxNanos;
    }

    /**
     * Interarrival jitter of the signature's one-way transit times (RFC 3550 §6.4.1: the mean deviation of the
     * difference between consecutive packets' transit times, smoothed over 16 packets), ns. In a sum, the
     * largest.
     */
    public long jitterNanos() {
        return jitterNanos;
    }

    /** Mean one-way latency in ns, 0 without samples. */
    public long latencyAvgNanos() {
        return latencySamples == 0 ? 0 : latencySumNanos / latencySamples;
    }

    /** These counters with another {@code recv}. */
    public Counters withRecv(long r) {
        return new Counters(new Counters(sent, sentBytes, sendErrors, r, recvBytes, corrupt, drops, duplicates,
                outOfOrder, latencySamples, latencySumNanos, latencyMinNanos, latencyMaxNanos, jitterNanos),
                percentiles).withSkipped(skipped);
    }

    /**
     * Field-wise sum; min and max latency combine as min and max, jitter and percentiles as max (the worst of the
     * parts: percentiles of a union cannot be computed from the parts').
     */
    public Counters plus(Counters o) {
        long min = latencySamples == 0 ? o.latencyMinNanos
                : o.latencySamples == 0 ? latencyMinNanos : Math.min(latencyMinNanos, o.latencyMinNanos);
        long[] p = new long[4];
        for (int i = 0; i < 4; i++) {
            p[i] = Math.max(percentiles[i], o.percentiles[i]);
        }
        return new Counters(new Counters(sent + o.sent, sentBytes + o.sentBytes, sendErrors + o.sendErrors,
                recv + o.recv, recvBytes + o.recvBytes, corrupt + o.corrupt, drops + o.drops,
                duplicates + o.duplicates, outOfOrder + o.outOfOrder, latencySamples + o.latencySamples,
                latencySumNanos + o.latencySumNanos, min, Math.max(latencyMaxNanos, o.latencyMaxNanos),
                Math.max(jitterNanos, o.jitterNanos)), p).withSkipped(skipped + o.skipped);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Counters)) {
            return false;
        }
        Counters c = (Counters) o;
        return sent == c.sent && sentBytes == c.sentBytes && sendErrors == c.sendErrors && recv == c.recv
                && recvBytes == c.recvBytes && corrupt == c.corrupt && drops == c.drops && duplicates == c.duplicates
                && outOfOrder == c.outOfOrder && latencySamples == c.latencySamples
                && latencySumNanos == c.latencySumNanos && latencyMinNanos == c.latencyMinNanos
                && latencyMaxNanos == c.latencyMaxNanos && jitterNanos == c.jitterNanos
                && java.util.Arrays.equals(percentiles, c.percentiles) && skipped == c.skipped;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sent) * 31 + Long.hashCode(recv);
    }

    /**
     * The seed's form plus the extras: {@code Sent=10 Received=10 Corrupted=0 ...}, and the one-way latency in
     * microseconds when there are samples: {@code Latency(us)=min/avg/max Jitter(us)=j}, then
     * {@code p50/p90/p99/p99.9(us)=...} when the percentiles are known.
     */
    @Override
    public String toString() {
        String s = "Sent=" + sent + " Received=" + recv + " Corrupted=" + corrupt + " SendErrors=" + sendErrors
                + " Drops=" + drops + " Dup=" + duplicates + " OutOfOrder=" + outOfOrder
                + (skipped == 0 ? "" : " Skipped=" + skipped);
        if (latencySamples == 0) {
            return s;
        }
        s += String.format(java.util.Locale.ROOT, " Latency(us)=%.1f/%.1f/%.1f Jitter(us)=%.1f",
                latencyMinNanos / 1e3, latencyAvgNanos() / 1e3, latencyMaxNanos / 1e3, jitterNanos / 1e3);
        return percentiles[3] == 0 ? s : s + String.format(java.util.Locale.ROOT,
                " p50/p90/p99/p99.9(us)=%.1f/%.1f/%.1f/%.1f", percentiles[0] / 1e3, percentiles[1] / 1e3,
                percentiles[2] / 1e3, percentiles[3] / 1e3);
    }
}
