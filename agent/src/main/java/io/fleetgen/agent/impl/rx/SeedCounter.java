package io.fleetgen.agent.impl.rx;

import io.fleetgen.agent.frame.Checksums;
import io.fleetgen.agent.frame.FrameLayout;
import io.fleetgen.agent.impl.count.CounterCell;
import io.fleetgen.codec.L4Proto;
import org.HdrHistogram.Histogram;

/**
 * Counts captured packets by the seed's rules (SPEC §4): UDP datagrams once (unfragmented or first fragment),
 * TCP segments with exactly PSH+ACK, ICMP echo requests (ICMPv6 type 128); never a packet to or from port 22.
 * A packet carrying a Fleetgen signature whose sequence was already seen (the "any" interface shows a packet
 * twice) counts as a duplicate, not again; a sequence below the highest seen counts as out of order. With
 * {@code chksum}, a packet whose checksums fail counts as Corrupted instead of Received. A received packet
 * with a signature adds a one-way latency sample: its capture time minus the signature's transmit time (both
 * wall-clock; meaningful across hosts whose clocks are synchronised, exact within one machine), and the
 * interarrival jitter of those transit times as RFC 3550 computes it (kept scaled by 16, in integers). Each
 * sample also goes into an HdrHistogram (1 us to 1 h, 2 significant digits: recording writes one counter, no
 * allocation) whose p50/p90/p99/p99.9 are computed at most every {@value #PERCENTILE_NANOS} ns, when published.
 */
final class SeedCounter implements CountingListener {
    private static final int SSH = 22;
    private static final int WINDOW = 1 << 16;
    private static final long HIGHEST_NANOS = 3_600_000_000_000L;
    static final long PERCENTILE_NANOS = 100_000_000L;

    private final PacketView v;
    private final boolean verify;
    private final CounterCell cell;
    private final long[] seen = new long[WINDOW / 64];
    private long recv;
    private long bytes;
    private long corrupt;
    private long dups;
    private long ooo;
    private long maxSeq = -1;
    private long streamId = -1;
    /** The current packet's signature transmit time, or -1. */
    private long txNanos;
    private long latencySamples;
    private long latencySum;
    private long latencyMin;
    private long latencyMax;
    private long lastTransit;
    private long jitter16;
    /** Latency samples in ns; values above an hour are recorded as an hour. */
    private final Histogram latency = new Histogram(1_000, HIGHEST_NANOS, 2);
    private long percentilesAt;
    private long p50;
    private long p90;
    private long p99;
    private long p999;

    SeedCounter(int dlt, boolean verify, CounterCell cell) {
        this(new PacketView(dlt), verify, cell);
    }

    /** Counting packets that {@code view} holds parsed (several streams' counters share one parse). */
    SeedCounter(PacketView view, boolean verify, CounterCell cell) {
        this.v = view;
        this.verify = verify;
        this.cell = cell;
    }

    @Override
    public long counted() {
        return recv + corrupt;
    }

    @Override
    public void publish() {
        cell.publishRx(recv, bytes, corrupt, dups, ooo);
        long now = System.nanoTime();
        if (latencySamples > 0 && now - percentilesAt >= PERCENTILE_NANOS) {
            percentilesAt = now;
            p50 = latency.getValueAtPercentile(50);
            p90 = latency.getValueAtPercentile(90);
            p99 = latency.getValueAtPercentile(99);
            p999 = latency.getValueAtPercentile(99.9);
        }
        cell.publishLatency(latencySamples, latencySum, latencyMin, latencyMax, jitter16 >> 4, p50, p90, p99, p999);
    }

    /** Publishes with fresh percentiles whatever the time (the run's last publish). */
    @Override
    public void publishFinal() {
        percentilesAt = System.nanoTime() - PERCENTILE_NANOS;
        publish();
    }

    @Override
    public void gotPacket(byte[] frame, int len, int wireLen, long tsNanos) {
        if (v.parse(frame, len, wireLen)) {
            gotParsed(tsNanos);
        }
    }

