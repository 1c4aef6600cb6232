package io.fleetgen.agent.impl.sys;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A minimal io_uring for departures the kernel times (issue 17). A frame goes as two linked submissions: a timeout
 * at an absolute {@code CLOCK_MONOTONIC} time (the clock of {@link System#nanoTime()}), then a {@code send} on a
 * socket. The kernel's high-resolution timer releases the send at its time, whatever the JVM does meanwhile (a
 * safepoint, a collection, a thread waiting for a core) as long as the frame was queued ahead; the send runs as
 * task work of the submitting thread, which the kernel interrupts or wakes for it, even inside a system call.
 *
 * <p>One ring per transmit thread, used by that thread only. The rings and entries are mapped once and written
 * through direct buffers: no allocation after construction. Needs Linux 6.0 (a timeout's expiry counted as success
 * for its link); {@link #open} says clearly when the kernel refuses (io_uring disabled, a seccomp filter).
 */
public final class IoUring implements AutoCloseable {
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    /** User data of the timeouts: their completions (expired, or cancelled) are not sends and are passed over. */
    public static final long TIMEOUT_TAG = 1L << 62;
    private static final long CANCEL_TAG = 1L << 61;
    private static final byte NO_FLAGS = 0;

    private final int fd;
    private final Pointer sqRing;
    private final long sqRingBytes;
    private final long ringBytes;
    private final Pointer cqRing;
    private final long cqRingBytes;
    private final Pointer sqesMap;
    private final ByteBuffer sq;
    private final ByteBuffer cq;
    private final ByteBuffer sqes;
    private final int sqEntries;
    private final int sqMask;
    private final int cqMask;
    private final int sqHead;
    private final int sqTail;
    private final int sqArray;
    private final int cqHead;
    private final int cqTail;
    private final int cqes;
    /** A timespec per submission entry (a timeout's, copied by the kernel when it is submitted). */
    private final Memory timespecs;
    private final Memory waitArg = new Memory(Abi.GETEVENTS_ARG_BYTES + Abi.TIMESPEC_BYTES);
    private int localTail;
    private int toSubmit;

    private IoUring(int fd, Memory params) throws IOException {
        this.fd = fd;
        this.sqEntries = params.getInt(Abi.URING_PARAMS_SQ_ENTRIES);
        int cqEntries = params.getInt(Abi.URING_PARAMS_CQ_ENTRIES);
        int so = Abi.URING_PARAMS_SQ_OFF;
        int co = Abi.URING_PARAMS_CQ_OFF;
        this.sqHead = params.getInt(so + Abi.SQ_OFF_HEAD);
        this.sqTail = params.getInt(so + Abi.SQ_OFF_TAIL);
        this.sqArray = params.getInt(so + Abi.SQ_OFF_ARRAY);
        this.cqHead = params.getInt(co + Abi.CQ_OFF_HEAD);
        this.cqTail = params.getInt(co + Abi.CQ_OFF_TAIL);
        this.cqes = params.getInt(co + Abi.CQ_OFF_CQES);
        this.sqMask = sqEntries - 1;
        this.cqMask = cqEntries - 1;
        this.sqRingBytes = sqArray + 4L * sqEntries;
        this.cqRingBytes = cqes + (long) Abi.CQE_BYTES * cqEntries;
        boolean single = (params.getInt(Abi.URING_PARAMS_FEATURES) & Abi.IORING_FEAT_SINGLE_MMAP) != 0;
        this.ringBytes = single ? Math.max(sqRingBytes, cqRingBytes) : sqRingBytes;
        this.sqRing = map(ringBytes, Abi.IORING_OFF_SQ_RING);
        this.cqRing = single ? sqRing : map(cqRingBytes, Abi.IORING_OFF_CQ_RING);
        this.sqesMap = map((long) Abi.SQE_BYTES * sqEntries, Abi.IORING_OFF_SQES);
        this.sq = sqRing.getByteBuffer(0, ringBytes).order(ByteOrder.nativeOrder());
        this.cq = cqRing.getByteBuffer(0, single ? ringBytes : cqRingBytes).order(ByteOrder.nativeOrder());
        this.sqes = sqesMap.getByteBuffer(0, (long) Abi.SQE_BYTES * sqEntries).order(ByteOrder.nativeOrder());
        this.timespecs = new Memory((long) Abi.TIMESPEC_BYTES * sqEntries);
        for (int i = 0; i < sqEntries; i++) {
            sq.putInt(sqArray + 4 * i, i);
        }
        this.localTail = (int) INT.getAcquire(sq, sqTail);
        waitArg.clear();
        waitArg.setPointer(Abi.GETEVENTS_ARG_TS, waitArg.share(Abi.GETEVENTS_ARG_BYTES));
    }

    /**
     * A ring of {@code entries} submissions (a power of two) and a completion queue twice as long.
     *
     * @throws IOException naming the refusal (errno) when the kernel has no io_uring for this process
     */
    public static IoUring open(int entries) throws IOException {
        if (!LibC.AVAILABLE) {
            throw new IOException("io_uring: libc not loaded");
        }
        Memory params = new Memory(Abi.URING_PARAMS_BYTES);
        params.clear();
        params.setInt(Abi.URING_PARAMS_FLAGS, Abi.IORING_SETUP_CQSIZE);
        params.setInt(Abi.URING_PARAMS_CQ_ENTRIES, 2 * entries);
        long fd = LibC.syscall(Abi.SYS_IO_URING_SETUP, entries, Pointer.nativeValue(params), 0, 0, 0, 0);
        if (fd < 0) {
            int errno = Native.getLastError();
            throw new IOException("io_uring_setup(" + entries + "): errno " + errno
                    + " (io_uring disabled by kernel.io_uring_disabled, a seccomp filter, or a kernel before 5.1)");
        }
        try {
            return new IoUring((int) fd, params);
        } catch (IOException | RuntimeException e) {
            LibC.close((int) fd);
            throw e;
        }
    }

    private Pointer map(long bytes, long offset) throws IOException {
        Pointer p = LibC.mmap(Pointer.NULL, bytes, Abi.PROT_READ_WRITE, Abi.MAP_SHARED_POPULATE, fd, offset);
        if (Pointer.nativeValue(p) == -1L) {
            throw new IOException("io_uring: mmap of " + bytes + " bytes at " + Long.toHexString(offset)
                    + " failed: errno " + Native.getLastError());
        }
        return p;
    }

    /** Submission entries free now. */
    public int free() {
        return sqEntries - (localTail - (int) INT.getAcquire(sq, sqHead));
    }

    /**
     * Queues {@code len} bytes at native address {@code buf} to leave on socket {@code socket} at {@code departure}
     * ({@link System#nanoTime()} units; one in the past leaves at once). Its completion carries {@code userData} and
     * the send's result (bytes, or -errno; -ECANCELED when {@link #cancelAll} came first). Takes effect at the next
     * {@link #submitAndWait}.
     *
     * @return false when fewer than two submission entries are free
     */
    public boolean sendAt(int socket, long buf, int len, long departure, long userData) {
        if (free() < 2) {
            return false;
        }
        timeout(departure, Abi.IORING_TIMEOUT_ABS, userData);
        entry(Abi.IORING_OP_SEND, NO_FLAGS, socket, buf, len, userData);
        return true;
    }

    /** A timeout entry linked to the next one; its offset. */
    private int timeout(long nanos, int flags, long userData) {
        long off = (long) (localTail & sqMask) * Abi.TIMESPEC_BYTES;
        timespecs.setLong(off, nanos / 1_000_000_000L);
        timespecs.setLong(off + 8, nanos % 1_000_000_000L);
        long ts = Pointer.nativeValue(timespecs) + off;
        int e = entry(Abi.IORING_OP_TIMEOUT, Abi.IOSQE_IO_LINK, -1, ts, 1, userData | TIMEOUT_TAG);
        sqes.putInt(e + Abi.SQE_OP_FLAGS, flags | Abi.IORING_TIMEOUT_ETIME_SUCCESS);
        return e;
    }

    /** Cancels every queued timeout (and so its send, which completes with -ECANCELED), at the next submit. */
    public boolean cancelAll() {
        if (free() < 1) {
            return false;
        }
        int e = entry(Abi.IORING_OP_ASYNC_CANCEL, (byte) 0, -1, 0, 0, CANCEL_TAG);
        sqes.putInt(e + Abi.SQE_OP_FLAGS, Abi.IORING_ASYNC_CANCEL_ALL | Abi.IORING_ASYNC_CANCEL_ANY);
        return true;
    }

    /** Fills the next submission entry (zeroing the rest) and returns its offset. */
    private int entry(byte opcode, byte flags, int entryFd, long addr, int len, long userData) {
        int e = (localTail & sqMask) * Abi.SQE_BYTES;
        for (int i = 0; i < Abi.SQE_BYTES; i += 8) {
            sqes.putLong(e + i, 0);
        }
        sqes.put(e + Abi.SQE_OPCODE, opcode);
        sqes.put(e + Abi.SQE_FLAGS, flags);
        sqes.putInt(e + Abi.SQE_FD, entryFd);
        sqes.putLong(e + Abi.SQE_ADDR, addr);
        sqes.putInt(e + Abi.SQE_LEN, len);
        sqes.putLong(e + Abi.SQE_USER_DATA, userData);
        localTail++;
        toSubmit++;
        return e;
    }

    /**
     * Submits what is queued and waits until {@code minComplete} completions are ready or {@code timeoutNanos} has
     * passed (0: do not wait). The kernel runs due sends meanwhile.
     *
     * @return entries submitted, or -errno (ETIME when the wait timed out, EINTR for a signal)
     */
    public int submitAndWait(int minComplete, long timeoutNanos) {
        INT.setRelease(sq, sqTail, localTail);
        int n = toSubmit;
        int flags = 0;
        long arg = 0;
        long argBytes = 0;
        if (minComplete > 0 && timeoutNanos > 0) {
            waitArg.setLong(Abi.GETEVENTS_ARG_BYTES, timeoutNanos / 1_000_000_000L);
            waitArg.setLong(Abi.GETEVENTS_ARG_BYTES + 8, timeoutNanos % 1_000_000_000L);
            flags = Abi.IORING_ENTER_GETEVENTS | Abi.IORING_ENTER_EXT_ARG;
            arg = Pointer.nativeValue(waitArg);
            argBytes = Abi.GETEVENTS_ARG_BYTES;
        }
        long r = LibC.syscall(Abi.SYS_IO_URING_ENTER, fd, n, flags == 0 ? 0 : minComplete, flags, arg, argBytes);
        if (r < 0) {
            return -Native.getLastError();
        }
        toSubmit -= (int) r;
        return (int) r;
    }

    /** What a completion says: its user data and result. */
    @FunctionalInterface
    public interface Completion {
        void complete(long userData, int result);
    }

    /** Hands every ready completion to {@code c} (timeouts' and cancellations' left out); returns how many sends. */
    public int reap(Completion c) {
        int head = (int) INT.getAcquire(cq, cqHead);
        int tail = (int) INT.getAcquire(cq, cqTail);
        int sends = 0;
        for (; head != tail; head++) {
            int e = cqes + (head & cqMask) * Abi.CQE_BYTES;
            long data = cq.getLong(e);
            if ((data & (TIMEOUT_TAG | CANCEL_TAG)) == 0) {
                c.complete(data, cq.getInt(e + Abi.CQE_RES));
                sends++;
            }
        }
        INT.setRelease(cq, cqHead, head);
        return sends;
    }

    @Override
    public void close() {
        LibC.munmap(sqesMap, (long) Abi.SQE_BYTES * sqEntries);
        if (cqRing != sqRing) {
            LibC.munmap(cqRing, cqRingBytes);
        }
        LibC.munmap(sqRing, ringBytes);
        LibC.close(fd);
    }
}
