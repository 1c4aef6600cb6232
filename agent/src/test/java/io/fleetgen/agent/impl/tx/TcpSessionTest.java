package io.fleetgen.agent.impl.tx;

import static io.fleetgen.agent.frame.TcpFlags.ACK;
import static io.fleetgen.agent.frame.TcpFlags.PSH;
import static io.fleetgen.agent.frame.TcpFlags.RST;
import static io.fleetgen.agent.frame.TcpFlags.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.agent.frame.Checksums;
import io.fleetgen.agent.frame.FrameBuilder;
import io.fleetgen.agent.frame.FrameTemplate;
import io.fleetgen.agent.impl.count.CounterCell;
import io.fleetgen.agent.impl.rx.TcpPeer;
import io.fleetgen.codec.StreamSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The TCP session's state machine without a network: our segments go to a sink that plays the peer, whose
 * segments reach {@link TcpPeer} as the capture thread would hand them over. Handshake, the window bound, the
 * acknowledgements, a reset from the peer, no answer at all, and the RST that ends a session.
 */
class TcpSessionTest {
    private static final byte[] MAC = {2, 0, 0, 0, 0, 1};
    private static final int DLT_EN10MB = 1;
    private static final int SEGMENT = 100;
    private static final long ISN = 5000;
    private static final long PEER_ISN = 70_000;
    private static final BooleanSupplier GO = () -> false;
    private static final long FAR = Long.MAX_VALUE / 2;

    private static StreamSpec tcp(String src, String dst, int sport, int dport) {
        return StreamSpec.fromSeed(Map.of("proto", "tcp", "src", src, "dst", dst, "sport", String.valueOf(sport),
                "dport", String.valueOf(dport), "window", String.valueOf(3 * SEGMENT)));
    }

    private final StreamSpec ours = tcp("198.18.0.1", "198.18.0.2", 7000, 8000);
    private final FrameTemplate theirs = FrameBuilder.compile(tcp("198.18.0.2", "198.18.0.1", 8000, 7000), MAC, MAC,
            null, new byte[0], false, 0);
    private final CounterCell cell = new CounterCell();
    private final TcpPeer peer = new TcpPeer(DLT_EN10MB, cell, SEGMENT);

    /** Our segments as they left: flags, sequence, acknowledgement, payload length, when (nanoTime). */
    private final class PeerSink implements FrameSink {
        final List<long[]> segments = new ArrayList<>();
        final boolean answers;
        private byte[] queued;

        PeerSink(boolean answers) {
            this.answers = answers;
        }

        @Override
        public void add(byte[] frame, int len) {
            queued = java.util.Arrays.copyOf(frame, len);
        }

        @Override
        public int flush() {
            int l4 = 14 + 20;
            int flags = queued[l4 + 13] & 0xFF;
            long seq = (long) Checksums.u16(queued, l4 + 4) << 16 | Checksums.u16(queued, l4 + 6);
            long ack = (long) Checksums.u16(queued, l4 + 8) << 16 | Checksums.u16(queued, l4 + 10);
            segments.add(new long[] {flags, seq, ack, queued.length - l4 - 20, System.nanoTime()});
            if (answers && flags == SYN) {
                peerSends(PEER_ISN, seq + 1, SYN | ACK);
            }
            return 1;
        }

        @Override
        public long flushedBytes() {
            return queued.length;
        }

        @Override
        public int capacity() {
            return 1;
        }
    }

    private void peerSends(long seq, long ack, int flags) {
        theirs.setTcp(seq, ack, flags);
        peer.gotPacket(theirs.frame(), theirs.length(), theirs.length(), 0);
    }

    private TcpSession session() {
        return session(TcpSession.SYN_FIRST_WAIT_NANOS);
    }

    private TcpSession session(long synFirstWaitNanos) {
        FrameTemplate control = FrameBuilder.compile(ours, MAC, MAC, null, new byte[0], false, 0);
        return new TcpSession(control, peer, SEGMENT, ISN, synFirstWaitNanos);
    }

