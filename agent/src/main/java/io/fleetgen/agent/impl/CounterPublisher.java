package io.fleetgen.agent.impl;

import io.fleetgen.agent.impl.run.Run;
import io.fleetgen.codec.Addresses;
import io.fleetgen.codec.CounterBatch;
import io.fleetgen.codec.CounterEvent;
import io.fleetgen.codec.security.Identity;
import io.fleetgen.codec.security.Keyring;
import io.fleetgen.codec.security.Opened;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Publishes this agent's counter events as sealed batches (SPEC §5, §9): every live run's snapshot once per
 * interval in one batch, and the final events of ended runs gathered for at most {@value #FINAL_DELAY_MILLIS} ms,
 * so that a signature (about a millisecond to make and to check) is paid per batch, not per event. Each batch also
 * carries a pair-key code for every control that commanded this agent ({@code Envelope.MACSIG}): those check it in
 * microseconds, any other control (one new to this agent) the signature. Confined to the agent's event loop.
 */
final class CounterPublisher {
    /** Longest a final event waits for others to share its batch. */
    static final long FINAL_DELAY_MILLIS = 100;

    private final Vertx vertx;
    private final Keyring keyring;
    private final String host;
    private final Supplier<List<Identity>> controls;
    private final List<CounterEvent> finals = new ArrayList<>();
    private boolean flushScheduled;

    /** @param controls the controls this agent knows (a code for each in every batch) */
    CounterPublisher(Vertx vertx, Keyring keyring, String host, Supplier<List<Identity>> controls) {
        this.vertx = vertx;
        this.keyring = keyring;
        this.host = host;
        this.controls = controls;
    }

    /** One snapshot of every live run, with the final events waiting, in one batch. */
    void snapshots(List<Run> runs) {
        List<CounterEvent> batch = new ArrayList<>(finals);
        finals.clear();
        long now = wallNanos();
        for (Run r : runs) {
            if (r.live()) {
                batch.add(new CounterEvent(r.nextEventSeq(), now, false, r.status()));
            }
        }
        publish(batch);
    }

    /** A run's final event, published within {@value #FINAL_DELAY_MILLIS} ms. */
    void ended(Run r) {
        finals.add(new CounterEvent(r.nextEventSeq(), wallNanos(), true, r.status()));
        if (!flushScheduled) {
            flushScheduled = true;
            vertx.setTimer(FINAL_DELAY_MILLIS, id -> flushFinals());
        }
    }

    /** Publishes the final events waiting now (at shutdown, before the agent leaves). */
    void flushFinals() {
        flushScheduled = false;
        List<CounterEvent> batch = new ArrayList<>(finals);
        finals.clear();
        publish(batch);
    }

    private void publish(List<CounterEvent> events) {
        List<Identity> known = controls.get();
        for (int i = 0; i < events.size(); i += CounterBatch.MAX_EVENTS) {
            vertx.eventBus().publish(Addresses.COUNTERS, Opened.sealForAll(keyring, new CounterBatch(host,
                    events.subList(i, Math.min(events.size(), i + CounterBatch.MAX_EVENTS))), known));
        }
    }

    private static long wallNanos() {
        return System.currentTimeMillis() * 1_000_000L;
    }
}
