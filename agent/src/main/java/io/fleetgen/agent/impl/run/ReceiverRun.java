package io.fleetgen.agent.impl.run;

import io.fleetgen.agent.impl.net.Interfaces;
import io.fleetgen.agent.impl.rx.CaptureLoop;
import io.fleetgen.agent.impl.rx.ListenerSocket;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.Role;
import io.fleetgen.codec.StreamSpec;
import io.fleetgen.codec.ValidationException;
import io.fleetgen.codec.impl.InetText;
import java.io.IOException;
import java.util.List;

/**
 * A receiver: opens the real listening socket for UDP/TCP, then the capture on {@code iface} or the interface
 * that owns the listener address, and counts until stopped, until the expected count (Standard, Burst), or
 * until {@code timeout}.
 */
public final class ReceiverRun extends Run {
    private final long lifetimeNanos;
    private ListenerSocket socket;
    private CaptureLoop capture;

    /**
     * @param lifetimeNanos how long the capture may run whatever the profile says
     */
    public ReceiverRun(String host, String name, ProfileSpec profile, long lifetimeNanos) {
        super(host, name, Role.RECEIVER, profile);
        this.lifetimeNanos = lifetimeNanos;
    }

    @Override
    public void prepare() throws Exception {
        ProfileSpec p = profile();
        StreamSpec s = p.stream();
        byte[] listener = InetText.parse("listener", p.listenerText());
        String iface = p.iface();
        if (iface == null) {
            iface = Interfaces.owning(listener);
            if (iface == null) {
                throw ValidationException.of("listener", p.listenerText(),
                        "an address configured on this host, or set iface");
            }
        }
        if (s.proto().hasPorts()) {
            try {
                socket = ListenerSocket.open(s.proto(), listener, s.dport(), name());
            } catch (IOException e) {
                throw new IOException("listener " + p.listenerText() + ":" + s.dport() + ": " + e.getMessage(), e);
            }
        }
        long lifetime = p.timeoutMillis() > 0 ? Math.min(lifetimeNanos, p.timeoutMillis() * 1_000_000) : lifetimeNanos;
        try {
            capture = CaptureLoop.receiver(iface, p.effectiveCapfilter(), p.chksum(), newCell(),
                    p.expectedPackets(), lifetime);
        } catch (Exception e) {
            release();
            throw e;
        }
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
