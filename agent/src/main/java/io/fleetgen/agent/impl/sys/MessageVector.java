package io.fleetgen.agent.impl.sys;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A {@code sendmmsg} message vector in one direct buffer, built once: per message a {@code struct mmsghdr} whose one
 * {@code struct iovec} points at the message's own frame slot. Per packet only the frame's bytes and its length are
 * written; nothing is allocated after construction. Owned by one thread at a time.
 *
 * <pre>
 *  [ mmsghdr x N (64 B each) ][ iovec x N (16 B each) ][ frame slot x N (slot B each) ]
 *  mmsghdr = msghdr{name=0, namelen=0, iov=&amp;iovec[i], iovlen=1, control=0, controllen=0, flags=0}, msg_len
 * </pre>
 */
public final class MessageVector {
    private final int count;
    private final int slot;
    private final ByteBuffer buf;
    private final Pointer[] heads;
    private final int iovOff;
    private final int slotOff;

    /** {@code count} messages of at most {@code slotBytes} bytes each. */
    public MessageVector(int count, int slotBytes) {
        this.count = count;
        this.slot = slotBytes;
        this.iovOff = Abi.MMSGHDR_BYTES * count;
        this.slotOff = iovOff + Abi.IOVEC_BYTES * count;
        this.buf = ByteBuffer.allocateDirect(slotOff + slot * count).order(ByteOrder.nativeOrder());
        Pointer base = Native.getDirectBufferPointer(buf);
        long addr = Pointer.nativeValue(base);
        this.heads = new Pointer[count];
        for (int i = 0; i < count; i++) {
            int h = i * Abi.MMSGHDR_BYTES;
            for (int w = 0; w < Abi.MMSGHDR_BYTES; w += 8) {
                buf.putLong(h + w, 0);
            }
            buf.putLong(h + Abi.MSGHDR_IOV, addr + iovOff + (long) i * Abi.IOVEC_BYTES);
            buf.putLong(h + Abi.MSGHDR_IOVLEN, 1);
            buf.putLong(iovOff + i * Abi.IOVEC_BYTES, addr + slotOff + (long) i * slot);
            heads[i] = base.share(h);
        }
    }

    /** Messages it holds. */
    public int count() {
        return count;
    }

    /** Bytes one message's slot holds. */
    public int slotBytes() {
        return slot;
    }

    /** Copies a frame into message {@code i}'s slot; the caller has checked {@code len <= slotBytes()}. */
    public void put(int i, byte[] frame, int len) {
        buf.put(slotOff + i * slot, frame, 0, len);
        buf.putLong(iovOff + i * Abi.IOVEC_BYTES + Abi.IOVEC_LEN, len);
    }

    /** The length of message {@code i}. */
    public long length(int i) {
        return buf.getLong(iovOff + i * Abi.IOVEC_BYTES + Abi.IOVEC_LEN);
    }

    /**
     * Sends messages {@code from} to {@code from + n - 1} on a socket.
     *
     * @return messages sent, or minus the errno (no exception is made)
     */
    public int send(int fd, int from, int n) {
        int sent = LibC.sendmmsg(fd, heads[from], n, 0);
        return sent >= 0 ? sent : -Native.getLastError();
    }
}
