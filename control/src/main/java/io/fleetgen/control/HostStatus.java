package io.fleetgen.control;

import io.fleetgen.codec.HostInfo;
import io.fleetgen.codec.security.Identity;
import java.time.Instant;

/** An agent as the control sees it: its announcement and whether it is alive. Immutable. */
public final class HostStatus {
    private final HostInfo info;
    private final boolean alive;
    private final long lastSeenMillis;
    private final Identity identity;

    HostStatus(HostInfo info, boolean alive, long lastSeenMillis, Identity identity) {
        this.identity = identity;
        this.info = info;
        this.alive = alive;
        this.lastSeenMillis = lastSeenMillis;
    }

    public HostInfo info() {
        return info;
    }

    public String id() {
        return info.hostId();
    }

    /** Whether the agent is in the cluster and has not announced its departure. */
    public boolean alive() {
        return alive;
    }

    public long lastSeenMillis() {
        return lastSeenMillis;
    }

    HostStatus dead() {
        return new HostStatus(info, false, lastSeenMillis, identity);
    }

    /** Days before expiry from which a credential is reported as expiring. */
    public static final int EXPIRY_WARNING_DAYS = 30;

    /** Whether the agent's credential expires within {@link #EXPIRY_WARNING_DAYS}. */
    public boolean expiring() {
        return identity != null && identity.daysLeft(Instant.now()) < EXPIRY_WARNING_DAYS;
    }

    /** The credential as {@code hosts} shows it: days left, or a warning, or that the fleet is insecure. */
    public String credentialText() {
        if (identity == null) {
            return "none (insecure)";
        }
        long days = identity.daysLeft(Instant.now());
        return expiring() ? "EXPIRES in " + days + " d!" : days + " d left";
    }

    /** The agent's verified credential; {@code null} in an insecure fleet. */
    public Identity identity() {
        return identity;
    }

    @Override
    public String toString() {
        return info + (alive ? " alive" : " gone");
    }
}
