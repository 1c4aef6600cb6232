package io.fleetgen.agent.impl.tx;

import io.fleetgen.agent.impl.sys.Abi;
import io.fleetgen.agent.impl.sys.FrameSlots;
import io.fleetgen.agent.impl.sys.IoUring;
import java.io.IOException;

/**
 * A {@link TimedSink} on a packet socket through {@link IoUring}: each frame is copied into a slot of its own and
 * queued as a timeout at its departure time linked to a {@code send} of the slot, so the kernel's timer sends it
 * (issue 17). Slots are as large as {@link BatchSender}'s (the interface's MTU plus link headers, at least 2 KiB).
 * Owned by one transmit thread at a time, pooled with its channel ({@link TxHandlePool}); no allocation after
 * construction.
 */
public final class RingSender implements TimedSink, IoUring.Completion, AutoCloseable {
    /** Frames in flight at most: 20 ms ahead up to 20 kpps, less above (at 100 kpps, 4 ms). */
    static final int SLOTS = 512;
    private static final int MIN_SLOT = 2048;

    private final int socket;
    private final int slotBytes;
    private final IoUring ring;
    private final FrameSlots frames;
    private final int[] free = new int[SLOTS];
    private int freeCount;
    private long sent;
    private long bytes;
    private long errors;
    private long withdrawn;

    /**
     * @param socket a socket that sends what it is given (the channel's packet socket)
     * @throws IOException when the kernel offers no io_uring to this process (the reason named)
     */
    public RingSender(int socket, int maxFrameBytes) throws IOException {
        this.socket = socket;
        this.slotBytes = (Math.max(MIN_SLOT, maxFrameBytes) + 63) & ~63;
        this.ring = IoUring.open(4 * SLOTS);   // two entries a frame, and room for a cancellation
        this.frames = new FrameSlots(SLOTS, slotBytes);
        reset();
    }

    /** Bytes one slot holds. */
    public int slotBytes() {
        return slotBytes;
    }

    @Override
    public int capacity() {
        return SLOTS;
    }

    @Override
    public int inFlight() {
        return SLOTS - freeCount;
    }

    /** @throws IllegalArgumentException for a frame longer than a slot (checked against the MTU at a run's start) */
    @Override
    public boolean addAt(byte[] frame, int len, long departure) {
        if (len > slotBytes) {
            throw new IllegalArgumentException("frame of " + len + " bytes (a slot holds " + slotBytes + ")");
        }
        if (freeCount == 0) {
            return false;
        }
        int slot = free[--freeCount];
        if (!ring.sendAt(socket, frames.put(slot, frame, len), len, departure, slot)) {
            free[freeCount++] = slot;
            return false;
        }
        return true;
    }

    @Override
    public void await(int minComplete, long timeoutNanos) {
        ring.submitAndWait(Math.min(minComplete, inFlight()), timeoutNanos);
        ring.reap(this);
    }

    @Override
    public void complete(long userData, int result) {
        free[freeCount++] = (int) userData;
        if (result >= 0) {
            sent++;
            bytes += result;
        } else if (result == -Abi.ECANCELED) {
            withdrawn++;
        } else {
            errors++;
        }
    }

    @Override
    public void cancelAll() {
        ring.cancelAll();
        ring.submitAndWait(0, 0);
    }

    @Override
    public long sent() {
        return sent;
    }

    @Override
    public long bytes() {
        return bytes;
    }

    @Override
    public long errors() {
        return errors;
    }

    @Override
    public long withdrawn() {
        return withdrawn;
    }

    @Override
    public void reset() {
        freeCount = SLOTS;
        for (int i = 0; i < SLOTS; i++) {
            free[i] = SLOTS - 1 - i;
        }
        sent = 0;
        bytes = 0;
        errors = 0;
        withdrawn = 0;
    }

    @Override
    public void close() {
        ring.close();
    }
}
