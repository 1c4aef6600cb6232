package io.fleetgen.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.Addresses;
import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.ErrorCode;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.RunState;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.codec.StreamSpec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.ReplyException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Each refusal is an error reply with its code, while a run started before keeps running and counting. */
@EnabledIfSystemProperty(named = "fleetgen.lab", matches = "true")
class AgentRefusalsIT {
    private static Lab lab;

    @BeforeAll
    static void up() throws Exception {
        lab = Lab.up(2);
        ProfileSpec bg = ProfileSpec.builder(ProfileType.CONTINUOUS,
                StreamSpec.fromSeed(Map.of("proto", "udp", "dst", "198.18.0.2"))).pps(200).build();
        lab.start("h2", CommandOp.START_RECEIVER, "bg", bg);
        lab.start("h1", CommandOp.START_SENDER, "bg", bg);
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    private static ReplyException refused(Lab.Call call) {
        Exception e = assertThrows(Exception.class, call::run);
        Throwable t = e;
        while (!(t instanceof ReplyException) && t.getCause() != null) {
            t = t.getCause();
        }
        assertTrue(t instanceof ReplyException, "not a reply failure: " + e);
        return (ReplyException) t;
    }

    private static void assertStillCounting() throws Exception {
        long before = lab.poll("h2", "bg").counters().recv();
        RunStatus after = lab.pollUntil("h2", "bg", s -> s.counters().recv() > before, 10);
        assertEquals(RunState.RUNNING, after.state());
    }

    private static ProfileSpec udpTo(String dst) {
        return ProfileSpec.builder(ProfileType.STANDARD, StreamSpec.fromSeed(Map.of("proto", "udp", "dst", dst)))
                .build();
    }

    @Test
    void refusesADuplicateName() throws Exception {
        ReplyException e = refused(() -> lab.start("h1", CommandOp.START_SENDER, "bg", udpTo("198.18.0.2")));
        assertEquals(ErrorCode.ALREADY_RUNNING.code(), e.failureCode());
        assertEquals("bg: already running on h1", e.getMessage());
        assertStillCounting();
    }

    @Test
    void refusesADestinationOutsideTheAllowList() throws Exception {
        ReplyException e = refused(() -> lab.start("h1", CommandOp.START_SENDER, "out", udpTo("198.18.1.9")));
        assertEquals(ErrorCode.NOT_ALLOWED.code(), e.failureCode());
        assertTrue(e.getMessage().startsWith("dst: 198.18.1.9 (expected: an address inside the allow-list"),
                e.getMessage());
        assertStillCounting();
    }

    @Test
    void refusesAnUnreachableNextHop() throws Exception {
        ReplyException e = refused(() -> lab.start("h1", CommandOp.START_SENDER, "gone", udpTo("198.18.0.77")));
        assertEquals(ErrorCode.UNREACHABLE.code(), e.failureCode());
        assertTrue(e.getMessage().contains("198.18.0.77: no neighbour answered"), e.getMessage());
        assertStillCounting();
    }

    @Test
    void refusesMalformedCommandBytes() throws Exception {
        // A node speaking the command codec's name with garbage bytes, as a hostile member would.
        MessageCodec<byte[], byte[]> raw = new MessageCodec<>() {
            @Override
            public void encodeToWire(Buffer buffer, byte[] b) {
                buffer.appendInt(b.length).appendBytes(b);
            }

            @Override
            public byte[] decodeFromWire(int pos, Buffer buffer) {
                return buffer.getBytes(pos + 4, pos + 4 + buffer.getInt(pos));
            }

            @Override
            public byte[] transform(byte[] b) {
                return b;
            }

            @Override
            public String name() {
                return "fleetgen.Envelope";
            }

            @Override
            public byte systemCodecID() {
                return -1;
            }
        };
        io.vertx.core.Vertx v = lab.client;
        v.eventBus().unregisterDefaultCodec(io.fleetgen.codec.Envelope.class);
        v.eventBus().unregisterCodec("fleetgen.Envelope");
        v.eventBus().registerCodec(raw);
        try {
            ReplyException e = refused(() -> v.eventBus().request(Addresses.agent("h1"),
                    new byte[] {8, (byte) 0xFF, 0x12, 0x7F}, new DeliveryOptions().setCodecName("fleetgen.Envelope")
                    .setSendTimeout(10_000)).await(11, TimeUnit.SECONDS));
            assertEquals(ErrorCode.MALFORMED.code(), e.failureCode());
            assertTrue(e.getMessage().startsWith("Envelope: "), e.getMessage());
            ReplyException s = refused(() -> v.eventBus().request(Addresses.agent("h1"), "start everything",
                    new DeliveryOptions().setSendTimeout(10_000)).await(11, TimeUnit.SECONDS));
            assertEquals(ErrorCode.MALFORMED.code(), s.failureCode());
        } finally {
            v.eventBus().unregisterCodec("fleetgen.Envelope");
            io.fleetgen.codec.wire.FleetgenCodecs.register(v.eventBus());
        }
        assertStillCounting();
    }

    @Test
    void refusesAReceiverWhoseListenerIsNotLocal() throws Exception {
        ReplyException e = refused(() -> lab.start("h2", CommandOp.START_RECEIVER, "nolisten",
                ProfileSpec.builder(ProfileType.STANDARD, StreamSpec.fromSeed(Map.of("proto", "udp",
                        "dst", "198.18.0.2"))).listener("198.18.0.99").build()));
        assertEquals(ErrorCode.INVALID.code(), e.failureCode());
        assertEquals("listener: 198.18.0.99 (expected: an address configured on this host (fleet-wide receivers "
                + "without a listener use their own address in dst's network))", e.getMessage());
        assertStillCounting();
    }

    @Test
    void manyShortRunsAreForgottenOldestFirstWhileLiveRunsStay() throws Exception {
        ProfileSpec p = ProfileSpec.builder(ProfileType.CONTINUOUS,
                StreamSpec.fromSeed(Map.of("proto", "udp", "dst", "198.18.0.2", "dport", 8100))).pps(100).build();
        int n = 1150;
        for (int i = 0; i < n; i++) {
            lab.start("h1", CommandOp.START_SENDER, "many-" + i, p);
            assertEquals(RunState.STOPPED, lab.stop("h1", "many-" + i).state());
        }
        java.util.List<RunStatus> kept = lab.request("h1", io.fleetgen.codec.Command.of(CommandOp.LIST, "", null))
                .runs();
        assertTrue(kept.size() <= 1000 + 100 + 1, "bounded: " + kept.size() + " runs kept");
        assertTrue(kept.stream().anyMatch(r -> r.name().equals("bg") && r.state() == RunState.RUNNING), "live run");
        assertTrue(kept.stream().anyMatch(r -> r.name().equals("many-" + (n - 1))), "newest ended run");
        ReplyException e = refused(() -> lab.poll("h1", "many-0"));
        assertEquals(ErrorCode.NO_SUCH_RUN.code(), e.failureCode());
        assertStillCounting();
    }
}
