package io.fleetgen.agent.impl.tx;

import io.fleetgen.agent.impl.sys.Abi;
import io.fleetgen.agent.impl.sys.MessageVector;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends frames in batches with one {@code sendmmsg} per batch on the pcap handle's own socket (issue 6: the
 * per-packet JNA crossing and system call are what a plain {@code sendPacket} loop pays), through a
 * {@link MessageVector} built once; per packet only the frame bytes are copied into the next slot. Owned by one
 * transmit thread at a time (pooled with its handle by {@link TxHandlePool}); no allocation after construction.
 *
 * <p>A slot holds the largest frame of the interface (its MTU plus the Ethernet and VLAN headers, at least 2 KiB):
 * a larger frame would overwrite the next one in the batch, so {@link #add} refuses it (issue 11).
 */
public final class BatchSender implements FrameSink {
    /** Frames per system call at most. */
    public static final int MAX_BATCH = 64;
    private static final int MIN_SLOT = 2048;
    private static final int RETRIES = 1000;

    private final int fd;
    private final MessageVector vector;
    private int pending;
    private long errors;
    private long flushedBytes;

    /** @param maxFrameBytes the largest frame it must carry (the interface's MTU plus link headers) */
    public BatchSender(int fd, int maxFrameBytes) {
        this.fd = fd;
        this.vector = new MessageVector(MAX_BATCH, (Math.max(MIN_SLOT, maxFrameBytes) + 63) & ~63);
    }

    /** Forgets queued frames and errors, for the next owner. */
    void reset() {
        pending = 0;
        errors = 0;
    }

    /** The socket it sends on. */
    public int fd() {
        return fd;
    }

    /** Frames queued and not yet flushed. */
    public int pending() {
        return pending;
    }

    /** Frames the kernel refused, over the sender's life. */
    public long errors() {
        return errors;
    }

    /** Bytes one slot holds. */
    public int slotBytes() {
        return vector.slotBytes();
    }

    /**
     * Copies a frame into the next slot; call {@link #flush()} when {@link #pending()} reaches the batch.
     *
     * @throws IllegalArgumentException for a frame longer than a slot (checked against the MTU when a run starts)
     */
    @Override
    public void add(byte[] frame, int len) {
        if (len > vector.slotBytes()) {
            throw new IllegalArgumentException("frame: " + len + " bytes (expected: at most " + vector.slotBytes()
                    + ")");
        }
        vector.put(pending++, frame, len);
    }

    /**
     * Sends every queued frame; a full queue (ENOBUFS, EAGAIN) is waited out, any other refusal counts the
     * frame as an error and moves past it.
     *
     * @return frames sent
     */
    @Override
    public int flush() {
        int done = 0;
        int sent = 0;
        flushedBytes = 0;
        int tries = 0;
        while (done < pending) {
            int n = vector.send(fd, done, pending - done);
            if (n < 0) {
                // errno without an exception: a full queue is waited out at line rate (issue 11).
                if ((-n == Abi.ENOBUFS || -n == Abi.EAGAIN) && tries++ < RETRIES) {
                    LockSupport.parkNanos(10_000);
                    continue;
                }
                errors++;
                done++;
                tries = 0;
                continue;
            }
            for (int i = done; i < done + n; i++) {
                flushedBytes += vector.length(i);
            }
            done += n;
            sent += n;
        }
        pending = 0;
        return sent;
    }

    /** Bytes of the frames the last {@link #flush()} sent (frames of several sizes: an IMIX). */
    @Override
    public long flushedBytes() {
        return flushedBytes;
    }

    @Override
    public int capacity() {
        return MAX_BATCH;
    }
}
