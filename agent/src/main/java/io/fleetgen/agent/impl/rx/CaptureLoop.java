package io.fleetgen.agent.impl.rx;

import io.fleetgen.agent.impl.sys.NativePcap;
import io.fleetgen.agent.impl.sys.PacketReader;
import io.fleetgen.agent.impl.count.CounterCell;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * A pcap capture on one interface with a BPF filter, inbound only, in non-immediate mode (libpcap's TPACKET_V3
 * ring, filled block by block) of the size {@link CaptureRing} gives the run. Packets are read with
 * {@link PacketReader}, which allocates nothing per packet, from a non-blocking handle; when none is ready the
 * loop publishes its counts and polls the socket. Runs on its own named thread until stopped, until it has counted
 * {@code expected} packets, or until its deadline; it stops on a flag plus {@code breakLoop()}.
 */
public final class CaptureLoop implements Runnable {
    /** Enough for every header the counters read. */
    static final int SNAPLEN = 256;
    /** Whole frames, for receivers that verify checksums. */
    static final int FULL_SNAPLEN = 65535;
    static final int READ_TIMEOUT_MS = 50;
    private static final long PUBLISH_EVERY_NANOS = 10_000_000L;

    private final PcapHandle handle;
    private final PacketReader reader;
    private final CountingListener counter;
    private final CounterCell cell;
    private final long expected;
    private final long lifetimeNanos;
    private long activeNanos = -1;
    private final int snaplen;
    private PcapWriter recorder;
    private volatile boolean stop;
    private volatile String error;
    /** A frame ring (immediate mode) is looked at on a timer: waiting on it would wake the thread for each packet. */
    private final boolean timerWake;

    private CaptureLoop(PcapHandle handle, int snaplen, CountingListener counter, CounterCell cell, long expected,
            long lifetimeNanos, boolean timerWake) {
        this.handle = handle;
        this.timerWake = timerWake;
        this.reader = new PacketReader(handle, snaplen);
        this.snaplen = snaplen;
        this.counter = counter;
        this.cell = cell;
        this.expected = expected;
        this.lifetimeNanos = lifetimeNanos;
    }

    /**
     * Opens a receiver's capture (blocking): packets are buffered from return on.
     *
     * @param ring its kernel ring ({@link CaptureRing#ofReceiver})
     * @param expected packets after which the loop ends by itself, or -1
     * @param lifetimeNanos how long the capture may run from its start
     */
    public static CaptureLoop receiver(String iface, String filter, boolean verify, CaptureRing.Ring ring,
            CounterCell cell, long expected, long lifetimeNanos) throws PcapNativeException, NotOpenException {
        return open(iface, filter, verify ? FULL_SNAPLEN : SNAPLEN, ring, dlt -> new SeedCounter(dlt, verify, cell),
                cell, expected, lifetimeNanos);
    }

    /**
     * Opens the capture of a receiver of several streams (blocking): one cell per stream, and {@code other} for
     * packets of none of them (and the capture's drops).
     */
    public static CaptureLoop receiverOfStreams(String iface, String filter, boolean verify, CaptureRing.Ring ring,
            CounterCell[] streams, CounterCell other, long expected, long lifetimeNanos)
            throws PcapNativeException, NotOpenException {
        return open(iface, filter, verify ? FULL_SNAPLEN : SNAPLEN, ring, dlt -> new StreamsCounter(dlt, verify,
                streams, other), other, expected, lifetimeNanos);
    }

    /** Opens a sender's capture of the echo replies to {@code echoId} (blocking). */
    public static CaptureLoop echoReplies(String iface, String filter, CaptureRing.Ring ring, int echoId,
            CounterCell cell, long lifetimeNanos) throws PcapNativeException, NotOpenException {
        return open(iface, filter, SNAPLEN, ring, dlt -> new EchoReplyCounter(dlt, echoId, cell), cell, -1,
                lifetimeNanos);
    }

    /**
     * Opens a capture that counts with the listener made for the handle's link type (blocking).
     *
     * @param expected packets after which the loop ends by itself, or -1
     */
    public static CaptureLoop open(String iface, String filter, CaptureRing.Ring ring,
            IntFunction<CountingListener> listener, CounterCell cell, long expected, long lifetimeNanos)
            throws PcapNativeException, NotOpenException {
        return open(iface, filter, SNAPLEN, ring, listener, cell, expected, lifetimeNanos);
    }

