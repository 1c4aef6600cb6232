package io.fleetgen.codec.wire;

import io.fleetgen.codec.Envelope;
import io.fleetgen.codec.impl.ProtostuffMessageCodec;
import io.vertx.core.eventbus.EventBus;

/**
 * Registers Fleetgen's one message codec on an event bus. Called once per Vert.x instance at bootstrap, by the
 * agent and by the control alike (HOUSE_STYLE 7), never from a verticle.
 *
 * <p>Every Fleetgen message travels as an {@link Envelope} (the encoded value with its seal) and arrives as
 * {@link Decoded Decoded&lt;Envelope&gt;}, so that a consumer answers hostile bytes with
 * {@link ErrorCode#MALFORMED} and checks the seal before decoding what it would act on. No other Fleetgen type
 * has a codec: a body of another type on a Fleetgen address is answered as malformed.
 */
public final class FleetgenCodecs {
    private FleetgenCodecs() {
    }

    /** Registers the envelope codec as the default codec of {@link Envelope}. */
    public static void register(EventBus bus) {
        bus.registerDefaultCodec(Envelope.class, ProtostuffMessageCodec.decoded(Envelope.class));
    }
}
