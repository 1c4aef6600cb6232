package io.fleetgen.codec.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The limits on a port's inbound connections, per peer address and in all. */
class ConnectionLimitTest {
    private static InetSocketAddress peer(int last, int port) {
        return new InetSocketAddress("198.19.0." + last, port);
    }

    @Test
    void anAddressGetsItsShareWhateverItsPortsAndAClosedConnectionGivesItsPlaceBack() {
        ConnectionLimit limit = new ConnectionLimit("member port", 3, 100);
        for (int i = 0; i < 3; i++) {
            assertTrue(limit.admit(peer(9, 40_000 + i)), "connection " + i);
        }
        assertFalse(limit.admit(peer(9, 40_003)), "a fourth from 198.19.0.9");
        assertTrue(limit.admit(peer(10, 40_000)), "another address still gets in");
        assertEquals(1, limit.refused());
        assertEquals(4, limit.open());
        limit.release(peer(9, 40_001));
        assertTrue(limit.admit(peer(9, 40_004)), "the place given back is taken again");
        assertFalse(limit.admit(peer(9, 40_005)));
        assertEquals(2, limit.refused());
    }

    @Test
    void theTotalBoundsEveryAddressTogether() {
        ConnectionLimit limit = new ConnectionLimit("event bus", 2, 5);
        int admitted = 0;
        for (int a = 1; a <= 5; a++) {
            for (int i = 0; i < 2; i++) {
                admitted += limit.admit(peer(a, 40_000 + i)) ? 1 : 0;
            }
        }
        assertEquals(5, admitted);
        assertEquals(5, limit.refused());
        limit.release(peer(1, 40_000));
        limit.release(peer(200, 40_000)); // never admitted: nothing to give back
        assertEquals(4, limit.open());
        assertTrue(limit.admit(peer(6, 40_000)));
        assertFalse(limit.admit(peer(7, 40_000)));
    }

    @Test
    void admissionsFromManyThreadsNeverExceedTheLimits() throws Exception {
        ConnectionLimit limit = new ConnectionLimit("event bus", 4, 10);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int a = t % 4;
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 1000; i++) {
                    if (limit.admit(peer(a, i))) {
                        // Counted after the admission and uncounted before the release: never more than hold places.
                        assertTrue(admitted.incrementAndGet() <= 10, "more admitted than the total");
                        admitted.decrementAndGet();
                        limit.release(peer(a, i));
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (var f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(0, limit.open(), "every place given back");
    }
}