    private static CaptureLoop open(String iface, String filter, int snaplen, CaptureRing.Ring ring,
            IntFunction<CountingListener> listener, CounterCell cell, long expected, long lifetimeNanos)
            throws PcapNativeException, NotOpenException {
        PcapHandle h = open(iface, filter, snaplen, ring);
        try {
            return new CaptureLoop(h, snaplen, listener.apply(h.getDlt().value()), cell, expected, lifetimeNanos,
                    ring.frames());
        } catch (RuntimeException e) {
            h.close();
            throw e;
        }
    }

    private static PcapHandle open(String iface, String filter, int snaplen, CaptureRing.Ring ring)
            throws PcapNativeException, NotOpenException {
        PcapHandle h = new PcapHandle.Builder(iface).snaplen(snaplen)
                .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS).timeoutMillis(READ_TIMEOUT_MS)
                .bufferSize(ring.bytes()).immediateMode(ring.frames()).direction(PcapHandle.PcapDirection.IN)
                .timestampPrecision(PcapHandle.TimestampPrecision.NANO).build();
        try {
            h.setFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE);
            h.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
        } catch (PcapNativeException | NotOpenException | RuntimeException e) {
            h.close();
            throw e;
        }
        return h;
    }

    /**
     * Also ends the loop this long after its first captured packet, as a sender's duration is timed from its
     * first packet. Set before the loop starts.
     */
    public CaptureLoop activeFor(long nanos) {
        activeNanos = nanos;
        return this;
    }

    /**
     * Also records up to {@code packets} captured frames to a pcap file (replacing it), closed when the loop
     * ends. Set before the loop starts.
     */
    public CaptureLoop recordTo(Path file, long packets) throws IOException {
        recorder = PcapWriter.create(file, handle.getDlt().value(), snaplen, packets);
        return this;
    }

    /** Closes the handle (and pcap file) of a loop that will not run (its run failed to prepare). */
    public void discard() {
        handle.close();
        if (recorder != null) {
            try {
                recorder.close();
            } catch (IOException ignored) {
                // The run failed already; its file is of no use.
            }
        }
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
        long now = System.nanoTime();
        long deadlineNanos = now + lifetimeNanos;
        long publishAt = now;
        boolean first = true;
        try {
            while (!stop && !reachedExpected() && now < deadlineNanos) {
                int r = reader.next();
                if (r == NativePcap.PACKET) {
                    if (first && activeNanos > 0) {
                        // Saturated: a duration near its maximum must not wrap into the past (issue 11).
                        long left = deadlineNanos - System.nanoTime();
                        deadlineNanos -= left - Math.min(left, activeNanos);
                    }
                    first = false;
                    if (recorder != null) {
                        record();
                    }
                    counter.gotPacket(reader.buffer(), reader.length(), reader.wireLength(), reader.timestampNanos());
                } else if (r == NativePcap.TIMEOUT) {
                    // Nothing ready (the handle does not block): publish, then wait for the kernel to retire a
                    // block of packets (or, on a frame ring, for time to pass), at most READ_TIMEOUT_MS so that the
                    // stop flag and deadline are seen.
                    publish();
                    if (timerWake) {
                        LockSupport.parkNanos(READ_TIMEOUT_MS * 1_000_000L);
                    } else {
                        reader.await(READ_TIMEOUT_MS);
                    }
                } else if (r != NativePcap.BREAK) {
                    if (!stop) {
                        error = "pcap: " + reader.error();
                    }
                    return;
                }
                now = System.nanoTime();
                if (now >= publishAt) {
                    publish();
                    publishAt = now + PUBLISH_EVERY_NANOS;
                }
            }
        } finally {
            counter.publishFinal();
            publish();
            handle.close();
            if (recorder != null) {
                try {
                    recorder.close();
                } catch (IOException e) {
                    error = error != null ? error : "pcap file: " + e.getMessage();
                }
            }
        }
    }

    private void record() {
        try {
            if (!recorder.write(reader.buffer(), reader.length(), reader.wireLength(), reader.timestampNanos())) {
                recorder.close();
                recorder = null;
            }
        } catch (IOException e) {
            error = "pcap file: " + e.getMessage();
            recorder = null;
        }
    }

    private void publish() {
        counter.publish();
        long dropped = reader.dropped();
        if (dropped >= 0) {
            cell.publishDrops(dropped);
        }
    }
}
