package io.fleetgen.codec;

import java.util.List;
import java.util.Objects;

/**
 * The counter events one agent publishes at once on {@link Addresses#COUNTERS}: every live run's snapshot of an
 * interval, or the final events of the runs that just ended. One signature covers the batch (an ECDSA signature
 * costs about a millisecond to make and to check; one per event made short runs ~4x slower). Every event is of
 * {@link #host()}. Immutable.
 */
public final class CounterBatch {
    /** Most events in one batch. */
    public static final int MAX_EVENTS = 10_000;

    private final String host;
    private final List<CounterEvent> events;

    public CounterBatch(String host, List<CounterEvent> events) {
        this.host = Objects.requireNonNull(host, "host");
        this.events = List.copyOf(events);
        if (this.events.size() > MAX_EVENTS) {
            throw ValidationException.of("events", this.events.size(), "at most " + MAX_EVENTS);
        }
        for (CounterEvent e : this.events) {
            if (!e.status().host().equals(host)) {
                throw ValidationException.of("events", "an event of " + e.status().host(), "events of " + host);
            }
        }
    }

    public String host() {
        return host;
    }

    public List<CounterEvent> events() {
        return events;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CounterBatch && ((CounterBatch) o).host.equals(host)
                && ((CounterBatch) o).events.equals(events);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, events);
    }

    @Override
    public String toString() {
        return host + " " + events;
    }
}
