package io.fleetgen.agent.impl.tx;

import io.fleetgen.agent.impl.sys.NativePcap;
import io.fleetgen.agent.impl.sys.PacketSocket;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;

/**
 * Sending channels kept open between runs, per interface: a pcap handle and, where the native calls load, the
 * {@link BatchSender} on its socket (with the qdisc bypass set once). Opening a packet socket with its ring, and
 * above all closing one (the kernel waits for an RCU grace period), costs tens of milliseconds: a start/stop
 * cycle paid it twice; and a batch sender's direct buffer is only freed by a garbage collection, which an agent
 * that allocates almost nothing seldom runs. A channel belongs to one transmit thread between {@link #borrow}
 * and {@link #giveBack}. Thread-safe.
 */
public final class TxHandlePool {
    /**
     * A sending handle, its batch sender ({@code null} when the native calls are not available) and, made when a
     * kernel-timed loop first asks, its io_uring sender ({@link #timed()}).
     */
    public static final class Channel {
        private final PcapHandle handle;
        private final BatchSender batch;
        private RingSender ring;
        private boolean ringRefused;

        Channel(PcapHandle handle, BatchSender batch) {
            this.handle = handle;
            this.batch = batch;
        }

        public PcapHandle handle() {
            return handle;
        }

        public BatchSender batch() {
            return batch;
        }

        /**
         * The channel's kernel-timed sender on its socket, or {@code null} where the kernel offers no io_uring (said
         * once in the log; the loop then paces itself). Called by the channel's transmit thread.
         */
        public TimedSink timed() {
            if (ring == null && !ringRefused && batch != null) {
                try {
                    ring = new RingSender(batch.fd(), batch.slotBytes());
                } catch (java.io.IOException e) {
                    ringRefused = true;
                    if (RING_REFUSAL_LOGGED.compareAndSet(false, true)) {
                        LOG.warning("pacing: " + e.getMessage() + "; paced threads pace themselves");
                    }
                }
            }
            return ring;
        }

        void close() {
            handle.close();
            if (ring != null) {
                ring.close();
                ring = null;
            }
        }
    }

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(
            TxHandlePool.class.getName());
    private static final java.util.concurrent.atomic.AtomicBoolean RING_REFUSAL_LOGGED =
            new java.util.concurrent.atomic.AtomicBoolean();

    private static final int SEND_TIMEOUT_MS = 10;
    private static final int MAX_IDLE_PER_IFACE = 4;

    private final Map<String, Deque<Channel>> idle = new HashMap<>();

    /** An open channel on {@code iface} whose handle captures nothing (it would otherwise copy every packet). */
    public Channel borrow(String iface, int maxFrameBytes) throws PcapNativeException, NotOpenException {
        synchronized (idle) {
            Deque<Channel> q = idle.get(iface);
            while (q != null && !q.isEmpty()) {
                Channel c = q.pop();
                if (c.batch() != null && c.batch().slotBytes() < maxFrameBytes) {
                    // The interface's MTU grew since this channel was made: its slots are too small.
                    c.close();
                    continue;
                }
                if (c.batch() != null) {
                    c.batch().reset();
                }
                return c;
            }
        }
        PcapHandle h = new PcapHandle.Builder(iface).snaplen(65536)
                .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                .timeoutMillis(SEND_TIMEOUT_MS).build();
        try {
            h.setFilter("less 1", BpfProgram.BpfCompileMode.OPTIMIZE);
            BatchSender batch = null;
            if (PacketSocket.available()) {
                int fd = NativePcap.fileno(h);
                PacketSocket.bypassQdisc(fd);
                batch = new BatchSender(fd, maxFrameBytes);
            }
            return new Channel(h, batch);
        } catch (PcapNativeException | NotOpenException | RuntimeException e) {
            h.close();
            throw e;
        }
    }

    /** Returns a channel for the next run on its interface, or closes it when enough are idle. */
    public void giveBack(String iface, Channel c) {
        if (!c.handle().isOpen()) {
            return;
        }
        synchronized (idle) {
            Deque<Channel> q = idle.computeIfAbsent(iface, k -> new ArrayDeque<>());
            if (q.size() < MAX_IDLE_PER_IFACE) {
                q.push(c);
                return;
            }
        }
        c.close();
    }

    /** Closes every idle handle (agent shutdown). */
    public void close() {
        synchronized (idle) {
            idle.values().forEach(q -> q.forEach(Channel::close));
            idle.clear();
        }
    }
}
