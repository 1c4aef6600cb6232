package io.fleetgen.agent.impl.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The io_uring binding against the running kernel, without root: frames sent on one end of a Unix datagram socket
 * pair at queued times leave in order and never before their time; a cancellation withdraws queued frames. A kernel
 * or sandbox without io_uring fails these tests (as the agent would log it and pace in Java).
 */
class IoUringTest {
    private static final long MS = 1_000_000L;
    private static final int MSG_DONTWAIT = 0x40;
    private final int[] pair = new int[2];
    private IoUring ring;

    @BeforeEach
    void open() throws Exception {
        assertEquals(0, LibC.socketpair(Abi.AF_UNIX, Abi.SOCK_DGRAM, 0, pair), "socketpair");
        ring = IoUring.open(256);
    }

    @AfterEach
    void close() {
        ring.close();
        LibC.close(pair[0]);
        LibC.close(pair[1]);
    }

    private static Memory frames(int n) {
        Memory m = new Memory(8L * n);
        for (int i = 0; i < n; i++) {
            m.setLong(8L * i, i);
        }
        return m;
    }

    @Test
    void framesLeaveInOrderAndNotBeforeTheirTimes() {
        int n = 50;
        Memory m = frames(n);
        long t0 = System.nanoTime() + 20 * MS;
        for (int i = 0; i < n; i++) {
            assertTrue(ring.sendAt(pair[0], Pointer.nativeValue(m) + 8L * i, 8, t0 + i * MS, i), "queued " + i);
        }
        assertEquals(2 * n, ring.submitAndWait(0, 0), "a timeout and a send per frame submitted");
        byte[] got = new byte[16];
        long[] arrived = new long[n];
        for (int i = 0; i < n; i++) {
            // The sends run as this thread's task work: the kernel wakes it from this recv to run them.
            assertEquals(8, LibC.recv(pair[1], got, got.length, 0), "frame " + i);
            arrived[i] = System.nanoTime();
            assertEquals(i, java.nio.ByteBuffer.wrap(got).order(java.nio.ByteOrder.nativeOrder()).getLong(0), "order");
        }
        for (int i = 0; i < n; i++) {
            assertTrue(arrived[i] >= t0 + i * MS, "frame " + i + " left " + (t0 + i * MS - arrived[i]) + " ns early");
        }
        List<Integer> results = new ArrayList<>();
        ring.submitAndWait(n, 1000 * MS);
        assertEquals(n, ring.reap((data, res) -> results.add(res)), "one completion per send, timeouts silent");
        assertTrue(results.stream().allMatch(r -> r == 8), results.toString());
    }

    @Test
    void cancelWithdrawsQueuedFramesAndNothingLeaves() {
        int n = 10;
        Memory m = frames(n);
        long later = System.nanoTime() + 10_000 * MS;
        for (int i = 0; i < n; i++) {
            assertTrue(ring.sendAt(pair[0], Pointer.nativeValue(m) + 8L * i, 8, later, i));
        }
        ring.submitAndWait(0, 0);
        assertTrue(ring.cancelAll());
        ring.submitAndWait(0, 0);
        List<Integer> results = new ArrayList<>();
        for (long until = System.nanoTime() + 2000 * MS; results.size() < n && System.nanoTime() < until; ) {
            ring.submitAndWait(n, 100 * MS);
            ring.reap((data, res) -> results.add(res));
        }
        assertEquals(n, results.size(), "every withdrawn send completes");
        assertTrue(results.stream().allMatch(r -> r == -Abi.ECANCELED), results.toString());
        LastErrorException e = assertThrows(LastErrorException.class,
                () -> LibC.recv(pair[1], new byte[16], 16, MSG_DONTWAIT));
        assertEquals(Abi.EAGAIN, e.getErrorCode(), "nothing left");
    }

    @Test
    void aFullRingRefusesMore() {
        Memory m = frames(1);
        long later = System.nanoTime() + 10_000 * MS;
        int queued = 0;
        while (ring.sendAt(pair[0], Pointer.nativeValue(m), 8, later, queued)) {
            queued++;
        }
        assertEquals(128, queued, "two entries a frame in a ring of 256");
        assertEquals(0, ring.free());
        assertEquals(256, ring.submitAndWait(0, 0));
        assertTrue(ring.cancelAll(), "room again once submitted");
        ring.submitAndWait(0, 0);
    }
}
