package io.fleetgen.codec.cluster;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.internal.SocketUtils;
import io.vertx.core.impl.transports.NioTransport;
import io.vertx.core.impl.transports.TransportInternal;
import io.vertx.core.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * Vert.x's NIO transport with a {@link BusFrameGuard} in every inbound connection of the event bus's server, and a
 * {@link ConnectionLimit} on how many it holds open (one beyond it is closed as it is accepted). Vert.x
 * offers no hook into the bus's connections; its transport makes the channels, so a node built with this one gets
 * server channels whose accepted connections start with the guard in their pipeline (which moves behind TLS when the
 * bus runs it, so that it reads messages, not records). Which server is the bus: the one listening on
 * {@link #busPort(int)} once the node knows it; until then (while the node starts, when the bus is the only server)
 * every one.
 */
final class BusTransport extends NioTransport {
    /** Vert.x's name for the TLS handler of a server connection. */
    static final String VERTX_SSL = "ssl";
    static final String GUARD = "fleetgen-bus-frame-guard";
    /** Connections taken from the backlog in one go while they are refused, before the acceptor looks again. */
    private static final int REFUSALS_PER_READ = 64;
    private final PacketBudget budget;
    private final ConnectionLimit limit;
    private volatile int busPort = -1;

    /** A transport whose bus connections admit messages of at most {@code maxFrameBytes}, as many as {@code limit}. */
    BusTransport(int maxFrameBytes, ConnectionLimit limit) {
        this.budget = BusFrameGuard.budget(maxFrameBytes);
        this.limit = limit;
    }

    /** This transport as Vert.x's builder takes it. */
    Transport asVertxTransport() {
        return new TransportInternal("nio", true, null, this);
    }

    /** The port the event bus listens on: only its connections are guarded from now on. */
    void busPort(int port) {
        busPort = port;
    }

    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
        return domainSocket ? super.serverChannelFactory(true) : GuardedServerChannel::new;
    }

    private boolean guards(SocketAddress local) {
        int port = busPort;
        return port < 0 || local instanceof InetSocketAddress a && a.getPort() == port;
    }

    /**
     * Netty's NIO server channel, accepting into {@link GuardedConnection}s (as Netty's own accept does); a bus
     * connection beyond the limit is closed before Netty sees it.
     */
    private final class GuardedServerChannel extends NioServerSocketChannel {
        @Override
        protected int doReadMessages(List<Object> buf) throws Exception {
            for (int i = 0; i < REFUSALS_PER_READ; i++) {
                SocketChannel ch = SocketUtils.accept(javaChannel());
                if (ch == null) {
                    return 0;
                }
                SocketAddress peer = null;
                try {
                    if (guards(ch.getLocalAddress())) {
                        peer = ch.getRemoteAddress();
                        if (!limit.admit(peer)) {
                            ch.close();
                            continue;
                        }
                    }
                    buf.add(new GuardedConnection(this, ch, peer));
                    return 1;
                } catch (IOException | RuntimeException e) {
                    if (peer != null) {
                        limit.release(peer);
                    }
                    ch.close();
                    return 0;
                }
            }
            return 0;
        }
    }

    /** A bus connection from {@code peer} (admitted by the limit; {@code null}: another server's, not guarded). */
    private final class GuardedConnection extends NioSocketChannel {
        GuardedConnection(Channel parent, SocketChannel socket, SocketAddress peer) {
            super(parent, socket);
            if (peer != null) {
                closeFuture().addListener(f -> limit.release(peer));
                pipeline().addFirst(GUARD, new BusFrameGuard(budget, false));
            }
        }
    }
}
