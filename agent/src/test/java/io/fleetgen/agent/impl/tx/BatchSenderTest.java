package io.fleetgen.agent.impl.tx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import io.fleetgen.agent.impl.sys.NativePcap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The batch layout (mmsghdr, iovec, slots) checked against the kernel without root: frames go through
 * {@code sendmmsg} into one end of a Unix datagram socket pair and come out of the other, each whole and in
 * order.
 */
class BatchSenderTest {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;

    private final int[] pair = new int[2];

    static final class Libc {
        static {
            Native.register(Libc.class, "c");
        }

        private Libc() {
        }

        static native int socketpair(int domain, int type, int protocol, int[] sv);

        static native int recv(int fd, byte[] buf, long len, int flags);

        static native int close(int fd);
    }

    @BeforeEach
    void open() {
        NativePcap.requireAvailable();   // fails, never skips: the agent refuses to start without it
        assertEquals(0, Libc.socketpair(AF_UNIX, SOCK_DGRAM, 0, pair));
    }

    @AfterEach
    void close() {
        if (pair[0] != 0) {
            Libc.close(pair[0]);
            Libc.close(pair[1]);
        }
    }

    @Test
    void sendsEveryQueuedFrameWholeAndInOrder() {
        BatchSender s = new BatchSender(pair[0], 1514);
        byte[][] frames = new byte[BatchSender.MAX_BATCH][];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = new byte[60 + i * 7];
            for (int j = 0; j < frames[i].length; j++) {
                frames[i][j] = (byte) (i * 31 + j);
            }
            s.add(frames[i], frames[i].length);
        }
        assertEquals(BatchSender.MAX_BATCH, s.pending());
        assertEquals(BatchSender.MAX_BATCH, s.flush());
        assertEquals(0, s.pending());
        assertEquals(0, s.errors());
        byte[] buf = new byte[4096];
        for (byte[] frame : frames) {
            int n = Libc.recv(pair[1], buf, buf.length, 0);
            assertEquals(frame.length, n);
            assertArrayEquals(frame, java.util.Arrays.copyOf(buf, n));
        }
    }

    @Test
    void reusesTheSlotsForTheNextBatch() {
        BatchSender s = new BatchSender(pair[0], 1514);
        byte[] a = {1, 2, 3, 4, 5, 6, 7, 8};
        byte[] b = {9, 9, 9};
        s.add(a, a.length);
        assertEquals(1, s.flush());
        s.add(b, b.length);
        assertEquals(1, s.flush());
        byte[] buf = new byte[64];
        assertEquals(8, Libc.recv(pair[1], buf, buf.length, 0));
        assertEquals(3, Libc.recv(pair[1], buf, buf.length, 0));
        assertArrayEquals(b, java.util.Arrays.copyOf(buf, 3));
    }

    /**
     * On a jumbo-frame interface the slots hold whole frames: two 3,000-byte frames in one batch arrive intact
     * (with 2 KiB slots the second overwrote the tail of the first, issue 11); a frame above the slot is refused.
     */
    @Test
    void slotsFollowTheMtuAndKeepFramesAbove2KiBIntact() {
        BatchSender s = new BatchSender(pair[0], 9000 + 18);
        assertTrue(s.slotBytes() >= 9018);
        byte[] a = new byte[3000];
        byte[] b = new byte[3000];
        java.util.Arrays.fill(a, (byte) 0xAA);
        java.util.Arrays.fill(b, (byte) 0xBB);
        s.add(a, a.length);
        s.add(b, b.length);
        assertEquals(2, s.flush());
        byte[] buf = new byte[16384];
        assertEquals(3000, Libc.recv(pair[1], buf, buf.length, 0));
        assertArrayEquals(a, java.util.Arrays.copyOf(buf, 3000));
        assertEquals(3000, Libc.recv(pair[1], buf, buf.length, 0));
        assertArrayEquals(b, java.util.Arrays.copyOf(buf, 3000));
        BatchSender small = new BatchSender(pair[0], 1514);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> small.add(a, a.length));
    }
}