    /** Sends one data segment as the transmit loop does: wait for the window, patch, send, advance. */
    private static boolean sendData(TcpSession s, FrameSink sink, FrameTemplate data, BooleanSupplier stopping) {
        if (!s.awaitWindow(stopping, FAR)) {
            return false;
        }
        s.patch(data);
        sink.add(data.frame(), data.length());
        sink.flush();
        s.advance();
        return true;
    }

    @Test
    void handshakeWindowAcknowledgementsAndReset() {
        PeerSink sink = new PeerSink(true);
        TcpSession s = session();
        assertTrue(s.open(sink, GO));
        assertEquals(List.of(SYN, (int) ISN, 0), List.of((int) sink.segments.get(0)[0], (int) sink.segments.get(0)[1],
                (int) sink.segments.get(0)[2]));
        long[] ack = sink.segments.get(1);
        assertEquals(ACK, (int) ack[0]);
        assertEquals(ISN + 1, ack[1]);
        assertEquals(PEER_ISN + 1, ack[2]);
        assertEquals(3 * SEGMENT, peer.window());

        FrameTemplate data = FrameBuilder.compile(ours, MAC, MAC, null, new byte[SEGMENT], false, 0);
        for (int i = 0; i < 3; i++) {
            assertTrue(sendData(s, sink, data, GO), "segment " + i + " fits the window");
        }
        int[] polls = {0};
        assertFalse(sendData(s, sink, data, () -> ++polls[0] > 1000), "a fourth segment waits for the window");
        for (int i = 0; i < 3; i++) {
            long[] d = sink.segments.get(2 + i);
            assertEquals(PSH | ACK, (int) d[0]);
            assertEquals(ISN + 1 + (long) i * SEGMENT, d[1], "segment " + i + " sequence");
            assertEquals(SEGMENT, d[3]);
        }

        peerSends(PEER_ISN + 1, ISN + 1 + 2 * SEGMENT, ACK);
        assertEquals(2, peer.counted(), "two segments acknowledged");
        assertTrue(sendData(s, sink, data, GO), "the acknowledgement opened the window");
        peerSends(PEER_ISN + 1, ISN + 1 + 4 * SEGMENT, ACK);
        peerSends(PEER_ISN + 1, ISN + 1 + 3 * SEGMENT, ACK);
        assertEquals(4, peer.counted(), "an old acknowledgement counts nothing");
        peer.publish();
        assertEquals(4, cell.snapshot().recv());

        s.close(sink);
        long[] end = sink.segments.get(sink.segments.size() - 1);
        assertEquals(RST | ACK, (int) end[0]);
        assertEquals(ISN + 1 + 4 * SEGMENT, end[1]);
        assertNull(s.error());
    }

    @Test
    void aResetFromThePeerEndsTheSession() {
        PeerSink sink = new PeerSink(true);
        TcpSession s = session();
        assertTrue(s.open(sink, GO));
        peerSends(PEER_ISN + 1, ISN + 1, RST | ACK);
        FrameTemplate data = FrameBuilder.compile(ours, MAC, MAC, null, new byte[SEGMENT], false, 0);
        assertFalse(sendData(s, sink, data, GO));
        assertEquals("tcp: the peer reset the session", s.error());
    }

    @Test
    void noAnswerIsAnErrorAfterFiveSynsEachWaitingTwiceAsLong() {
        PeerSink sink = new PeerSink(false);
        long firstWait = 20_000_000L;
        TcpSession s = session(firstWait);
        assertFalse(s.open(sink, GO));
        assertEquals(5, sink.segments.size());
        assertTrue(sink.segments.stream().allMatch(g -> g[0] == SYN && g[1] == ISN));
        for (int i = 1; i < 5; i++) {
            long gap = sink.segments.get(i)[4] - sink.segments.get(i - 1)[4];
            assertTrue(gap >= firstWait << (i - 1), "SYN " + (i + 1) + " followed after " + gap + " ns, not "
                    + (firstWait << (i - 1)) + " (backing off)");
        }
        assertEquals("tcp: no SYN+ACK from the peer after 5 SYNs in 620 ms (is a receiver listening?)", s.error());
    }
}
