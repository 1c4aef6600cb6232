package io.fleetgen.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.Addresses;
import io.fleetgen.codec.Command;
import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.Envelope;
import io.fleetgen.codec.ErrorCode;
import io.fleetgen.codec.wire.FleetgenCodecs;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.Reply;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.codec.StreamSpec;
import io.fleetgen.codec.wire.Wire;
import io.fleetgen.codec.security.Opened;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 11: a rogue event-bus client floods an agent with hostile messages at the highest rate the bus takes
 * (a bounded window of requests in flight): sealed commands mutated by bit flips, truncations, splices and huge
 * length prefixes, commands at and beyond every bound, wrong codec names, wrong body types, broadcasts with bogus
 * reply addresses. The agent never dies, every message it can attribute gets an answer (no request times out),
 * and a normal run afterwards counts exactly. {@code -Dfleetgen.flood=1000000} for the full million; CI sends
 * 100,000. Prints messages per second, answers by code and the agent's peak RSS.
 */
@EnabledIfSystemProperty(named = "fleetgen.lab", matches = "true")
class FloodIT {
    private static final int MESSAGES = Integer.getInteger("fleetgen.flood", 100_000);
    private static final int IN_FLIGHT = 256;
    private static final String RAW = "fleetgen.Envelope";
    private static final String BOGUS = "fleetgen.Bogus";

