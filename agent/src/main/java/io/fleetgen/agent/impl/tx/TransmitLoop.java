package io.fleetgen.agent.impl.tx;

import io.fleetgen.agent.frame.FrameTemplate;
import io.fleetgen.agent.impl.count.CounterCell;
import io.fleetgen.codec.ProfileParam;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.StreamField;
import java.util.concurrent.TimeUnit;

/**
 * One transmit thread of a run, a duty cycle over a {@link FrameSink}: wait for the schedule ({@link Pacer}), patch
 * the next packet into its own copy of the frame, hand it to the sink, flush a batch. Bounded in count (Standard,
 * Burst) and always in time (its lifetime), so it stops by itself. Standard counts are split across threads; every
 * thread paces at {@code pps/threads}. Time comes from a {@link Pacer.Clock} (a thread's own by default; a test's
 * simulated one), so pacing and sequencing are tested without a socket. No allocation, boxing or logging per
 * packet; the clock is read per packet for the signature's transmit time.
 */
public final class TransmitLoop implements Runnable {
    private static final int BATCH = 32;
    /** Paced rates per thread below this send one frame per system call. */
    private static final long ONE_FRAME_PER_CALL_PPS = 150_000;
    /** Above it, one frame per call for each this many pps: a call costs a few microseconds. */
    private static final long PPS_PER_BATCHED_FRAME = 20_000;
    /**
     * Paced rates per thread up to this the kernel may time ({@link TimedSink}): a kernel-timed departure costs
     * the thread ~20 us of its core on this project's VM (the timer, the task work, the send and the veth peer's
     * receive), so a thread at 50 kpps saturated at 45 kpps; faster threads pace themselves.
     */
    private static final long KERNEL_TIMED_MAX_PPS = 25_000;

    private final FrameSink sink;
    private final ProfileSpec profile;
    private final CounterCell cell;
    private final long packets;
    private final int thread;
    private final int threads;
    private final long lifetimeNanos;
    private long deadlineNanos;
    private final boolean patchIpId;
    private final boolean patchIcmpSeq;
    /** The ranged fields (ContinuousSportRange's source port among them), or {@code null}. */
    private final FlowSequencer flows;
    /** The frames of each size (an IMIX), and for each packet of a cycle the index of its frame. */
    private FrameTemplate[] frames;
    private int[] pattern = {0};
    /** This thread's walk through the ranged fields' sequence, made when the loop starts. */
    private FlowSequencer.Cursor cursor;
    private TcpSession tcp;
    /** Where kernel-timed frames go (issue 17), or {@code null}; asked once, when a paced loop starts. */
    private java.util.function.Supplier<TimedSink> timedSinks;
    private Pacer.Clock clock = new ThreadTiming();
    private PacingPolicy pacing = PacingPolicy.DEFAULT;
    private int batchSize;
    private int queued;
    private volatile String error;
    private volatile boolean stop;
    /** The thread running the loop, unparked by {@link #stop()} from a long wait. */
    private volatile Thread worker;
    private final java.util.function.BooleanSupplier stopping = this::stopping;
    private volatile boolean done;
    private volatile boolean completedAll;

    private long seq;
    private long sent;
    private long bytes;
    private long errors;
    /** The pacer of the current {@link #send} call, and the departures earlier ones skipped (bursts). */
    private Pacer pacer;
    private long skippedBefore;
    /** The run's rate in packets per second (its {@code pps}, or its {@code bps} for this frame size); 0: none. */
    private double pps;
    /** This thread's share of it, set when the loop starts. */
    private double threadPps;

