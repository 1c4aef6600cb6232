package io.fleetgen.codec.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event bus's framing followed over reads split anywhere; a length out of bounds closes the connection. */
class BusFrameGuardTest {
    private static final int MAX = 1000;

    @Test
    void messagesWithinTheBoundPassUnchangedHoweverTheReadsSplitThem() {
        byte[] stream = concat(frame(1), frame(MAX), frame(17), frame(MAX - 1));
        for (int cut : new int[] {1, 2, 3, 5, 7, 999, 1004, 1500, stream.length}) {
            EmbeddedChannel ch = new EmbeddedChannel(guard());
            for (int off = 0; off < stream.length; off += cut) {
                ch.writeInbound(Unpooled.wrappedBuffer(stream, off, Math.min(cut, stream.length - off)));
            }
            assertArrayEquals(stream, drain(ch), "reads of " + cut + " bytes");
            assertTrue(ch.isOpen(), "reads of " + cut + " bytes: still open");
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void aLengthAboveTheBoundZeroOrNegativeClosesTheConnectionBeforeItsBytesArePassedOn() {
        for (int length : new int[] {MAX + 1, Integer.MAX_VALUE, 0, -1, Integer.MIN_VALUE}) {
            long before = BusFrameGuard.refused();
            EmbeddedChannel ch = new EmbeddedChannel(guard());
            ByteBuf ok = Unpooled.wrappedBuffer(frame(10));
            ch.writeInbound(ok);
            ByteBuf bad = Unpooled.buffer().writeInt(length).writeZero(64);
            ByteBuf after = Unpooled.buffer().writeZero(64);
            ch.writeInbound(bad, after);
            assertArrayEquals(frame(10), drain(ch), "length " + length + ": only the message before it passed");
            assertFalse(ch.isOpen(), "length " + length + ": closed");
            assertEquals(0, bad.refCnt(), "length " + length + ": its read released");
            assertEquals(0, after.refCnt(), "length " + length + ": the reads after it released");
            assertEquals(before + 1, BusFrameGuard.refused());
        }
    }

    @Test
    void messagesCollectedOverSeveralReadsDrawOnTheNodesBudgetPerPeerAddress() {
        PacketBudget budget = BusFrameGuard.budget(MAX);
        List<EmbeddedChannel> open = new java.util.ArrayList<>();
        for (int i = 0; i < PacketBudget.PACKETS_PER_PEER; i++) {
            EmbeddedChannel ch = new EmbeddedChannel(new BusFrameGuard(budget, true));
            ch.writeInbound(Unpooled.buffer().writeInt(MAX).writeZero(10));
            assertTrue(ch.isOpen(), "message " + i + " of this peer being collected");
            open.add(ch);
        }
        assertEquals(2L * MAX, budget.inFlight());
        EmbeddedChannel third = new EmbeddedChannel(new BusFrameGuard(budget, true));
        third.writeInbound(Unpooled.buffer().writeInt(MAX).writeZero(10));
        assertFalse(third.isOpen(), "a third from the same address while two are collected: closed");
        EmbeddedChannel whole = new EmbeddedChannel(new BusFrameGuard(budget, true));
        whole.writeInbound(Unpooled.wrappedBuffer(frame(MAX)));
        assertTrue(whole.isOpen(), "a message read whole in one read holds nothing");
        open.get(0).writeInbound(Unpooled.buffer().writeZero(MAX - 10));
        assertEquals(MAX, budget.inFlight(), "a message collected gives its share back");
        open.get(1).close();
        assertEquals(0, budget.inFlight(), "so does a connection closed half way through one");
        EmbeddedChannel next = new EmbeddedChannel(new BusFrameGuard(budget, true));
        next.writeInbound(Unpooled.buffer().writeInt(MAX).writeZero(10));
        assertTrue(next.isOpen(), "and the next one may be collected");
        for (EmbeddedChannel ch : List.of(open.get(0), third, whole, next)) {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void behindTlsItMovesAfterTheTlsHandlerAtTheFirstRead() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addFirst(BusTransport.GUARD, new BusFrameGuard(BusFrameGuard.budget(MAX), false));
        ch.pipeline().addLast(BusTransport.VERTX_SSL, new ChannelInboundHandlerAdapter());
        ch.writeInbound(Unpooled.wrappedBuffer(frame(5)));
        List<String> names = ch.pipeline().names();
        assertTrue(names.indexOf(BusTransport.VERTX_SSL) < names.indexOf(BusTransport.GUARD), names.toString());
        assertArrayEquals(frame(5), drain(ch), "the first read passed on through it");
        ch.writeInbound(Unpooled.buffer().writeInt(MAX + 1));
        assertFalse(ch.isOpen(), "and it guards from there");
        assertNull(ch.readInbound());
    }

    /** A guard of one connection, with a budget of its own, already placed (no TLS). */
    private static BusFrameGuard guard() {
        return new BusFrameGuard(BusFrameGuard.budget(MAX), true);
    }

    private static byte[] frame(int bodyBytes) {
        ByteBuffer b = ByteBuffer.allocate(4 + bodyBytes).putInt(bodyBytes);
        for (int i = 0; i < bodyBytes; i++) {
            b.put((byte) (i * 31 + bodyBytes));
        }
        return b.array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] drain(EmbeddedChannel ch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf b = ch.readInbound(); b != null; b = ch.readInbound()) {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }
}
