package io.fleetgen.agent.impl.tx;

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
 * Sending pcap handles kept open between runs, per interface. Opening a packet socket with its ring, and above
 * all closing one (the kernel waits for an RCU grace period), costs tens of milliseconds: a start/stop cycle
 * paid it twice. A handle belongs to one transmit thread between {@link #borrow} and {@link #giveBack}.
 * Thread-safe.
 */
public final class TxHandlePool {
    private static final int SEND_TIMEOUT_MS = 10;
    private static final int MAX_IDLE_PER_IFACE = 4;

    private final Map<String, Deque<PcapHandle>> idle = new HashMap<>();

    /** An open handle on {@code iface} that captures nothing (its socket would otherwise copy every packet). */
    public PcapHandle borrow(String iface) throws PcapNativeException, NotOpenException {
        synchronized (idle) {
            Deque<PcapHandle> q = idle.get(iface);
            if (q != null && !q.isEmpty()) {
                return q.pop();
            }
        }
        PcapHandle h = new PcapHandle.Builder(iface).snaplen(65536)
                .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                .timeoutMillis(SEND_TIMEOUT_MS).build();
        try {
            h.setFilter("less 1", BpfProgram.BpfCompileMode.OPTIMIZE);
        } catch (PcapNativeException | NotOpenException | RuntimeException e) {
            h.close();
            throw e;
        }
        return h;
    }

    /** Returns a handle for the next run on its interface, or closes it when enough are idle. */
    public void giveBack(String iface, PcapHandle h) {
        if (!h.isOpen()) {
            return;
        }
        synchronized (idle) {
            Deque<PcapHandle> q = idle.computeIfAbsent(iface, k -> new ArrayDeque<>());
            if (q.size() < MAX_IDLE_PER_IFACE) {
                q.push(h);
                return;
            }
        }
        h.close();
    }

    /** Closes every idle handle (agent shutdown). */
    public void close() {
        synchronized (idle) {
            idle.values().forEach(q -> q.forEach(PcapHandle::close));
            idle.clear();
        }
    }
}
