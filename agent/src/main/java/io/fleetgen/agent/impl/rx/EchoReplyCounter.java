package io.fleetgen.agent.impl.rx;

import io.fleetgen.agent.impl.count.CounterCell;
import io.fleetgen.codec.L4Proto;

/** Counts the echo replies (ICMP type 0, ICMPv6 type 129) that answer a sender's own echo id. */
final class EchoReplyCounter implements CountingListener {
    private final PacketView v;
    private final int echoId;
    private final CounterCell cell;
    private long recv;
    private long bytes;

    EchoReplyCounter(int dlt, int echoId, CounterCell cell) {
        this.v = new PacketView(dlt);
        this.echoId = echoId;
        this.cell = cell;
    }

    @Override
    public void gotPacket(byte[] frame, int len, int wireLen, long tsNanos) {
        if (!v.parse(frame, len, wireLen)) {
            return;
        }
        boolean reply = v.proto == L4Proto.Number.ICMP && v.ipVersion == 4 && v.u8(v.l4) == 0
                || v.proto == L4Proto.Number.ICMPV6 && v.ipVersion == 6 && v.u8(v.l4) == 129;
        if (reply && v.u16(v.l4 + 4) == echoId) {
            recv++;
            bytes += v.wireLen;
        }
    }

    @Override
    public void publish() {
        cell.publishRx(recv, bytes, 0, 0, 0);
    }

    @Override
    public long counted() {
        return recv;
    }
}
