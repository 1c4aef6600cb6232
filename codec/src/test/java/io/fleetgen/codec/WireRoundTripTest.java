package io.fleetgen.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.impl.ProtostuffMessageCodec;
import io.fleetgen.codec.security.Keyring;
import io.fleetgen.codec.security.Opened;
import io.fleetgen.codec.wire.FleetgenCodecs;
import io.fleetgen.codec.wire.Wire;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class WireRoundTripTest {

    @Test
    void everyFixtureSurvivesEncodeAndDecode() throws Exception {
        for (Object value : WireFixtures.all()) {
            byte[] bytes = Wire.encode(value);
            assertEquals(value, Wire.decode(value.getClass(), bytes), value.getClass().getSimpleName());
        }
    }

    @Test
    void everyWireTypeHasAFixture() {
        for (Class<?> type : Wire.types()) {
            if (type != TcpOption.class) {
                assertTrue(WireFixtures.all().stream().anyMatch(type::isInstance), type.getName());
            }
        }
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void messageCodecsHonourPositionAndLengthPrefix() throws Exception {
        for (Object value : WireFixtures.all()) {
            MessageCodec codec = value instanceof Envelope ? ProtostuffMessageCodec.decoded(Envelope.class)
                    : ProtostuffMessageCodec.plain(value.getClass());
            Buffer buf = Buffer.buffer().appendString("junk-before");
            int pos = buf.length();
            codec.encodeToWire(buf, value);
            buf.appendString("junk-after");
            Object decoded = codec.decodeFromWire(pos, buf);
            Object unwrapped = decoded instanceof Decoded ? ((Decoded<?>) decoded).get() : decoded;
            assertEquals(value, unwrapped);
            assertEquals("fleetgen." + value.getClass().getSimpleName(), codec.name());
            assertEquals(-1, codec.systemCodecID());
        }
    }

    @Test
    void commandCodecTurnsBadBytesIntoADecodedFailure() {
        MessageCodec<Command, Decoded<Command>> codec = ProtostuffMessageCodec.decoded(Command.class);
        Buffer buf = Buffer.buffer().appendInt(3).appendBytes(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        Decoded<Command> d = codec.decodeFromWire(0, buf);
        WireFormatException e = org.junit.jupiter.api.Assertions.assertThrows(WireFormatException.class, d::get);
        assertTrue(e.getMessage().startsWith("Command: "), e.getMessage());
        Decoded<Command> huge = codec.decodeFromWire(0, Buffer.buffer().appendInt(Integer.MAX_VALUE));
        org.junit.jupiter.api.Assertions.assertFalse(huge.ok());
    }

    @Test
    void registeredCodecCarriesEveryTypeInEnvelopesOverTheEventBus(Vertx vertx, VertxTestContext ctx) {
        FleetgenCodecs.register(vertx.eventBus());
        Keyring keyring = Keyring.insecure();
        List<Object> values = WireFixtures.all();
        AtomicInteger received = new AtomicInteger();
        vertx.eventBus().consumer("fleetgen.test", m -> ctx.verify(() -> {
            Object expected = values.get(received.get());
            assertEquals(expected, Opened.of(keyring, m.body(), expected.getClass()).value());
            if (received.incrementAndGet() == values.size()) {
                ctx.completeNow();
            }
        })).completion().onComplete(ctx.succeeding(v ->
            values.forEach(x -> vertx.eventBus().send("fleetgen.test", Opened.seal(keyring, x)))));
    }

    @Test
    void aBodyThatIsNoEnvelopeIsRefusedByName() {
        WireFormatException e = org.junit.jupiter.api.Assertions.assertThrows(WireFormatException.class,
                () -> Opened.of(Keyring.insecure(), "start everything", Command.class));
        assertEquals("body: String (expected: a Fleetgen envelope)", e.getMessage());
    }
}
