package io.fleetgen.agent.impl.rx;

import static io.fleetgen.agent.frame.TcpFlags.ACK;
import static io.fleetgen.agent.frame.TcpFlags.RST;
import static io.fleetgen.agent.frame.TcpFlags.SYN;

import io.fleetgen.agent.impl.count.CounterCell;
import io.fleetgen.codec.L4Proto;

/**
 * The receiving side of a sender's TCP session ({@code tx.TcpSession}): learns the peer's initial sequence number
 * and window from its SYN+ACK, then follows its cumulative acknowledgements. Written by the capture thread only;
 * the transmit thread reads the volatile state. The sender's {@code recv} is the number of data segments the peer has
 * acknowledged.
 */
public final class TcpPeer implements CountingListener {
    private final PacketView v;
    private final CounterCell cell;
    private final int segmentBytes;
    private volatile long peerIsn = -1;
    private volatile int window;
    private volatile long ackedBytes;
    private volatile boolean reset;
    private long lastAck = -1;
    private long firstDataSeq = -1;

    /**
     * @param segmentBytes payload bytes per data segment
     */
    public TcpPeer(int dlt, CounterCell cell, int segmentBytes) {
        this.v = new PacketView(dlt);
        this.cell = cell;
        this.segmentBytes = segmentBytes;
    }

    /** Sets the first data byte's sequence number (our ISN + 1); before the SYN leaves. */
    public void expectDataFrom(long seq) {
        firstDataSeq = seq & 0xFFFF_FFFFL;
        lastAck = firstDataSeq;
    }

    /** The peer's ISN once its SYN+ACK arrived, else -1. */
    public long peerIsn() {
        return peerIsn;
    }

    /** The peer's last advertised window, bytes. */
    public int window() {
        return window;
    }

    /** Bytes of data the peer has acknowledged. */
    public long ackedBytes() {
        return ackedBytes;
    }

    /** Whether the peer reset the session. */
    public boolean reset() {
        return reset;
    }

    @Override
    public void gotPacket(byte[] frame, int len, int wireLen, long tsNanos) {
        if (!v.parse(frame, len, wireLen) || v.proto != L4Proto.Number.TCP) {
            return;
        }
        int flags = v.u8(v.l4 + 13);
        if ((flags & RST) != 0) {
            reset = true;
            return;
        }
        if ((flags & ACK) == 0) {
            return;
        }
        window = v.u16(v.l4 + 14);
        long ack = v.u32(v.l4 + 8);
        if ((flags & SYN) != 0) {
            peerIsn = v.u32(v.l4 + 4);
        }
        if (lastAck < 0) {
            return;
        }
        long delta = (ack - lastAck) & 0xFFFF_FFFFL;
        if (delta > 0 && delta < 0x8000_0000L) {
            lastAck = ack;
            ackedBytes += delta;
        }
    }

    @Override
    public long counted() {
        return segmentBytes == 0 ? 0 : ackedBytes / segmentBytes;
    }

    @Override
    public void publish() {
        cell.publishRx(counted(), ackedBytes, 0, 0, 0);
    }
}
