package io.fleetgen.agent.impl.guard;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The nonces of the commands accepted within the freshness window, so that a command is run at most once. An
 * entry lives until its command's issue time plus the window, when the command would be refused as expired
 * anyway; the cache is bounded, and when full it refuses new commands rather than forget a live nonce (which
 * would let a replay through). Confined to one thread (the agent's event loop).
 */
final class NonceCache {
    private final long windowMillis;
    private final int capacity;
    private final Map<String, Long> expiries = new HashMap<>();
    private final ArrayDeque<String> order = new ArrayDeque<>();

    NonceCache(long windowMillis, int capacity) {
        this.windowMillis = windowMillis;
        this.capacity = capacity;
    }

    /** What {@link #admit} decided. */
    enum Outcome { NEW, REPLAYED, FULL }

    /** Records the nonce of a command issued at {@code issuedAt} unless it was seen before. */
    Outcome admit(byte[] nonce, long issuedAt, long now) {
        expire(now);
        String key = HexFormat.of().formatHex(nonce);
        if (expiries.containsKey(key)) {
            return Outcome.REPLAYED;
        }
        if (expiries.size() >= capacity) {
            return Outcome.FULL;
        }
        expiries.put(key, issuedAt + windowMillis);
        order.addLast(key);
        return Outcome.NEW;
    }

    int size() {
        return expiries.size();
    }

    /**
     * Forgets nonces whose commands are past the window. Arrival order is close to expiry order (commands arrive
     * within the window of their issue time), so the scan stops at the first live entry.
     */
    private void expire(long now) {
        while (!order.isEmpty()) {
            String k = order.peekFirst();
            Long until = expiries.get(k);
            if (until != null && until > now) {
                return;
            }
            order.pollFirst();
            expiries.remove(k);
        }
    }
}
