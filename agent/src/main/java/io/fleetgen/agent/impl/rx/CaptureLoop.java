package io.fleetgen.agent.impl.rx;

import io.fleetgen.agent.impl.run.CounterCell;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import java.util.function.IntFunction;

/**
 * A pcap capture on one interface with a BPF filter, inbound only, in non-immediate mode with a sized buffer
 * and {@code dispatch} batches (far faster than {@code getNextRawPacket}). Runs on its own named thread until
 * stopped, until it has counted {@code expected} packets, or until its deadline; it stops on a flag plus
 * {@code breakLoop()}.
 */
public final class CaptureLoop implements Runnable {
    private static final int SNAPLEN = 256;
    private static final int BUFFER_BYTES = 32 << 20;
    private static final int READ_TIMEOUT_MS = 50;

    private final PcapHandle handle;
    private final CountingListener counter;
    private final CounterCell cell;
    private final long expected;
    private final long lifetimeNanos;
    private volatile boolean stop;
    private volatile String error;

    private CaptureLoop(PcapHandle handle, CountingListener counter, CounterCell cell, long expected,
            long lifetimeNanos) {
        this.handle = handle;
        this.counter = counter;
        this.cell = cell;
        this.expected = expected;
        this.lifetimeNanos = lifetimeNanos;
    }

    /**
     * Opens a receiver's capture (blocking): packets are buffered from return on.
     *
     * @param expected packets after which the loop ends by itself, or -1
     * @param lifetimeNanos how long the capture may run from its start
     */
    public static CaptureLoop receiver(String iface, String filter, boolean verify, CounterCell cell, long expected,
            long lifetimeNanos) throws PcapNativeException, NotOpenException {
        return open(iface, filter, dlt -> new SeedCounter(dlt, verify, cell), cell, expected, lifetimeNanos);
    }

    /** Opens a sender's capture of the echo replies to {@code echoId} (blocking). */
    public static CaptureLoop echoReplies(String iface, String filter, int echoId, CounterCell cell,
            long lifetimeNanos) throws PcapNativeException, NotOpenException {
        return open(iface, filter, dlt -> new EchoReplyCounter(dlt, echoId, cell), cell, -1, lifetimeNanos);
    }

    /**
     * Opens a capture that counts with the listener made for the handle's link type (blocking).
     *
     * @param expected packets after which the loop ends by itself, or -1
     */
    public static CaptureLoop open(String iface, String filter, IntFunction<CountingListener> listener,
            CounterCell cell, long expected, long lifetimeNanos) throws PcapNativeException, NotOpenException {
        PcapHandle h = open(iface, filter);
        return new CaptureLoop(h, listener.apply(h.getDlt().value()), cell, expected, lifetimeNanos);
    }

    private static PcapHandle open(String iface, String filter) throws PcapNativeException, NotOpenException {
        PcapHandle h = new PcapHandle.Builder(iface).snaplen(SNAPLEN)
                .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS).timeoutMillis(READ_TIMEOUT_MS)
                .bufferSize(BUFFER_BYTES).immediateMode(false).direction(PcapHandle.PcapDirection.IN).build();
        try {
            h.setFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE);
        } catch (PcapNativeException | NotOpenException | RuntimeException e) {
            h.close();
            throw e;
        }
        return h;
    }

    /** Ends the loop from another thread. */
    public void stop() {
        stop = true;
        try {
            handle.breakLoop();
        } catch (NotOpenException ignored) {
            // Already closed: the loop has ended.
        }
    }

    /** Whether the loop ended by reaching its expected count. */
    public boolean reachedExpected() {
        return expected >= 0 && counter.counted() >= expected;
    }

    /** The error that ended the loop, or {@code null}. */
    public String error() {
        return error;
    }

    @Override
    public void run() {
        long deadlineNanos = System.nanoTime() + lifetimeNanos;
        try {
            while (!stop && !reachedExpected() && System.nanoTime() < deadlineNanos) {
                handle.dispatch(-1, counter);
                counter.publish();
                cell.publishDrops(handle.getStats().getNumPacketsDropped());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (PcapNativeException | NotOpenException e) {
            if (!stop) {
                error = "pcap: " + e.getMessage();
            }
        } finally {
            counter.publish();
            handle.close();
        }
    }
}
