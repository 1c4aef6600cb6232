package io.fleetgen.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.Test;

/** What a caller sees when a command's answer does not come: a code and a sentence, never "null". */
class CourierAwaitTest {
    @Test
    void aTimeoutSaysHowLongItWaitedAndIsRetryable() {
        Future<String> never = Promise.<String>promise().future();
        FleetException e = assertThrows(FleetException.class, () -> Courier.await(never, 20));
        assertEquals(ErrorCode.UNREACHABLE, e.code());
        assertTrue(e.getMessage().contains("no answer within 20 ms"), e.getMessage());
    }

    @Test
    void anAgentsRefusalKeepsItsCodeAndMessage() {
        Future<String> refused = Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE,
                ErrorCode.LIMIT.code(), "max-live-runs: 65 (expected at most 64)"));
        FleetException e = assertThrows(FleetException.class, () -> Courier.await(refused, 1000));
        assertEquals(ErrorCode.LIMIT, e.code());
        assertTrue(e.getMessage().contains("max-live-runs: 65"), e.getMessage());
    }

    @Test
    void anyOtherFailureNamesItsKind() {
        Future<String> broken = Future.failedFuture(new IllegalStateException("bus closed"));
        FleetException e = assertThrows(FleetException.class, () -> Courier.await(broken, 1000));
        assertEquals(ErrorCode.INTERNAL, e.code());
        assertEquals("IllegalStateException: bus closed", e.getMessage());
    }
}
