package io.fleetgen.codec;

import java.util.Objects;

/**
 * A counter snapshot an agent publishes on {@link Addresses#COUNTERS}: one per live run per interval, and a
 * final one ({@link #last()}) when the run ends. Immutable.
 */
public final class CounterEvent {
    private final long seq;
    private final long timeNanos;
    private final boolean last;
    private final RunStatus status;

    /**
     * @param seq per-run sequence number, from 0
     * @param timeNanos wall-clock time of the snapshot, ns since the epoch
     * @param last whether this is the run's final event
     */
    public CounterEvent(long seq, long timeNanos, boolean last, RunStatus status) {
        this.seq = seq;
        this.timeNanos = timeNanos;
        this.last = last;
        this.status = Objects.requireNonNull(status, "status");
    }

    public long seq() {
        return seq;
    }

    public long timeNanos() {
        return timeNanos;
    }

    public boolean last() {
        return last;
    }

    public RunStatus status() {
        return status;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CounterEvent)) {
            return false;
        }
        CounterEvent e = (CounterEvent) o;
        return seq == e.seq && timeNanos == e.timeNanos && last == e.last && status.equals(e.status);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seq, timeNanos, status);
    }

    @Override
    public String toString() {
        return "#" + seq + (last ? " final " : " ") + status;
    }
}
