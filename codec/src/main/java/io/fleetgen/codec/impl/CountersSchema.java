package io.fleetgen.codec.impl;

import io.fleetgen.codec.Counters;
import io.protostuff.Input;
import io.protostuff.Output;
import java.io.IOException;

/**
 * {@link Counters} on the wire: fourteen 64-bit fields numbered in declaration order, then the latency
 * percentiles p50, p90, p99, p99.9 as fields 15-18 (absent from older agents: 0, unknown), then a paced sender's
 * skipped departures as field 19.
 */
final class CountersSchema extends WireSchema<Counters, long[]> {
    static final CountersSchema INSTANCE = new CountersSchema();
    private static final int FIELDS = 19;

    private CountersSchema() {
        super(Counters.class, () -> new long[FIELDS]);
    }

    @Override
    protected void readField(Input in, int n, long[] h) throws IOException {
        if (n < 1 || n > FIELDS) {
            throw unknown(n);
        }
        h[n - 1] = in.readInt64();
    }

    @Override
    protected void write(Output out, Counters c) throws IOException {
        long[] v = {c.sent(), c.sentBytes(), c.sendErrors(), c.recv(), c.recvBytes(), c.corrupt(), c.drops(),
            c.duplicates(), c.outOfOrder(), c.latencySamples(), c.latencySumNanos(), c.latencyMinNanos(),
            c.latencyMaxNanos(), c.jitterNanos(), c.latencyP50Nanos(), c.latencyP90Nanos(), c.latencyP99Nanos(),
            c.latencyP999Nanos(), c.skipped()};
        for (int i = 0; i < FIELDS; i++) {
            if (v[i] != 0) {
                out.writeInt64(i + 1, v[i], false);
            }
        }
    }

    @Override
    protected Counters finish(long[] h) {
        return new Counters(h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10], h[11], h[12], h[13])
                .withLatencyPercentiles(h[14], h[15], h[16], h[17]).withSkipped(h[18]);
    }
}
