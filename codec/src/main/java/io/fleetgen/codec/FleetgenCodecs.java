package io.fleetgen.codec;

import io.fleetgen.codec.impl.ProtostuffMessageCodec;
import io.vertx.core.eventbus.EventBus;

/**
 * Registers the message codec of every wire type on an event bus. Called once per Vert.x instance at
 * bootstrap, by the agent and by the control alike (HOUSE_STYLE 7), never from a verticle.
 *
 * <p>Commands arrive as {@link Decoded Decoded&lt;Command&gt;} so that an agent can answer hostile bytes with
 * {@link ErrorCode#MALFORMED}; every other type arrives as itself.
 */
public final class FleetgenCodecs {
    private FleetgenCodecs() {
    }

    /** Registers every codec as the default codec of its class. */
    public static void register(EventBus bus) {
        bus.registerDefaultCodec(Command.class, ProtostuffMessageCodec.decoded(Command.class));
        bus.registerDefaultCodec(Reply.class, ProtostuffMessageCodec.plain(Reply.class));
        bus.registerDefaultCodec(CounterEvent.class, ProtostuffMessageCodec.plain(CounterEvent.class));
        bus.registerDefaultCodec(HostInfo.class, ProtostuffMessageCodec.plain(HostInfo.class));
        bus.registerDefaultCodec(ProfileSpec.class, ProtostuffMessageCodec.plain(ProfileSpec.class));
        bus.registerDefaultCodec(StreamSpec.class, ProtostuffMessageCodec.plain(StreamSpec.class));
        bus.registerDefaultCodec(RunStatus.class, ProtostuffMessageCodec.plain(RunStatus.class));
    }
}
