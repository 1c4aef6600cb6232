package io.fleetgen.agent.impl.tx;

import static io.fleetgen.agent.frame.TcpFlags.ACK;
import static io.fleetgen.agent.frame.TcpFlags.PSH;
import static io.fleetgen.agent.frame.TcpFlags.RST;
import static io.fleetgen.agent.frame.TcpFlags.SYN;

import io.fleetgen.agent.frame.FrameTemplate;
import io.fleetgen.agent.impl.rx.TcpPeer;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A real TCP session from crafted frames (SPEC §4): SYN, the peer's SYN+ACK (seen by {@link TcpPeer} on the
 * capture thread), ACK, then one PSH+ACK data segment per packet within the peer's advertised window, and a
 * RST at the end. The kernel's own RST for this flow is suppressed by the run's firewall rule. Owned by the
 * one transmit thread of the run.
 */
public final class TcpSession {
    private static final int SYN_TRIES = 5;
    /**
     * How long the first SYN waits for an answer; each retransmission waits twice as long as the one before, as a
     * TCP stack backs off (0.25 + 0.5 + 1 + 2 + 4 s): a receiver whose host is busy for a second (a loaded machine,
     * a collection) still answers in time, and a missing receiver is reported after 7.75 s.
     */
    static final long SYN_FIRST_WAIT_NANOS = 250_000_000L;
    private static final long ACK_GRACE_NANOS = 1_000_000_000L;

    private final FrameTemplate control;
    private final TcpPeer peer;
    private final int segmentBytes;
    private final long isn;
    private final long synFirstWaitNanos;
    private long nxt;
    private long ack;
    private String error;

    /**
     * @param control a template of the same stream with no payload, for SYN, ACK and RST
     * @param isn our initial sequence number
     */
    public TcpSession(FrameTemplate control, TcpPeer peer, int segmentBytes, long isn) {
        this(control, peer, segmentBytes, isn, SYN_FIRST_WAIT_NANOS);
    }

    /** With the first SYN's wait in nanoseconds (tests; the retransmissions double it). */
    TcpSession(FrameTemplate control, TcpPeer peer, int segmentBytes, long isn, long synFirstWaitNanos) {
        this.synFirstWaitNanos = synFirstWaitNanos;
        this.control = control;
        this.peer = peer;
        this.segmentBytes = segmentBytes;
        this.isn = isn & 0xFFFF_FFFFL;
        this.nxt = this.isn + 1;
        peer.expectDataFrom(nxt);
    }

    /** Why the session failed, or {@code null}. */
    String error() {
        return error;
    }

    /** The three-way handshake; false (with {@link #error()}) when the peer does not answer. */
    boolean open(FrameSink sink, BooleanSupplier stopping) {
        for (int i = 0; i < SYN_TRIES && !stopping.getAsBoolean(); i++) {
            control.setTcp(isn, 0, SYN);
            if (!send(sink)) {
                return false;
            }
            long until = System.nanoTime() + (synFirstWaitNanos << i);
            while (peer.peerIsn() < 0 && System.nanoTime() < until && !stopping.getAsBoolean()) {
                LockSupport.parkNanos(100_000);
            }
            if (peer.peerIsn() >= 0) {
                ack = (peer.peerIsn() + 1) & 0xFFFF_FFFFL;
                control.setTcp(nxt, ack, ACK);
                return send(sink);
            }
        }
        error = "tcp: no SYN+ACK from the peer after " + SYN_TRIES + " SYNs in "
                + (synFirstWaitNanos * ((1L << SYN_TRIES) - 1) / 1_000_000) + " ms (is a receiver listening?)";
        return false;
    }

    /** Waits until one more segment fits the peer's window; false on stop, deadline or reset. */
    boolean awaitWindow(BooleanSupplier stopping, long deadlineNanos) {
        for (;;) {
            if (peer.reset()) {
                error = "tcp: the peer reset the session";
                return false;
            }
            long inFlight = (nxt - isn - 1) - peer.ackedBytes();
            if (inFlight + segmentBytes <= Math.max(peer.window(), segmentBytes)) {
                return true;
            }
            if (stopping.getAsBoolean() || System.nanoTime() > deadlineNanos) {
                return false;
            }
            Thread.onSpinWait();
        }
    }

    /** Writes this segment's sequence and acknowledgement into the data frame. */
    void patch(FrameTemplate data) {
        data.setTcp(nxt, ack, PSH | ACK);
    }

    /** The segment left: the next one follows it. */
    void advance() {
        nxt += segmentBytes;
    }

    /** Waits briefly for the last acknowledgements, then resets the session. */
    void close(FrameSink sink) {
        long until = System.nanoTime() + ACK_GRACE_NANOS;
        while (peer.ackedBytes() < nxt - isn - 1 && System.nanoTime() < until && !peer.reset()) {
            LockSupport.parkNanos(1_000_000);
        }
        control.setTcp(nxt, ack, RST | ACK);
        send(sink);
    }

    private boolean send(FrameSink sink) {
        sink.add(control.frame(), control.length());
        if (sink.flush() == 1) {
            return true;
        }
        error = "tcp: cannot send a control segment";
        return false;
    }
}
