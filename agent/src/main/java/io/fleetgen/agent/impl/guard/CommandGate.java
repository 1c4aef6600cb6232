package io.fleetgen.agent.impl.guard;

import io.fleetgen.codec.Command;
import io.fleetgen.codec.ErrorCode;
import io.fleetgen.codec.WireFormatException;
import io.fleetgen.codec.security.AuthException;
import io.fleetgen.codec.security.Identity;
import io.fleetgen.codec.security.Keyring;
import io.fleetgen.codec.security.Opened;
import io.fleetgen.codec.security.CredentialRole;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides whether an agent runs a command (SPEC §9): the body must be a well-formed envelope sealed by a fleet
 * <em>control</em> credential (unless the agent runs {@code --insecure}), holding a command issued for this
 * host (or for every host, on the broadcast address), within the freshness window, with a nonce this agent has
 * not seen. It remembers the controls whose commands it admitted, the {@value #KNOWN_CONTROLS} most recent, for
 * what the agent publishes ({@link #controls()}). Confined to the agent's event loop.
 */
public final class CommandGate {
    /** Controls remembered, the most recent ones: what the agent publishes carries a code for each. */
    public static final int KNOWN_CONTROLS = 8;

    private final Keyring keyring;
    private final Map<String, Identity> controls = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Identity> eldest) {
            return size() > KNOWN_CONTROLS;
        }
    };
    private final String hostId;
    private final long windowMillis;
    private final NonceCache nonces;

    /**
     * @param windowMillis how far a command's issue time may be from this host's clock, either way
     * @param maxNonces most nonces remembered at once (commands within one window)
     */
    public CommandGate(Keyring keyring, String hostId, long windowMillis, int maxNonces) {
        this.keyring = keyring;
        this.hostId = hostId;
        this.windowMillis = windowMillis;
        this.nonces = new NonceCache(2 * windowMillis, maxNonces);
    }

    /**
     * Admits one message body.
     *
     * @param broadcast whether it arrived on the fleet-wide address
     * @throws WireFormatException when the body is not a well-formed command envelope
     * @throws AuthException when the command may not run here, with the code that says why
     */
    public Opened<Command> admit(Object body, boolean broadcast, long nowMillis)
            throws WireFormatException, AuthException {
        Opened<Command> o = Opened.of(keyring, body, Command.class);
        if (keyring.secure() && o.sender().role() != CredentialRole.CONTROL) {
            throw new AuthException(ErrorCode.FORBIDDEN, "commands from " + o.sender()
                    + " are refused (expected: a " + CredentialRole.CONTROL.unit() + " credential)");
        }
        Command c = o.value();
        String expected = broadcast ? Command.EVERY_HOST : hostId;
        if (!c.target().equals(expected)) {
            throw new AuthException(ErrorCode.MISDIRECTED, "command for " + (c.target().isEmpty() ? "no host"
                    : c.target()) + " delivered to " + hostId + (broadcast ? "'s fleet-wide address" : ""));
        }
        long skew = nowMillis - c.issuedAtMillis();
        if (Math.abs(skew) > windowMillis) {
            throw new AuthException(ErrorCode.EXPIRED, "command issued " + skew + " ms ago by this host's clock "
                    + "(expected: within " + windowMillis + " ms; are the clocks synchronised?)");
        }
        if (c.nonce().length < 8) {
            throw new AuthException(ErrorCode.REPLAYED, "nonce: " + c.nonce().length + " bytes (expected: 8-"
                    + Command.MAX_NONCE_BYTES + ")");
        }
        switch (nonces.admit(c.nonce(), c.issuedAtMillis(), nowMillis)) {
            case REPLAYED:
                throw new AuthException(ErrorCode.REPLAYED, c.op() + " " + c.name() + ": this command was run before"
                        + " (a replay)");
            case FULL:
                throw new AuthException(ErrorCode.LIMIT, "more than " + nonces.size() + " commands within "
                        + windowMillis + " ms (the agent's --max-commands-per-window)");
            default:
                if (o.sender() != null) {
                    controls.put(java.util.HexFormat.of().formatHex(o.sender().fingerprint()), o.sender());
                }
                return o;
        }
    }

    /** The controls whose commands this agent admitted, at most {@value #KNOWN_CONTROLS}, most recent last. */
    public List<Identity> controls() {
        return new ArrayList<>(controls.values());
    }
}
