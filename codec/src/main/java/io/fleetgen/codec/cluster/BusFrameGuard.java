package io.fleetgen.codec.cluster;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Bounds what a connection to this node's event bus may announce. Vert.x's clustered bus reads each message as a
 * 4-byte length and then that many bytes, which it collects whole before anything looks at them: without TLS,
 * anyone who reached the bus port could make a node collect hundreds of MiB for one message (in the lab 93 MiB sent
 * to an agent left its event loop failing with OutOfMemoryError). This handler sits in front of Vert.x's on every
 * inbound bus connection ({@link BusTransport}; behind TLS when the bus runs it), follows the same framing without
 * copying anything, and closes the connection as soon as a length is not between 1 and {@code maxFrameBytes}, or
 * the messages being collected would exceed the node's budget for them (per peer address and in all, as the member
 * protocol's {@link PacketBudget}), before the bytes are collected.
 */
final class BusFrameGuard extends ChannelInboundHandlerAdapter implements PacketBudget.Reader {
    private static final Logger LOG = Logger.getLogger(BusFrameGuard.class.getName());
    private static final LogThrottle LOGS = new LogThrottle();
    private static final AtomicLong REFUSED = new AtomicLong();
    /** Largest messages being collected from all peers at once (a control fetching recordings takes 1 MiB pieces). */
    static final int MESSAGES_IN_FLIGHT = 16;

    private final PacketBudget budget;
    private Channel channel;
    /** Bytes of the current message's body still to come; 0 while its length is read. */
    private long remaining;
    private int length;
    private int lengthBytes;
    private boolean refusing;
    /** False while it may still have to move behind TLS (until the connection's first read). */
    private boolean placed;

    /** A guard of one connection, drawing on the node's {@code budget} for the messages being collected. */
    BusFrameGuard(PacketBudget budget, boolean placed) {
        this.budget = budget;
        this.placed = placed;
    }

    /**
     * The budget of a node's bus connections: a message of at most {@code maxFrameBytes} each, two being collected
     * from one peer address at once, {@value #MESSAGES_IN_FLIGHT} from all peers together.
     */
    static PacketBudget budget(int maxFrameBytes) {
        return new PacketBudget(maxFrameBytes, MESSAGES_IN_FLIGHT, "an event-bus message", "the bus's message limit");
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        budget.release(this);
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!placed) {
            placed = true;
            if (ctx.pipeline().get(BusTransport.VERTX_SSL) != null) {
                // First in the pipeline, ahead of TLS: from now on it reads what TLS decrypts.
                ctx.pipeline().remove(this);
                ctx.pipeline().addAfter(BusTransport.VERTX_SSL, BusTransport.GUARD, new BusFrameGuard(budget, true));
                ctx.pipeline().fireChannelRead(msg);
                return;
            }
        }
        if (msg instanceof ByteBuf buf && !refusing) {
            String refused = admit(buf);
            if (refused != null) {
                refusing = true;
                refuse(ctx, refused);
            }
        }
        if (refusing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** Follows the framing over {@code buf} (not consumed); why not, at the first message it may not collect. */
    String admit(ByteBuf buf) {
        int i = buf.readerIndex();
        int end = buf.writerIndex();
        while (i < end) {
            if (remaining > 0) {
                int skip = (int) Math.min(remaining, end - i);
                i += skip;
                remaining -= skip;
                if (remaining == 0) {
                    budget.release(this);
                }
                continue;
            }
            length = (length << 8) | (buf.getByte(i++) & 0xff);
            if (++lengthBytes == Integer.BYTES) {
                if (length < 1 || length > budget.maxPacket()) {
                    return "announced a message of " + length + " bytes (expected 1 to " + budget.maxPacket() + ")";
                }
                if (end - i < length) {
                    // Collected over later reads: held meanwhile, so it draws on the budget.
                    try {
                        budget.reserve(this, length);
                    } catch (IOException e) {
                        return e.getMessage();
                    }
                    remaining = length;
                } else {
                    i += length;
                }
                length = 0;
                lengthBytes = 0;
            }
        }
        return null;
    }

    private void refuse(ChannelHandlerContext ctx, String why) {
        budget.release(this);
        long refused = REFUSED.incrementAndGet();
        if (LOGS.due()) {
            LOG.warning("event bus: a connection from " + ctx.channel().remoteAddress() + " " + why + ": closed; "
                    + refused + " such connections closed since the start");
        }
        ctx.close();
    }

    @Override
    public boolean alive() {
        return channel != null && channel.isActive();
    }

    @Override
    public String peer() {
        return String.valueOf(channel == null ? null : channel.remoteAddress());
    }

    @Override
    public InetAddress peerAddress() {
        return channel != null && channel.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress() : InetAddress.getLoopbackAddress();
    }

    /** Connections closed, for a length out of bounds or a budget spent, since this JVM started. */
    static long refused() {
        return REFUSED.get();
    }
}
