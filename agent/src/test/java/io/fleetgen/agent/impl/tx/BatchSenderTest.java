package io.fleetgen.agent.impl.tx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
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
        assumeTrue(PacketSocket.available(), "64-bit Linux with libc and libpcap");
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
        BatchSender s = new BatchSender(pair[0]);
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
        BatchSender s = new BatchSender(pair[0]);
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
}