    /**
     * @param packets packets this thread sends for Standard; ignored otherwise
     * @param lifetimeNanos how long the loop may run from its first packet, whatever the profile
     */
    public TransmitLoop(FrameSink sink, FrameTemplate frame, ProfileSpec profile, CounterCell cell, long packets,
            int thread, int threads, long lifetimeNanos) {
        this.sink = sink;
        this.profile = profile;
        this.pps = ratePps(profile, profile.imix().isEmpty() ? frame.length() : profile.imix().meanFrameBytes());
        this.frames = new FrameTemplate[] {frame};
        this.cell = cell;
        this.packets = packets;
        this.thread = thread;
        this.threads = threads;
        this.lifetimeNanos = lifetimeNanos;
        this.flows = FlowSequencer.of(profile);
        // A field the user set (or ranged) stays as set; the kernel's habit is a fresh IP id per packet.
        this.patchIpId = !profile.stream().isSet(StreamField.IP_ID)
                && profile.flows().range(io.fleetgen.codec.FieldRange.Field.IP_ID) == null;
        this.patchIcmpSeq = !profile.stream().isSet(StreamField.ICMP_SEQ);
        // Sequence numbers interleave across threads so that a receiver sees one sequence space per stream.
        this.seq = thread;
    }

    /** How a paced loop keeps its schedule (the agent's configuration). */
    public TransmitLoop withPacing(PacingPolicy policy) {
        this.pacing = policy;
        return this;
    }

    /** A rate of its own (a stream of a run of several). */
    public TransmitLoop withPps(long streamPps) {
        this.pps = streamPps;
        return this;
    }

    /** Another clock (a test's simulated time). */
    TransmitLoop withClock(Pacer.Clock c) {
        this.clock = c;
        return this;
    }

    /**
     * Frames per flush: as many as the sink holds unpaced (64 per {@code sendmmsg}), fewer when paced so that
     * departures stay smooth: one per call below 150 kpps (two frames in one call would leave back to back, a burst
     * at rates where smooth departures are possible), above it one per 20 kpps (12 at 250 kpps: a system call alone
     * takes about a period there). A TCP session sends one segment per call: each advances its sequence.
     */
    private int batchSize() {
        int want = tcp != null ? 1 : threadPps == 0 ? Integer.MAX_VALUE : threadPps < ONE_FRAME_PER_CALL_PPS ? 1
                : (int) Math.max(1, threadPps / PPS_PER_BATCHED_FRAME);
        return Math.max(1, Math.min(sink.capacity(), want));
    }

    /**
     * Sends frames of several sizes: {@code sized[pattern[k % pattern.length]]} for packet {@code k} (an IMIX).
     * Each frame is this loop's own; the ranged fields and the signature are patched into the one sent.
     */
    public TransmitLoop withSizes(FrameTemplate[] sized, int[] order) {
        this.frames = sized.clone();
        this.pattern = order.clone();
        return this;
    }

    /**
     * Lets a paced loop (up to 25 kpps per thread, not TCP, not Burst) queue its frames ahead for the kernel to
     * send at their times, when the policy allows and the supplier gives a sink ({@code null}: none here).
     */
    public TransmitLoop withTimedSink(java.util.function.Supplier<TimedSink> sinks) {
        this.timedSinks = sinks;
        return this;
    }

    /** The kernel-timed sink this loop uses, or {@code null}: it paces itself. */
    private TimedSink timedSink() {
        boolean fit = timedSinks != null && pacing.kernelTimed() && tcp == null && threadPps > 0
                && threadPps <= KERNEL_TIMED_MAX_PPS && profile.type() != ProfileType.BURST;
        return fit ? timedSinks.get() : null;
    }

    /** Makes the loop a TCP session: handshake first, window-bound data, RST at the end. */
    public TransmitLoop withTcpSession(TcpSession session) {
        this.tcp = session;
        return this;
    }

    /**
     * Packets per second for a run: its {@code pps}, or its {@code bps} over the bits of one whole frame (as
     * tcpreplay's {@code --mbps} counts); 0 for as fast as the path allows.
     */
    private static double ratePps(ProfileSpec profile, double frameBytes) {
        return profile.bps() > 0 ? profile.bps() / (8.0 * frameBytes) : profile.pps();
    }

