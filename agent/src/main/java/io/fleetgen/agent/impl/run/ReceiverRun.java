package io.fleetgen.agent.impl.run;

import io.fleetgen.agent.impl.guard.Policy;
import io.fleetgen.agent.impl.net.Interfaces;
import io.fleetgen.agent.impl.rx.CaptureLoop;
import io.fleetgen.agent.impl.rx.CaptureRing;
import io.fleetgen.agent.impl.rx.ListenerSocket;
import io.fleetgen.codec.ProfileParam;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.Role;
import io.fleetgen.codec.StreamSpec;
import io.fleetgen.codec.ValidationException;
import io.fleetgen.codec.InetText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A receiver: opens the real listening socket for UDP/TCP, then the capture on {@code iface} or the interface
 * that owns the listener address, and counts until stopped, until the expected count (Standard, Burst), until
 * {@code timeout}, or, with a {@code duration}, until that long plus {@value #GRACE_MILLIS} ms after its first
 * packet (a sender's duration runs from its first packet too, so a receiver started earlier sees it all).
 */
public final class ReceiverRun extends Run {
    /** Time for the last packets of a sender with the same duration to arrive. */
    static final long GRACE_MILLIS = 1000;
    private final long lifetimeNanos;
    private final Policy policy;
    private final Path pcapDir;
    private final int maxConnections;
    private final boolean fleetWide;

    private ListenerSocket socket;
    private CaptureLoop capture;
    private Path pcapFile;

    /**
     * @param lifetimeNanos how long the capture may run from its start, whatever the profile says
     * @param policy decides where it may capture
     * @param pcapDir the agent's private directory for recordings
     * @param maxConnections connections its TCP listener holds at once
     * @param fleetWide started by a fleet-wide command: with no {@code listener} in the profile, it listens on this
     *     host's own address in the network of the stream's {@code dst}, so that one profile serves every host
     */
    public ReceiverRun(String host, String name, ProfileSpec profile, long lifetimeNanos, Policy policy,
            Path pcapDir, int maxConnections, boolean fleetWide) {
        super(host, name, Role.RECEIVER, profile);
        this.fleetWide = fleetWide;
        this.lifetimeNanos = lifetimeNanos;
        this.policy = policy;
        this.pcapDir = pcapDir;
        this.maxConnections = maxConnections;
    }

    @Override
    public void prepare() throws Exception {
        ProfileSpec p = profile();
        StreamSpec s = p.stream();
        byte[] listener = InetText.parse("listener", p.listenerText());
        if (Interfaces.owning(listener) == null && fleetWide && p.listener() == null) {
            listener = Interfaces.addressIn(s.dst());
            if (listener == null) {
                throw ValidationException.of("dst", s.dstText(), "an address in a network this host has an address "
                        + "in (a fleet-wide receiver listens on its own address there)");
            }
        }
        String owner = Interfaces.owning(listener);
        if (owner == null && (s.proto().hasPorts() || p.iface() == null)) {
            throw ValidationException.of("listener", InetText.format(listener), "an address configured on this "
                    + "host (fleet-wide receivers without a listener use their own address in dst's network)");
        }
        String iface = p.iface() != null ? p.iface() : owner;
        policy.checkReceiver(p, iface);
        if (s.proto().hasPorts()) {
            try {
                socket = ListenerSocket.open(s.proto(), listener, s.dport(), name(), maxConnections);
            } catch (IOException e) {
                throw new IOException("listener " + InetText.format(listener) + ":" + s.dport() + ": " + e.getMessage(),
                        e);
            }
        }
        long lifetime = p.timeoutMillis() > 0 ? Math.min(lifetimeNanos, p.timeoutMillis() * 1_000_000) : lifetimeNanos;
        try {
            CaptureRing.Ring ring = CaptureRing.ofReceiver(p);
            capture = p.streams().size() > 1 ? CaptureLoop.receiverOfStreams(iface, p.effectiveCapfilter(),
                    p.chksum(), ring, streamCells(p.streams().size()), newCell(), p.expectedPackets(), lifetime)
                    : CaptureLoop.receiver(iface, p.effectiveCapfilter(), p.chksum(), ring, newCell(),
                    p.expectedPackets(), lifetime);
            if (p.durationMillis() > 0) {
                capture.activeFor(TimeUnit.MILLISECONDS.toNanos(p.durationMillis() + p.get(ProfileParam.DELAY)
                        + GRACE_MILLIS));
            }
            if (p.pcap() > 0) {
                pcapFile = pcapDir.resolve(name() + ".pcap");
                capture.recordTo(pcapFile, p.pcap());
            }
        } catch (Exception e) {
            if (capture != null) {
                capture.discard();
            }
            release();
            throw e;
        }
    }

    /** The pcap file this run records, or {@code null} when its profile asked for none. */
    public Path pcapFile() {
        return pcapFile;
    }

    @Override
    protected List<Thread> threads() {
        return List.of(new Thread(capture, "fleetgen-rx-" + name()));
    }

    @Override
    protected void signalStop() {
        if (capture != null) {
            capture.stop();
        }
    }

    @Override
    protected String threadError() {
        return capture == null ? null : capture.error();
    }

    @Override
    protected boolean completed() {
        return capture != null && capture.reachedExpected();
    }

    @Override
    protected void release() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closing a listening socket cannot lose counts.
            }
        }
    }
}
