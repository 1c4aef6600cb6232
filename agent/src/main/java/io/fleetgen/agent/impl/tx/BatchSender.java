package io.fleetgen.agent.impl.tx;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends frames in batches with one {@code sendmmsg} per batch on the pcap handle's own socket (issue 6: the
 * per-packet JNA crossing and system call are what a plain {@code sendPacket} loop pays). The message headers,
 * I/O vectors and frame slots live in one direct buffer built once; per packet only the frame bytes are copied
 * into the next slot. Owned by one transmit thread at a time (pooled with its handle by {@link TxHandlePool});
 * no allocation after construction.
 *
 * <pre>
 *  [ mmsghdr x N (64 B each) ][ iovec x N (16 B each) ][ frame slot x N (slot B each) ]
 *  mmsghdr = msghdr{name=0, namelen=0, iov=&amp;iovec[i], iovlen=1, control=0, controllen=0, flags=0}, msg_len
 * </pre>
 *
 * <p>A slot holds the largest frame of the interface (its MTU plus the Ethernet and VLAN headers, at least 2 KiB):
 * a larger frame would overwrite the next one in the batch, so {@link #add} refuses it (issue 11).
 */
public final class BatchSender {
    /** Frames per system call at most. */
    public static final int MAX_BATCH = 64;
    private static final int MMSGHDR = 64;
    private static final int IOVEC = 16;
    private static final int MIN_SLOT = 2048;
    private static final int ENOBUFS = 105;
    private static final int EAGAIN = 11;
    private static final int RETRIES = 1000;

    private final int fd;
    private final int slot;
    private final ByteBuffer buf;
    private final Pointer base;
    private final Pointer[] heads = new Pointer[MAX_BATCH];
    private final int iovOff;
    private final int slotOff;
    private int pending;
    private long errors;

    /** @param maxFrameBytes the largest frame it must carry (the interface's MTU plus link headers) */
    public BatchSender(int fd, int maxFrameBytes) {
        this.fd = fd;
        this.slot = (Math.max(MIN_SLOT, maxFrameBytes) + 63) & ~63;
        this.iovOff = MMSGHDR * MAX_BATCH;
        this.slotOff = iovOff + IOVEC * MAX_BATCH;
        this.buf = ByteBuffer.allocateDirect(slotOff + slot * MAX_BATCH).order(ByteOrder.nativeOrder());
        this.base = Native.getDirectBufferPointer(buf);
        long addr = Pointer.nativeValue(base);
        for (int i = 0; i < MAX_BATCH; i++) {
            int h = i * MMSGHDR;
            buf.putLong(h, 0);
            buf.putLong(h + 8, 0);
            buf.putLong(h + 16, addr + iovOff + (long) i * IOVEC);
            buf.putLong(h + 24, 1);
            buf.putLong(h + 32, 0);
            buf.putLong(h + 40, 0);
            buf.putLong(h + 48, 0);
            buf.putLong(h + 56, 0);
            buf.putLong(iovOff + i * IOVEC, addr + slotOff + (long) i * slot);
            heads[i] = base.share(h);
        }
    }

    /** Forgets queued frames and errors, for the next owner. */
    void reset() {
        pending = 0;
        errors = 0;
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
        return slot;
    }

    /**
     * Copies a frame into the next slot; call {@link #flush()} when {@link #pending()} reaches the batch.
     *
     * @throws IllegalArgumentException for a frame longer than a slot (checked against the MTU when a run starts)
     */
    private long flushedBytes;

    public void add(byte[] frame, int len) {
        if (len > slot) {
            throw new IllegalArgumentException("frame: " + len + " bytes (expected: at most " + slot + ")");
        }
        int i = pending++;
        buf.put(slotOff + i * slot, frame, 0, len);
        buf.putLong(iovOff + i * IOVEC + 8, len);
    }

    /**
     * Sends every queued frame; a full queue (ENOBUFS, EAGAIN) is waited out, any other refusal counts the
     * frame as an error and moves past it.
     *
     * @return frames sent
     */
    public int flush() {
        int done = 0;
        int sent = 0;
        flushedBytes = 0;
        int tries = 0;
        while (done < pending) {
            int n = PacketSocket.sendmmsg(fd, heads[done], pending - done);
            if (n < 0) {
                // errno without an exception: a full queue is waited out at line rate (issue 11).
                int errno = Native.getLastError();
                if ((errno == ENOBUFS || errno == EAGAIN) && tries++ < RETRIES) {
                    LockSupport.parkNanos(10_000);
                    continue;
                }
                errors++;
                done++;
                tries = 0;
                continue;
            }
            for (int i = done; i < done + n; i++) {
                flushedBytes += buf.getLong(iovOff + i * IOVEC + 8);
            }
            done += n;
            sent += n;
        }
        pending = 0;
        return sent;
    }

    /** Bytes of the frames the last {@link #flush()} sent (frames of several sizes: an IMIX). */
    public long flushedBytes() {
        return flushedBytes;
    }
}
