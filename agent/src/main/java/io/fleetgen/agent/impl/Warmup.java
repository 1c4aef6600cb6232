package io.fleetgen.agent.impl;

import io.fleetgen.agent.frame.FrameBuilder;
import io.fleetgen.agent.frame.FrameLayout;
import io.fleetgen.agent.frame.FrameTemplate;
import io.fleetgen.agent.impl.count.CounterCell;
import io.fleetgen.agent.impl.net.RouteResolver;
import io.fleetgen.agent.impl.rx.CaptureLoop;
import io.fleetgen.agent.impl.rx.CaptureRing;
import io.fleetgen.agent.impl.tx.TxHandlePool;
import io.fleetgen.codec.Command;
import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.Counters;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.Reply;
import io.fleetgen.codec.Role;
import io.fleetgen.codec.RunState;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.codec.StreamSpec;
import io.fleetgen.codec.security.Keyring;
import io.fleetgen.codec.wire.Wire;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What an agent's first start costs once, done once right after it is ready, on one thread of its own, so that
 * the first command from a control is nearly as quick as the later ones (issue 15: a broadcast start to 3 fresh
 * agents took 273-310 ms until the last one sent, 114-147 ms with the warm-up, 14-24 ms warm; to 31, 10 s and 5-6.5
 * s; docs/SCALE.md).
 * Each step runs the code a real start runs on this host's loopback or on this node's own credential, and sends
 * nothing and changes nothing a peer sees:
 *
 * <ol>
 *   <li>the first message of a new control: a signature checked, a pair key derived by ECDH, a code checked;
 *   <li>a command decoded and validated, a reply encoded;
 *   <li>a route looked up (netlink; the loopback's, which a run refuses), frames built for UDP, TCP and ICMP;
 *   <li>a sending channel opened on {@code lo} (pcap handle, its filter, the packet socket's batch sender) and
 *       closed; a receiver's capture opened on {@code lo} and closed.
 * </ol>
 *
 * A step that fails (no CAP_NET_RAW, say) is logged and skipped: the first run then pays for it, as before.
 *
 * <p>The thread runs at the agent's own priority. It first ran at nice 19, and a command that came during the
 * warm-up could then wait for it: the warm-up initialises classes and schemas a command needs too (a reply's
 * {@code RunStatus}, Protostuff's schemas, pcap4j's bindings), and another thread that needs one waits for the
 * initialising thread, which a busy host gave 1.5 % of a core (the lab's tests saw warm-ups of 0.8-1.8 s). It takes
 * 130-260 ms of one core, once.
 */
public final class Warmup implements Runnable {
    private static final Logger LOG = Logger.getLogger(Warmup.class.getName());
    /** Rounds of the seal rehearsal: enough for the P-256 arithmetic to be compiled, not only loaded. */
    private static final int SEAL_ROUNDS = 3;

    private final Keyring keyring;
    private final String hostId;
    private int steps;
    private int skipped;

    private Warmup(Keyring keyring, String hostId) {
        this.keyring = keyring;
        this.hostId = hostId;
    }

    /** Starts the warm-up on its own daemon thread when {@code on} (the agent's {@code --warm-up}); returns at once. */
    public static void startIf(boolean on, Keyring keyring, String hostId) {
        if (on) {
            Thread t = new Thread(new Warmup(keyring, hostId), "fleetgen-warmup");
            t.setDaemon(true);
            t.start();
        }
    }

    @Override
    public void run() {
        long t0 = System.nanoTime();
        step("seals", this::seals);
        step("wire", Warmup::wire);
        step("frames", Warmup::frames);
        step("route", () -> {
            try {
                RouteResolver.resolve(new byte[] {127, 0, 0, 1});
            } catch (RouteResolver.UnreachableException expected) {
                // The loopback's route is refused to runs; the look-up up to that point is what is warmed.
            }
        });
        step("send channel", () -> {
            TxHandlePool pool = new TxHandlePool();
            pool.giveBack("lo", pool.borrow("lo", FrameLayout.ETH_BYTES + 1500 + 4));
            pool.close();
        });
        step("capture", () -> CaptureLoop.receiver("lo", "less 1", true, CaptureRing.ofReceiver(sample()),
                new CounterCell(), 1, 1_000_000_000L).discard());
        LOG.info(hostId + ": warmed up in " + (System.nanoTime() - t0) / 1_000_000 + " ms (" + steps + " steps, "
                + skipped + " skipped)");
    }

    /**
     * What a control's first command costs: a signature made and checked (the control's certificate is checked
     * with the same P-256 arithmetic), a pair key derived by ECDH (this node's own: the one pair key the warm-up
     * keeps) and a code made and checked; a few rounds, so that the arithmetic is compiled, not only loaded.
     */
    private void seals() throws Exception {
        byte[] body = new byte[64];
        for (int i = 0; i < SEAL_ROUNDS && keyring.secure(); i++) {
            keyring.open(keyring.seal("Rehearsal", body));
            keyring.open(keyring.sealTo("Rehearsal", body, keyring.self(), null));
        }
    }

    /** A command to start a small UDP run, through the wire and back; a reply for it, encoded. */
    static Command wire() throws Exception {
        Command c = Wire.decode(Command.class, Wire.encode(Command.of(CommandOp.START_SENDER, "warm-up", sample())));
        Wire.encode(Reply.of("warm-up", List.of(new RunStatus("warm-up", c.name(), Role.SENDER, RunState.RUNNING,
                c.profile().type(), "198.18.0.2", Counters.ZERO, null, 0, 0))));
        return c;
    }

    /** Frames of each protocol a run builds. */
    static List<FrameTemplate> frames() {
        byte[] mac = new byte[6];
        byte[] src = {(byte) 198, 18, 0, 1};
        List<FrameTemplate> out = new ArrayList<>();
        for (Map<String, Object> seed : List.<Map<String, Object>>of(Map.of("proto", "udp", "dst", "198.18.0.2",
                "dport", 9), Map.of("proto", "tcp", "dst", "198.18.0.2", "dport", 9), Map.of("proto", "icmp", "dst",
                "198.18.0.2"))) {
            out.add(FrameBuilder.compile(StreamSpec.fromSeed(seed), mac, mac, src, new byte[64], true, 0));
        }
        return out;
    }

    private static ProfileSpec sample() {
        return ProfileSpec.builder(ProfileType.STANDARD, StreamSpec.fromSeed(Map.of("proto", "udp", "dst",
                "198.18.0.2", "dport", 9))).count(1).build();
    }

    private void step(String what, Step s) {
        steps++;
        try {
            s.run();
        } catch (Exception | LinkageError e) {
            skipped++;
            LOG.log(Level.WARNING, hostId + ": warm-up of the " + what + " skipped (the first run pays for it): " + e);
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }
}
