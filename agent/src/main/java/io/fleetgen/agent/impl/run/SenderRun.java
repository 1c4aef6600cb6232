package io.fleetgen.agent.impl.run;

import io.fleetgen.agent.frame.FrameBuilder;
import io.fleetgen.agent.frame.FrameLayout;
import io.fleetgen.agent.frame.FrameTemplate;
import io.fleetgen.agent.impl.count.CounterCell;
import io.fleetgen.agent.impl.net.Route;
import io.fleetgen.agent.impl.net.RouteResolver;
import io.fleetgen.agent.impl.net.RstSuppressor;
import io.fleetgen.agent.impl.rx.CaptureLoop;
import io.fleetgen.agent.impl.rx.CaptureRing;
import io.fleetgen.agent.impl.tx.PacingPolicy;
import io.fleetgen.agent.impl.rx.TcpPeer;
import io.fleetgen.agent.impl.tx.FrameSink;
import io.fleetgen.agent.impl.tx.PcapSink;
import io.fleetgen.agent.impl.tx.TcpSession;
import io.fleetgen.agent.impl.tx.TransmitLoop;
import io.fleetgen.agent.impl.tx.TxHandlePool;
import io.fleetgen.codec.CaptureFilters;
import io.fleetgen.codec.Imix;
import io.fleetgen.codec.L4Proto;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.Role;
import io.fleetgen.codec.StreamField;
import io.fleetgen.codec.StreamSpec;
import io.fleetgen.codec.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A sender: resolves the route, compiles the frame once, opens one pcap handle per transmit thread, and for
 * ICMP captures the echo replies to its own id (the sender's {@code recv}).
 */
public final class SenderRun extends Run {
    /** {@code -Dfleetgen.sendmmsg=false} falls back to one {@code sendPacket} per frame (for comparisons). */
    private static final boolean BATCHES = Boolean.parseBoolean(System.getProperty("fleetgen.sendmmsg", "true"));

    private final long lifetimeNanos;
    private final List<TransmitLoop> loops = new ArrayList<>();
    private final List<TxHandlePool.Channel> channels = new ArrayList<>();
    private final TxHandlePool pool;
    private final PacingPolicy pacing;
    private String iface;
    private CaptureLoop replies;
    private RstSuppressor rstRule;

    public SenderRun(String host, String name, ProfileSpec profile, long lifetimeNanos, TxHandlePool pool,
            PacingPolicy pacing) {
        super(host, name, Role.SENDER, profile);
        this.pool = pool;
        this.pacing = pacing;
        this.lifetimeNanos = lifetimeNanos;
    }

    @Override
    public void prepare() throws Exception {
        ProfileSpec p = profile();
        SplittableRandom rnd = new SplittableRandom();
        if (p.streams().size() > 1) {
            prepareStreams(p, rnd);
            return;
        }
        StreamSpec stream = withRunDefaults(p, rnd);
        Route route = RouteResolver.resolve(stream.dst());
        iface = route.iface();
        byte[] payload = p.payload();
        boolean signature = payload == null;
        if (payload == null) {
            payload = new byte[p.size()];
            rnd.nextBytes(payload);
        }
        int streamId = rnd.nextInt();
        FrameTemplate template = FrameBuilder.compile(stream, route.srcMac(), route.nextHopMac(),
                route.srcAddress(), payload, signature, streamId);
        int l3Bytes = template.length() - FrameLayout.ETH_BYTES;
        if (l3Bytes > route.mtu()) {
            throw ValidationException.of(p.payload() != null ? "payload" : "size", p.payloadLength(),
                    "at most " + (p.payloadLength() - (l3Bytes - route.mtu())) + " bytes to fit " + route.iface()
                    + " MTU " + route.mtu());
        }
        FrameTemplate[] sized = imixFrames(p, stream, route, template.layout().payload(), streamId, rnd);
        boolean session = tcpSession(p, stream);
        for (int t = 0; t < p.threads(); t++) {
            TxHandlePool.Channel ch = pool.borrow(route.iface(), route.mtu() + FrameLayout.ETH_BYTES + 4);
            channels.add(ch);
            long share = p.type() == ProfileType.STANDARD ? TransmitLoop.share(p.count(), t, p.threads()) : 0;
            TransmitLoop loop = new TransmitLoop(sink(ch, session), t == 0 ? template : template.copy(), p,
                    newCell(), share, t, p.threads(), lifetimeNanos).withPacing(pacing);
            if (!session) {
                loop.withTimedSink(ch::timed);
            }
            if (sized != null) {
                FrameTemplate[] own = new FrameTemplate[sized.length];
                for (int i = 0; i < own.length; i++) {
                    own[i] = t == 0 ? sized[i] : sized[i].copy();
                }
                loop.withSizes(own, p.imix().pattern());
            }
            loops.add(loop);
        }
        if (session) {
            openSession(stream, route, template, payload.length, rnd);
        } else if (stream.proto() == L4Proto.ICMP || stream.proto() == L4Proto.ICMPV6) {
            replies = CaptureLoop.echoReplies(route.iface(), CaptureFilters.echoReplies(stream),
                    CaptureRing.ofSender(p), (int) stream.get(StreamField.ICMP_ID, 0), newCell(),
                    lifetimeNanos + 1_000_000_000L);
        }
    }

    /**
     * A run of several streams (issue 14): per stream its route, frame (its index in the low four bits of the
     * signature's stream id, the run's tag above), its own transmit thread at its own rate and its own cell, which
     * the run's status reports apart.
     */
    private void prepareStreams(ProfileSpec p, SplittableRandom rnd) throws Exception {
        int tag = rnd.nextInt() & ~0xF;
        CounterCell[] cells = streamCells(p.streams().size());
        for (int i = 0; i < cells.length; i++) {
            StreamSpec s = p.streams().get(i);
            if (tcpSession(p, s)) {
                throw ValidationException.of("stream", s, "udp, or tcp with flags= (crafted segments): several "
                        + "streams are not one tcp session");
            }
            Route route = RouteResolver.resolve(s.dst());
            iface = i == 0 ? route.iface() : iface;
            byte[] payload = new byte[p.size()];
            rnd.nextBytes(payload);
            FrameTemplate t = FrameBuilder.compile(s, route.srcMac(), route.nextHopMac(), route.srcAddress(),
                    payload, true, tag | i);
            if (t.length() - FrameLayout.ETH_BYTES > route.mtu()) {
                throw ValidationException.of("size", p.size(), "at most " + (p.size() - (t.length()
                        - FrameLayout.ETH_BYTES - route.mtu())) + " bytes to fit " + route.iface() + " MTU "
                        + route.mtu());
            }
            FrameTemplate[] sized = imixFrames(p, s, route, t.layout().payload(), tag | i, rnd);
            TxHandlePool.Channel ch = pool.borrow(route.iface(), route.mtu() + FrameLayout.ETH_BYTES + 4);
            channels.add(ch);
            TransmitLoop loop = new TransmitLoop(sink(ch, false), t, p, cells[i], p.type() == ProfileType.STANDARD
                    ? p.count() : 0, 0, 1, lifetimeNanos).withPps(p.ppsOf(i)).withPacing(pacing)
                    .withTimedSink(ch::timed);
            if (sized != null) {
                loop.withSizes(sized, p.imix().pattern());
            }
            loops.add(loop);
        }
    }

    /** Batches of one {@code sendmmsg} where the channel has them, else (and for a TCP session) one pcap call. */
    private static FrameSink sink(TxHandlePool.Channel ch, boolean session) {
        return BATCHES && ch.batch() != null && !session ? ch.batch() : new PcapSink(ch.handle());
    }

    /**
     * Whether the run is one TCP session (a source-port range sends crafted PSH+ACK segments from every port, as
     * the seed did); refuses what a session cannot be: ranged, of several sizes, on several threads.
     */
    private static boolean tcpSession(ProfileSpec p, StreamSpec stream) {
        boolean session = stream.proto() == L4Proto.TCP && !stream.isSet(StreamField.TCP_FLAGS)
                && p.type() != ProfileType.SPORT_RANGE;
        if (session && !p.flows().isEmpty()) {
            throw ValidationException.of("range", p.flows(), "no range on a tcp session (one connection, one "
                    + "4-tuple); set flags= to send crafted segments over ranges");
        }
        if (session && !p.imix().isEmpty()) {
            throw ValidationException.of("imix", p.imix(), "no imix on a tcp session (its segments are its own)");
        }
        if (session && p.threads() > 1) {
            throw ValidationException.of("threads", p.threads(), "1 for a tcp session (one connection per run)");
        }
        return session;
    }

    /**
     * One frame per IMIX size ({@code null} without an IMIX): the size less the FCS, the headers of the stream and
     * random payload; the signature in every frame when the smallest has room for it, else in none (as size below
     * 24 today: loss, order and latency are then not measured).
     */
    private static FrameTemplate[] imixFrames(ProfileSpec p, StreamSpec stream, Route route, int headerBytes,
            int streamId, SplittableRandom rnd) {
        if (p.imix().isEmpty()) {
            return null;
        }
        int[] sizes = p.imix().sizes();
        int smallest = java.util.Arrays.stream(sizes).min().orElseThrow();
        boolean signature = smallest - Imix.FCS - headerBytes >= FrameLayout.SIGNATURE_BYTES;
        FrameTemplate[] out = new FrameTemplate[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            int payloadBytes = sizes[i] - Imix.FCS - headerBytes;
            if (payloadBytes < 0) {
                throw ValidationException.of("imix size", sizes[i], "at least " + (headerBytes + Imix.FCS)
                        + " for this stream's headers");
            }
            if (sizes[i] - Imix.FCS - FrameLayout.ETH_BYTES > route.mtu()) {
                throw ValidationException.of("imix size", sizes[i], "at most " + (route.mtu()
                        + FrameLayout.ETH_BYTES + Imix.FCS) + " to fit " + route.iface() + " MTU " + route.mtu());
            }
            byte[] payload = new byte[payloadBytes];
            rnd.nextBytes(payload);
            out[i] = FrameBuilder.compile(stream, route.srcMac(), route.nextHopMac(), route.srcAddress(), payload,
                    signature, streamId);
        }
        return out;
    }

    private void openSession(StreamSpec stream, Route route, FrameTemplate data, int segmentBytes,
            SplittableRandom rnd) throws Exception {
        FrameTemplate control = FrameBuilder.compile(stream, route.srcMac(), route.nextHopMac(), route.srcAddress(),
                new byte[0], false, 0);
        rstRule = RstSuppressor.add(host(), name(), stream.src() != null ? stream.src() : route.srcAddress(),
                stream.sport(), stream.dst(), stream.dport());
        CounterCell cell = newCell();
        TcpPeer[] peer = new TcpPeer[1];
        replies = CaptureLoop.open(route.iface(), CaptureFilters.tcpPeer(stream), CaptureRing.ofSender(profile()),
                dlt -> peer[0] = new TcpPeer(dlt, cell, segmentBytes), cell, -1, lifetimeNanos + 2_000_000_000L);
        loops.get(0).withTcpSession(new TcpSession(control, peer[0], segmentBytes, rnd.nextLong()));
    }

    /**
     * A random echo id when none is set, so that runs do not count each other's replies; PSH+ACK for the
     * crafted segments of a TCP source-port range.
     */
    private static StreamSpec withRunDefaults(ProfileSpec p, SplittableRandom rnd) {
        StreamSpec s = p.stream();
        if ((s.proto() == L4Proto.ICMP || s.proto() == L4Proto.ICMPV6) && !s.isSet(StreamField.ICMP_ID)) {
            return s.toBuilder().set(StreamField.ICMP_ID, 1 + rnd.nextInt(0xFFFE)).build();
        }
        if (s.proto() == L4Proto.TCP && p.type() == ProfileType.SPORT_RANGE && !s.isSet(StreamField.TCP_FLAGS)) {
            return s.toBuilder().set(StreamField.TCP_FLAGS, 0x18).build();
        }
        return s;
    }

    @Override
    protected List<Thread> threads() {
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < loops.size(); i++) {
            ts.add(new Thread(loops.get(i), "fleetgen-tx-" + name() + (loops.size() > 1 ? "-" + i : "")));
        }
        if (replies != null) {
            ts.add(new Thread(this::awaitThenStopReplies, "fleetgen-rx-grace-" + name()));
            ts.add(new Thread(replies, "fleetgen-rx-" + name()));
        }
        return ts;
    }

    /**
     * Echo replies are still arriving when the last request leaves: the reply capture ends a grace period after
     * the transmit threads.
     */
    private void awaitThenStopReplies() {
        long graceEnd = 0;
        while (true) {
            boolean txDone = true;
            for (TransmitLoop l : loops) {
                txDone &= l.done();
            }
            if (txDone) {
                if (graceEnd == 0) {
                    graceEnd = System.nanoTime() + 500_000_000L;
                } else if (System.nanoTime() > graceEnd) {
                    replies.stop();
                    return;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                replies.stop();
                return;
            }
        }
    }

    @Override
    protected void signalStop() {
        loops.forEach(TransmitLoop::stop);
    }

    @Override
    protected String threadError() {
        for (TransmitLoop l : loops) {
            if (l.error() != null) {
                return l.error();
            }
        }
        return replies == null ? null : replies.error();
    }

    @Override
    protected boolean completed() {
        return profile().type().isFinite() && loops.stream().allMatch(TransmitLoop::completedAll);
    }

    @Override
    protected void release() {
        channels.forEach(c -> pool.giveBack(iface, c));
        channels.clear();
        if (replies != null) {
            replies.stop();
        }
        if (rstRule != null) {
            try {
                rstRule.close();
            } catch (java.io.IOException e) {
                // Left for the next agent start to purge; nothing else can be done here.
                System.err.println("fleetgen: " + name() + ": could not remove the RST rule: " + e.getMessage());
            }
            rstRule = null;
        }
    }
}
