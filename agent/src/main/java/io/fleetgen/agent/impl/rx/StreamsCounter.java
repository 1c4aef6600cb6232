package io.fleetgen.agent.impl.rx;

import io.fleetgen.agent.impl.count.CounterCell;

/**
 * Counts a run of several streams (issue 14): each packet goes to the counter of its stream, told by the stream id
 * in its signature (the run's tag in the high bits, the stream's index in the low four), so that every stream has
 * its own received, duplicates, order and latency; a packet of no stream of the run (no signature, another tag) is
 * counted apart, as a single-stream receiver would count it. The run's total is the sum of the cells.
 */
final class StreamsCounter implements CountingListener {
    private final PacketView v;
    private final SeedCounter[] streams;
    private final SeedCounter other;
    private long tag = -1;

    StreamsCounter(int dlt, boolean verify, CounterCell[] cells, CounterCell otherCell) {
        this.v = new PacketView(dlt);
        this.streams = new SeedCounter[cells.length];
        for (int i = 0; i < cells.length; i++) {
            streams[i] = new SeedCounter(v, verify, cells[i]);
        }
        this.other = new SeedCounter(v, verify, otherCell);
    }

    @Override
    public void gotPacket(byte[] frame, int len, int wireLen, long tsNanos) {
        if (!v.parse(frame, len, wireLen)) {
            return;
        }
        // One parse per packet: the stream's counter counts from the view parsed here.
        long id = SeedCounter.signatureId(v);
        if (id >= 0 && tag < 0) {
            tag = id & ~0xFL;
        }
        int index = (int) (id & 0xF);
        (id >= 0 && (id & ~0xFL) == tag && index < streams.length ? streams[index] : other).gotParsed(tsNanos);
    }

    @Override
    public long counted() {
        long n = other.counted();
        for (SeedCounter s : streams) {
            n += s.counted();
        }
        return n;
    }

    @Override
    public void publish() {
        for (SeedCounter s : streams) {
            s.publish();
        }
        other.publish();
    }

    @Override
    public void publishFinal() {
        for (SeedCounter s : streams) {
            s.publishFinal();
        }
        other.publishFinal();
    }
}