    /** Thread {@code thread}'s share of {@code total} packets (or packets per burst) split over {@code threads}. */
    public static long share(long total, int thread, int threads) {
        return total / threads + (thread < total % threads ? 1 : 0);
    }

    /** Why the loop ended early, or {@code null}. */
    public String error() {
        return error;
    }

    /** Asks the loop to end; it returns within one packet (or one pacing wait). */
    public void stop() {
        stop = true;
        Thread t = worker;
        if (t != null) {
            java.util.concurrent.locks.LockSupport.unpark(t);
        }
    }

    boolean stopping() {
        return stop;
    }

    /** Whether the loop has ended. */
    public boolean done() {
        return done;
    }

    /** Whether the loop ended having sent every packet its finite profile asked for. */
    public boolean completedAll() {
        return completedAll;
    }

    @Override
    public void run() {
        worker = Thread.currentThread();
        // The run's lifetime holds its delay: the schedule and the duration start after it.
        long delay = Math.min(lifetimeNanos, TimeUnit.MILLISECONDS.toNanos(profile.get(ProfileParam.DELAY)));
        sleepUntil(clock.now() + delay);
        cursor = flows == null ? null : flows.cursor(thread, threads, frames.length);
        threadPps = pps / threads;
        batchSize = batchSize();
        TimedSink timed = timedSink();
        if (pps > 0 || profile.type() == ProfileType.BURST) {
            clock.prepare(threadPps, pacing);
        }
        // ... and once the thread is ready (a kernel-timed sink made, its scheduling set): pps x duration
        // departures however long that took.
        long scheduleStart = clock.now();
        deadlineNanos = scheduleStart + lifetimeNanos - delay;
        try {
            if (tcp != null && !tcp.open(sink, stopping)) {
                error = tcp.error();
                return;
            }
            if (profile.type() == ProfileType.BURST) {
                completedAll = bursts();
            } else {
                long limit = profile.type() == ProfileType.STANDARD ? packets : Long.MAX_VALUE;
                if (timed != null) {
                    sendTimed(limit, newPacer(scheduleStart), timed);
                } else {
                    send(limit, newPacer(scheduleStart));
                }
                completedAll = sent + errors >= limit;
            }
            if (tcp != null) {
                if (tcp.error() != null) {
                    error = tcp.error();
                }
                tcp.close(sink);
            }
        } finally {
            clock.release();
            cell.publishTx(sent, bytes, errors, skipped());
            done = true;
        }
    }

    private boolean bursts() {
        long perBurst = share(profile.burstCount(), thread, threads);
        long t0 = clock.now();
        for (long b = 0; b < profile.count() && !stop; b++) {
            long due = dueAt(t0, b, profile.burstIntervalMillis());
            if (!sleepUntil(Math.min(due, deadlineNanos)) || clock.now() >= deadlineNanos) {
                return false;
            }
            long target = sent + errors + perBurst;
            send(target, newPacer(clock.now()));
            if (sent + errors < target) {
                return false;
            }
        }
        return !stop;
    }

    /** Sleeps until {@code t}: a long wait a stop ends, then at most 10 ms at a time; false when stopped. */
    private boolean sleepUntil(long t) {
        for (long now = clock.now(); !stop && now < t; now = clock.now()) {
            if (t - now > 20_000_000) {
                clock.park(t - 10_000_000);
            } else {
                clock.sleepUntil(Math.min(t, now + 10_000_000));
            }
        }
        return !stop;
    }

    /** When burst {@code b} is due, saturated at the deadline (a huge interval must not overflow into the past). */
    private long dueAt(long t0, long b, long intervalMillis) {
        long interval = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        if (b > 0 && interval > (deadlineNanos - t0) / b) {
            return deadlineNanos;
        }
        return t0 + b * interval;
    }

