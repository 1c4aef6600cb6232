package io.fleetgen.agent.impl.sys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.Logger;

/**
 * The agent's request for prompt CPU wake-ups while paced runs are live (issue 17): the kernel's PM QoS file
 * {@code /dev/cpu_dma_latency} held open with the largest wake-up latency allowed written to it, the way
 * {@code cyclictest} and tuned's latency profiles do. With 0, an idle CPU polls instead of halting (the cpuidle
 * governor picks no state whose exit latency is longer), so a paced thread's timer wakes it in microseconds: on this
 * project's VM (haltpoll) a 1 ms absolute sleep ended 14 us late at the median instead of 27, and 146 us at the
 * 99.9th percentile instead of 453. The request lasts while the file is open, and the kernel drops it when the
 * process ends, however it ends.
 *
 * <p>Held once for the whole agent, counted per paced thread: the first {@link #acquire} opens the file, the last
 * {@link #release} closes it, so an idle agent lets its CPUs sleep. Writing the file needs root (it is mode 0600);
 * a refusal is logged once and pacing goes on without it. Thread-safe.
 */
public final class CpuLatency {
    /** The kernel's CPU latency request file. */
    public static final Path DEVICE = Path.of("/dev/cpu_dma_latency");
    /** The request's largest value, us (10 ms: beyond it no idle state is excluded on any common machine). */
    public static final int MAX_MICROS = 10_000;
    private static final Logger LOG = Logger.getLogger(CpuLatency.class.getName());

    private final Path device;
    private final int micros;
    private int holders;
    private FileChannel held;
    private boolean refusalLogged;

    /**
     * @param device the request file ({@link #DEVICE}; a test's file)
     * @param micros the wake-up latency asked for, 0-{@value #MAX_MICROS} us; -1: no request
     */
    public CpuLatency(Path device, int micros) {
        if (micros < -1 || micros > MAX_MICROS) {
            throw new IllegalArgumentException("pacing-cpu-latency-us: " + micros + " (expected: -1 for none, or 0-"
                    + MAX_MICROS + ")");
        }
        this.device = device;
        this.micros = micros;
    }

    /** No request ever made. */
    public static CpuLatency none() {
        return new CpuLatency(DEVICE, -1);
    }

    /** A paced thread starts: the request is made if it is the first. */
    public synchronized void acquire() {
        if (micros < 0 || holders++ > 0) {
            return;
        }
        try {
            FileChannel ch = FileChannel.open(device, StandardOpenOption.WRITE);
            try {
                ch.write(ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.nativeOrder()).putInt(0, micros));
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            held = ch;
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            if (!refusalLogged) {
                refusalLogged = true;
                LOG.warning("pacing: no CPU latency request (" + device + ": " + e + "; writing it needs root): "
                        + "departures may leave late when a timer has to wake an idle CPU");
            }
        }
    }

    /** A paced thread has ended: the request is withdrawn with the last one. */
    public synchronized void release() {
        if (micros < 0 || holders == 0 || --holders > 0 || held == null) {
            return;
        }
        try {
            held.close();
        } catch (IOException e) {
            LOG.fine("pacing: closing " + device + ": " + e);
        }
        held = null;
    }

    /** Whether the request is in force now. */
    public synchronized boolean holding() {
        return held != null;
    }

    /** Paced threads that asked for it now. */
    public synchronized int holders() {
        return holders;
    }
}
