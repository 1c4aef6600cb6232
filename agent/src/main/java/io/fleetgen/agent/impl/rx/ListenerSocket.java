package io.fleetgen.agent.impl.rx;

import io.fleetgen.codec.L4Proto;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The receiver's real socket at {@code listener:dport} (SPEC §4), so the kernel neither answers "port
 * unreachable" nor resets a TCP handshake. A UDP socket is bound and never read: once its small buffer is full
 * the kernel drops further datagrams at the socket, after the capture has counted them (reading each datagram
 * would wake a thread per packet, and on veth that wake-up is paid on the sender's core). A TCP listener
 * accepts, and each connection is read and discarded by a daemon thread so that its window stays open; anyone on
 * the data network can connect, so at most {@code maxConnections} are held (more are closed at once) and all
 * are closed with the listener (issue 11).
 */
public final class ListenerSocket implements Closeable {
    private static final int UDP_RCVBUF = 64 << 10;
    private static final int DRAIN_BYTES = 16 << 10;

    private final Closeable channel;
    private final Thread reader;
    private final Set<SocketChannel> peers = ConcurrentHashMap.newKeySet();
    private final int maxConnections;

    private ListenerSocket(Closeable channel, String name, int maxConnections) {
        this.channel = channel;
        this.maxConnections = maxConnections;
        if (!(channel instanceof ServerSocketChannel)) {
            this.reader = null;
            return;
        }
        this.reader = new Thread(() -> accept((ServerSocketChannel) channel, name), name);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Opens the socket (blocking). */
    public static ListenerSocket open(L4Proto proto, byte[] address, int port, String runName, int maxConnections)
            throws IOException {
        InetSocketAddress at = new InetSocketAddress(InetAddress.getByAddress(address), port);
        String name = "fleetgen-listen-" + runName;
        if (proto == L4Proto.UDP) {
            DatagramChannel ch = DatagramChannel.open().setOption(StandardSocketOptions.SO_REUSEADDR, true).bind(at);
            ch.setOption(StandardSocketOptions.SO_RCVBUF, UDP_RCVBUF);
            return new ListenerSocket(ch, name, maxConnections);
        }
        ServerSocketChannel ch = ServerSocketChannel.open().setOption(StandardSocketOptions.SO_REUSEADDR, true)
                .bind(at, 64);
        return new ListenerSocket(ch, name, maxConnections);
    }

    private void accept(ServerSocketChannel ch, String name) {
        try {
            while (ch.isOpen()) {
                SocketChannel peer = ch.accept();
                if (peers.size() >= maxConnections) {
                    peer.close();
                    continue;
                }
                peers.add(peer);
                Thread t = new Thread(() -> drainStream(peer), name + "-peer");
                t.setDaemon(true);
                t.start();
            }
        } catch (IOException ignored) {
            // Closed at stop.
        }
    }

    private void drainStream(SocketChannel peer) {
        ByteBuffer buf = ByteBuffer.allocate(DRAIN_BYTES);
        try (peer) {
            while (peer.read(buf) >= 0) {
                buf.clear();
            }
        } catch (IOException ignored) {
            // The peer reset or the run stopped.
        } finally {
            peers.remove(peer);
        }
    }


    @Override
    public void close() throws IOException {
        channel.close();
        if (reader != null) {
            reader.interrupt();
        }
        for (SocketChannel p : peers) {
            p.close();
        }
    }
}
