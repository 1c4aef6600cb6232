package io.fleetgen.agent.impl.guard;

import io.fleetgen.codec.security.Identity;
import io.fleetgen.codec.security.Keyring;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * Picks up a renewed credential file without a restart (issue 10): runs go on, the agent re-announces itself with
 * the new certificate, and warns in the log from {@value #EXPIRY_WARNING_DAYS} days before its certificate expires.
 */
public final class CredentialWatch {
    /** Days before expiry from which the agent warns. */
    public static final int EXPIRY_WARNING_DAYS = 30;
    private static final long CHECK_MILLIS = 5000;
    private static final long DAY_MILLIS = 86_400_000L;
    private static final Logger LOG = Logger.getLogger(CredentialWatch.class.getName());

    private final Vertx vertx;
    private final Keyring keyring;
    private final String host;
    private final Runnable renewed;

    /** @param renewed called on the event loop after a renewal (the agent re-announces itself) */
    public CredentialWatch(Vertx vertx, Keyring keyring, String host, Runnable renewed) {
        this.vertx = vertx;
        this.keyring = keyring;
        this.host = host;
        this.renewed = renewed;
    }

    /** Checks the file every 5 s and the expiry daily, from now on. */
    public void start() {
        warnIfExpiring();
        vertx.setPeriodic(CHECK_MILLIS, id -> check());
        vertx.setPeriodic(DAY_MILLIS, id -> warnIfExpiring());
    }

    private void check() {
        vertx.executeBlocking(keyring::reloadIfChanged, false).onComplete(ar -> {
            if (ar.failed()) {
                LOG.warning(host + ": the credential file changed but cannot be used (the old credential stays in "
                        + "use): " + ar.cause().getMessage());
            } else if (ar.result() != null) {
                LOG.info(host + ": credential renewed: " + ar.result());
                renewed.run();
                warnIfExpiring();
            }
        });
    }

    private void warnIfExpiring() {
        Identity self = keyring.self();
        if (self != null && self.daysLeft(Instant.now()) < EXPIRY_WARNING_DAYS) {
            LOG.warning(host + ": credential " + self + " expires in " + self.daysLeft(Instant.now())
                    + " days; renew it with deploy/tls.sh renew");
        }
    }
}
