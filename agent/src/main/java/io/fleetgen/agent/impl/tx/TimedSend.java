package io.fleetgen.agent.impl.tx;

import io.fleetgen.agent.frame.FrameTemplate;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;

/**
 * A paced loop's sending when the kernel times the departures (issue 17): frames are queued on a {@link TimedSink}
 * up to {@link #LEAD_NANOS} ahead of their times (less at high rates: the sink's capacity, 80 % of it), and the
 * thread waits in the kernel, waking to queue the next half of the lead; a JVM stall shorter than the lead moves no
 * departure. The times are the {@link Pacer}'s plan, so its rules hold: no two departures closer than half a period,
 * a stall beyond the catch-up allowance skips (and counts) the periods lost, nothing at or after the deadline. A
 * stop withdraws what is still queued. One use per run of a loop.
 */
final class TimedSend {
    /** How far ahead a frame is queued at most. */
    static final long LEAD_NANOS = 20_000_000;
    /** The longest wait, so that a stop is seen within it. */
    private static final long MAX_WAIT_NANOS = 10_000_000;
    /** How long after the deadline queued frames may still leave. */
    private static final long DRAIN_NANOS = 1_000_000_000;
    /** A frame due this soon is handed to the kernel at once rather than with the rest of its batch. */
    private static final long URGENT_NANOS = 1_000_000;

    /** What completed so far: frames sent, their bytes, frames refused. */
    @FunctionalInterface
    interface Counts {
        void update(long sent, long bytes, long errors);
    }

    private final TimedSink sink;
    private final Pacer schedule;
    private final Pacer.Clock clock;
    private final long deadline;
    private final long lead;

    TimedSend(TimedSink sink, Pacer schedule, Pacer.Clock clock, long deadline, double pps) {
        this.sink = sink;
        this.schedule = schedule;
        this.clock = clock;
        this.deadline = deadline;
        this.lead = Math.min(LEAD_NANOS, (long) (0.8 * sink.capacity() * 1e9 / pps));
    }

    /**
     * Queues up to {@code limit} frames, {@code frames} giving each one's patched frame for its departure time,
     * until the deadline or {@code stop}; returns once every queued frame has left, failed or been withdrawn.
     */
    void run(long limit, BooleanSupplier stop, LongFunction<FrameTemplate> frames, Counts counts) {
        sink.reset();
        long queued = 0;
        boolean unsubmitted = false;
        for (long i = 0; !stop.getAsBoolean() && queued < limit && schedule.scheduled(i) - deadline < 0; ) {
            long now = clock.now();
            long next = schedule.scheduled(i);
            if (next - now > lead || sink.inFlight() == sink.capacity()) {
                if (unsubmitted) {
                    sink.await(0, 0);
                    unsubmitted = false;
                }
                long wait = Math.min(MAX_WAIT_NANOS, Math.max(100_000, next - lead / 2 - now));
                if (sink.inFlight() == 0) {
                    clock.sleepUntil(now + wait);
                } else {
                    sink.await(sink.inFlight() == sink.capacity() ? 1 : sink.capacity(), wait);
                }
                counts.update(sink.sent(), sink.bytes(), sink.errors());
                continue;
            }
            // Planned only now, when it is queued: a stall before this moves the schedule, not the frame.
            long due = schedule.plan(i++);
            if (due == Pacer.NONE) {
                break;
            }
            FrameTemplate fr = frames.apply(due);
            sink.addAt(fr.frame(), fr.length(), due);
            queued++;
            unsubmitted = true;
            if (due - now < URGENT_NANOS) {
                sink.await(0, 0);
                unsubmitted = false;
            }
        }
        boolean stopped = stop.getAsBoolean();
        if (stopped) {
            sink.cancelAll();
        }
        drain(counts, stopped);
    }

    /**
     * Waits for what is queued: it leaves by the deadline. What a sink still holds a second after it (a send the
     * socket never took) is withdrawn and, unless a stop withdrew it, counted as refused: every departure of the
     * schedule is sent, refused or skipped.
     */
    private void drain(Counts counts, boolean stopped) {
        long end = deadline + DRAIN_NANOS;
        boolean forced = false;
        while (sink.inFlight() > 0) {
            if (!forced && clock.now() > end) {
                sink.cancelAll();
                forced = !stopped;
            }
            sink.await(sink.capacity(), MAX_WAIT_NANOS);
            counts.update(sink.sent(), sink.bytes(), sink.errors() + (forced ? sink.withdrawn() : 0));
        }
        counts.update(sink.sent(), sink.bytes(), sink.errors() + (forced ? sink.withdrawn() : 0));
    }
}