    /** Bytes as they are, under a codec name of the sender's choice. */
    private static MessageCodec<byte[], byte[]> raw(String name) {
        return new MessageCodec<>() {
            @Override
            public void encodeToWire(Buffer buffer, byte[] b) {
                buffer.appendBytes(b);
            }

            @Override
            public byte[] decodeFromWire(int pos, Buffer buffer) {
                return buffer.getBytes(pos, buffer.length());
            }

            @Override
            public byte[] transform(byte[] b) {
                return b;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public byte systemCodecID() {
                return -1;
            }
        };
    }

    @Test
    void anAgentSurvivesAFloodOfHostileMessagesAndStillCountsExactly() throws Exception {
        try (Lab lab = Lab.up(2)) {
            long agentPid = Long.parseLong(Files.readString(Lab.ROOT.resolve("deploy/.lab/h1.pid")).strip());
            List<byte[]> seeds = seeds(lab);
            EventBus bus = lab.client.eventBus();
            bus.unregisterDefaultCodec(Envelope.class);
            bus.unregisterCodec(RAW);
            bus.registerCodec(raw(RAW));
            bus.registerCodec(raw(BOGUS));
            Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
            Semaphore window = new Semaphore(IN_FLIGHT);
            SplittableRandom rnd = new SplittableRandom(20261127);
            long peakRss = 0;
            long t0 = System.nanoTime();
            try {
                for (int i = 0; i < MESSAGES; i++) {
                    window.acquire();
                    send(bus, seeds, rnd, i, answers, window);
                    if (i % 10_000 == 0) {
                        peakRss = Math.max(peakRss, rssKib(agentPid));
                        assertTrue(alive(agentPid), "the agent died after " + i + " messages");
                    }
                }
                assertTrue(window.tryAcquire(IN_FLIGHT, 60, TimeUnit.SECONDS), "answers still missing after 60 s");
            } finally {
                bus.unregisterCodec(RAW);
                bus.unregisterCodec(BOGUS);
                FleetgenCodecs.register(bus);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            peakRss = Math.max(peakRss, peakRssKib(agentPid));
            System.out.printf("flood: %d messages in %.1f s = %.0f messages/s; answers by code %s; agent peak RSS "
                    + "%d MiB%n", MESSAGES, seconds, MESSAGES / seconds, new TreeMap<>(answers), peakRss / 1024);
            assertTrue(alive(agentPid), "the agent survived");
            assertEquals(null, answers.get("TIMEOUT"), "every attributable message was answered: " + answers);
            assertTrue(answers.getOrDefault("MALFORMED", new AtomicLong()).get() > MESSAGES / 10, answers.toString());
            assertFalse(Files.readString(Lab.ROOT.resolve("deploy/.lab/h1.log")).contains("OutOfMemoryError"));
            exactRunAfterwards(lab);
        }
    }

    /** Well-formed sealed commands of every kind, as encoded envelopes (length-prefixed, as the codec writes). */
    private static List<byte[]> seeds(Lab lab) throws Exception {
        ProfileSpec big = ProfileSpec.builder(ProfileType.BURST, StreamSpec.fromSeed(Map.of("proto", "tcp", "dst",
                "198.18.0.2", "ttl", 255, "window", 65535, "flags", 511))).payload(new byte[65_000])
                .capfilter("tcp port 9000").count(Integer.MAX_VALUE).burstCount(2).burstIntervalMillis(0)
                .pps(100_000_000).threads(16).build();
        List<Command> commands = List.of(Command.of(CommandOp.POLL, "nothing", null), Command.of(CommandOp.LIST, "",
                null), Command.of(CommandOp.STOP, "nothing", null), Command.of(CommandOp.START_SENDER, "blocked",
                ProfileSpec.builder(ProfileType.STANDARD, StreamSpec.fromSeed(Map.of("proto", "udp", "dst",
                "198.18.1.9"))).build()), new Command(CommandOp.POLL, "x", big, "fleetgen.agent.h2",
                List.of("h1")));
        List<byte[]> out = new ArrayList<>();
        for (Command c : commands) {
            byte[] e = Wire.encode(Opened.sealTo(lab.node.keyring(), lab.bind("h1", c), lab.agent("h1"), null));
            out.add(Buffer.buffer().appendInt(e.length).appendBytes(e).getBytes());
        }
        return out;
    }

    private static void send(EventBus bus, List<byte[]> seeds, SplittableRandom rnd, int i,
            Map<String, AtomicLong> answers, Semaphore window) {
        int kind = i % 20;
        DeliveryOptions raw = new DeliveryOptions().setCodecName(RAW).setSendTimeout(30_000);
        if (kind == 0) {
            // A broadcast nobody can attribute (bogus reply address, mutated): dropped, no answer expected.
            bus.publish(Addresses.BROADCAST, mutate(seeds.get(rnd.nextInt(seeds.size())), rnd), new DeliveryOptions()
                    .setCodecName(RAW));
            window.release();
            return;
        }
        Object body;
        DeliveryOptions opts = raw;
        if (kind == 1) {
            body = "start everything";
            opts = new DeliveryOptions().setSendTimeout(30_000);
        } else if (kind == 2) {
            body = new JsonObject().put("op", "START_SENDER");
            opts = new DeliveryOptions().setSendTimeout(30_000);
        } else if (kind == 3) {
            body = seeds.get(0);
            opts = new DeliveryOptions().setCodecName(BOGUS).setSendTimeout(30_000);
        } else if (kind == 4) {
            body = seeds.get(rnd.nextInt(seeds.size()));
        } else {
            body = mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
        }
        bus.request(Addresses.agent("h1"), body, opts).onComplete(ar -> {
            String code;
            if (ar.succeeded()) {
                code = replyCode(ar.result().body());
            } else if (ar.cause() instanceof ReplyException) {
                ReplyException re = (ReplyException) ar.cause();
                code = switch (re.failureType()) {
                    case TIMEOUT -> "TIMEOUT";
                    case NO_HANDLERS -> "NO_HANDLERS";
                    default -> ErrorCode.of(re.failureCode()).name() + (re.failureCode() == ErrorCode.of(
                            re.failureCode()).code() ? "" : "(" + re.failureCode() + ")");
                };
            } else {
                code = ar.cause().getClass().getSimpleName();
            }
            answers.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
            window.release();
        });
    }

    /** A sealed reply's code ("OK" or its error), read without checking the seal (the test only counts). */
    private static String replyCode(Object body) {
        try {
            byte[] b = (byte[]) body;
            Envelope e = Wire.decode(Envelope.class, b, 4, b.length - 4);
            Reply r = Wire.decode(Reply.class, e.body());
            return r.ok() ? "OK" : ErrorCode.of(r.errorCode()).name();
        } catch (Exception e) {
            return "UNREADABLE";
        }
    }

    private static byte[] mutate(byte[] seed, SplittableRandom rnd) {
        byte[] b = seed.clone();
        switch (rnd.nextInt(6)) {
            case 0:
                for (int k = 0; k < 1 + rnd.nextInt(8); k++) {
                    b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
                return b;
            case 1:
                return Arrays.copyOf(b, rnd.nextInt(b.length));
            case 2:
                byte[] other = seed.clone();
                int cut = rnd.nextInt(b.length);
                byte[] splice = Arrays.copyOf(b, cut + other.length - Math.min(cut, other.length - 1));
                System.arraycopy(other, Math.min(cut, other.length - 1), splice, cut, splice.length - cut);
                return splice;
            case 3:
                // A huge length prefix, at the frame or at a field.
                int at = rnd.nextBoolean() ? 0 : 4 + rnd.nextInt(Math.max(1, b.length - 9));
                b[at] = (byte) 0x7F;
                b[Math.min(b.length - 1, at + 1)] = (byte) 0xFF;
                if (at > 0) {
                    b[at] = (byte) 0xFF;
                    b[Math.min(b.length - 1, at + 1)] = (byte) 0xFF;
                    b[Math.min(b.length - 1, at + 2)] = (byte) 0xFF;
                    b[Math.min(b.length - 1, at + 3)] = (byte) 0xFF;
                    b[Math.min(b.length - 1, at + 4)] = (byte) 0x07;
                }
                return b;
            case 4:
                byte[] noise = new byte[4 + rnd.nextInt(512)];
                rnd.nextBytes(noise);
                byte[] prefix = Buffer.buffer().appendInt(noise.length - 4).getBytes();
                System.arraycopy(prefix, 0, noise, 0, 4);
                return noise;
            default:
                b[4 + rnd.nextInt(b.length - 4)] = (byte) rnd.nextInt(256);
                return b;
        }
    }

    private static void exactRunAfterwards(Lab lab) throws Exception {
        ProfileSpec p = ProfileSpec.builder(ProfileType.STANDARD, StreamSpec.fromSeed(Map.of("proto", "udp", "dst",
                "198.18.0.2", "dport", 8123))).count(2000).pps(20_000).build();
        lab.start("h2", CommandOp.START_RECEIVER, "after-flood", p);
        lab.start("h1", CommandOp.START_SENDER, "after-flood", p);
        RunStatus s = lab.pollUntil("h1", "after-flood", x -> x.state().isTerminal(), 20);
        RunStatus r = lab.pollUntil("h2", "after-flood", x -> x.state().isTerminal(), 20);
        assertEquals(2000, s.counters().sent());
        assertEquals(2000, r.counters().recv(), "a normal run after the flood counts exactly");
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static long rssKib(long pid) throws Exception {
        return statusKib(pid, "VmRSS:");
    }

    private static long peakRssKib(long pid) throws Exception {
        return statusKib(pid, "VmHWM:");
    }

    private static long statusKib(long pid, String key) throws Exception {
        for (String line : Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }
}