    /** Counts the packet the view holds, already parsed. */
    void gotParsed(long tsNanos) {
        if (!counts()) {
            return;
        }
        if (isDuplicate()) {
            dups++;
            return;
        }
        if (verify && !v.checksumsValid()) {
            corrupt++;
        } else {
            recv++;
            bytes += v.wireLen;
            if (txNanos > 0 && tsNanos >= txNanos) {
                long l = tsNanos - txNanos;
                if (latencySamples > 0) {
                    long d = Math.abs(l - lastTransit);
                    jitter16 += d - ((jitter16 + 8) >> 4);
                }
                lastTransit = l;
                latencyMin = latencySamples == 0 ? l : Math.min(latencyMin, l);
                latencyMax = Math.max(latencyMax, l);
                latencySum += l;
                latencySamples++;
                latency.recordValue(Math.min(l, HIGHEST_NANOS));
            }
        }
    }

    private boolean counts() {
        switch (v.proto) {
            case L4Proto.Number.UDP:
                return v.firstFragment && notSsh();
            case L4Proto.Number.TCP:
                return v.firstFragment && (v.u8(v.l4 + 13) == 0x18) && (v.u8(v.l4 + 12) & 0x01) == 0 && notSsh();
            case L4Proto.Number.ICMP:
                return v.ipVersion == 4 && v.firstFragment && v.u8(v.l4) == 8;
            case L4Proto.Number.ICMPV6:
                return v.ipVersion == 6 && v.u8(v.l4) == 128;
            default:
                return false;
        }
    }

    private boolean notSsh() {
        return v.u16(v.l4) != SSH && v.u16(v.l4 + 2) != SSH;
    }

    private boolean isDuplicate() {
        txNanos = -1;
        int payload = payloadOffset();
        if (payload < 0 || payload + FrameLayout.SIGNATURE_BYTES > v.len
                || (int) Checksums.u32(v.b, payload) != FrameLayout.SIGNATURE_MAGIC) {
            return false;
        }
        txNanos = Checksums.u64(v.b, payload + 16);
        long id = Checksums.u32(v.b, payload + 4);
        if (streamId < 0) {
            streamId = id;
        }
        long seq = Checksums.u64(v.b, payload + 8);
        if (seq < 0 || id != streamId) {
            // Duplicates are told apart within the first stream the receiver sees; others are counted as is.
            return false;
        }
        if (seq < maxSeq - WINDOW + 1) {
            // Older than the window: cannot tell, so count it (out of order).
            ooo++;
            return false;
        }
        if (seq > maxSeq) {
            for (long s = Math.max(maxSeq + 1, seq - WINDOW + 1); s < seq; s++) {
                clear(s);
            }
            maxSeq = seq;
        } else if (isSet(seq)) {
            return true;
        } else {
            ooo++;
        }
        set(seq);
        return false;
    }

    private int payloadOffset() {
        return payloadOffset(v);
    }

    /** The stream id in the parsed packet's signature, or -1 when it carries none. */
    static long signatureId(PacketView v) {
        int payload = payloadOffset(v);
        if (payload < 0 || payload + FrameLayout.SIGNATURE_BYTES > v.len
                || (int) Checksums.u32(v.b, payload) != FrameLayout.SIGNATURE_MAGIC) {
            return -1;
        }
        return Checksums.u32(v.b, payload + 4);
    }

    private static int payloadOffset(PacketView v) {
        switch (v.proto) {
            case L4Proto.Number.UDP:
                return v.l4 + 8;
            case L4Proto.Number.TCP:
                return v.l4 + ((v.u8(v.l4 + 12) >> 4) * 4);
            case L4Proto.Number.ICMP:
            case L4Proto.Number.ICMPV6:
                return v.l4 + 8;
            default:
                return -1;
        }
    }

    private boolean isSet(long seq) {
        int bit = (int) (seq & (WINDOW - 1));
        return (seen[bit >>> 6] & (1L << (bit & 63))) != 0;
    }

    private void set(long seq) {
        int bit = (int) (seq & (WINDOW - 1));
        seen[bit >>> 6] |= 1L << (bit & 63);
    }

    private void clear(long seq) {
        int bit = (int) (seq & (WINDOW - 1));
        seen[bit >>> 6] &= ~(1L << (bit & 63));
    }
}