    /**
     * A schedule from {@code t0}: for a Continuous or Standard run the instant its deadline counts from, so that it
     * holds exactly pps x duration departures however long the rest of the set-up (class loading) takes.
     */
    private Pacer newPacer(long t0) {
        return new Pacer(threadPps, t0, deadlineNanos, pacing.spinNanos(), batchSize, clock,
                pacing.spinCapAt(threadPps, clock.realtime()));
    }

    /** Sends until {@code limit} attempts (sent + errors), stop, or the deadline. */
    private void send(long limit, Pacer schedule) {
        this.pacer = schedule;
        long first = sent + errors;
        long wallOffset = wallOffset();
        while (sent + errors + queued < limit) {
            long attempt = sent + errors + queued;
            if (attempt % BATCH == 0) {
                if (clock.now() > deadlineNanos) {
                    break;
                }
                cell.publishTx(sent, bytes, errors, skipped());
            }
            if (!schedule.await(attempt - first, stopping)
                    || tcp != null && !tcp.awaitWindow(stopping, deadlineNanos)) {
                break;
            }
            FrameTemplate fr = next(clock.now() + wallOffset);
            sink.add(fr.frame(), fr.length());
            if (++queued >= batchSize) {
                flush();
                schedule.departed();
            }
        }
        flush();
        skippedBefore += pacer.skipped();
        this.pacer = null;
        cell.publishTx(sent, bytes, errors, skipped());
    }

    /**
     * The signature's transmit time is wall-clock nanoseconds (CLOCK_REALTIME, as pcap stamps the receiver's
     * capture): the monotonic clock plus this offset.
     */
    private long wallOffset() {
        java.time.Instant wall = java.time.Instant.now();
        return wall.getEpochSecond() * 1_000_000_000L + wall.getNano() - clock.now();
    }

    /** Sends until {@code limit} attempts, stop, or the deadline, the kernel timing each departure. */
    private void sendTimed(long limit, Pacer schedule, TimedSink ts) {
        this.pacer = schedule;
        long sent0 = sent;
        long bytes0 = bytes;
        long errors0 = errors;
        long wallOffset = wallOffset();
        new TimedSend(ts, schedule, clock, deadlineNanos, threadPps).run(limit - sent - errors, stopping,
                due -> next(due + wallOffset), (n, b, e) -> {
                    sent = sent0 + n;
                    bytes = bytes0 + b;
                    errors = errors0 + e;
                    cell.publishTx(sent, bytes, errors, skipped());
                });
        skippedBefore += pacer.skipped();
        this.pacer = null;
    }

    /** Departures skipped after stalls, over the loop's life. */
    private long skipped() {
        return skippedBefore + (pacer == null ? 0 : pacer.skipped());
    }

    /**
     * The next packet's frame, patched: its size's frame (an IMIX), the ranged fields, IP id, ICMP sequence,
     * signature (its transmit time given), TCP numbers. Advances the sequence.
     */
    private FrameTemplate next(long txWallNanos) {
        int fi = frames.length > 1 ? pattern[(int) (seq % pattern.length)] : 0;
        FrameTemplate fr = frames[fi];
        if (cursor != null) {
            cursor.next(fr, fi);
        }
        if (patchIpId) {
            fr.setIpId((int) seq & 0xFFFF);
        }
        if (patchIcmpSeq) {
            fr.setIcmpSeq((int) seq & 0xFFFF);
        }
        fr.setSignature(seq, txWallNanos);
        seq += threads;
        if (tcp != null) {
            tcp.patch(fr);
        }
        return fr;
    }

    private void flush() {
        if (queued == 0) {
            return;
        }
        int ok = sink.flush();
        sent += ok;
        bytes += sink.flushedBytes();
        errors += queued - ok;
        queued = 0;
        if (tcp != null && ok == 1) {
            tcp.advance();
        }
        cell.publishTx(sent, bytes, errors, skipped());
    }
}
