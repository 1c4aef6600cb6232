package io.fleetgen.codec.cluster;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Says when a warning that a peer can cause by the thousand (a refused connection, a closed one) may be logged: at
 * most once every 10 s, whichever thread asks.
 */
final class LogThrottle {
    private static final long EVERY_NANOS = 10_000_000_000L;
    private final AtomicLong last = new AtomicLong(System.nanoTime() - EVERY_NANOS);

    /** Whether this warning may be logged now; once it is, none may for the next 10 s. */
    boolean due() {
        long now = System.nanoTime();
        long before = last.get();
        return now - before >= EVERY_NANOS && last.compareAndSet(before, now);
    }
}
