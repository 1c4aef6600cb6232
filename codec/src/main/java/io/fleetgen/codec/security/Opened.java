package io.fleetgen.codec.security;

import io.fleetgen.codec.Decoded;
import io.fleetgen.codec.Envelope;
import io.fleetgen.codec.wire.Wire;
import io.fleetgen.codec.WireFormatException;

/**
 * A message body checked and decoded: the value, who sealed it ({@code null} in an insecure fleet) and the
 * envelope it came in. Immutable.
 */
public final class Opened<T> {
    private final T value;
    private final Identity sender;
    private final Envelope envelope;

    private Opened(T value, Identity sender, Envelope envelope) {
        this.value = value;
        this.sender = sender;
        this.envelope = envelope;
    }

    /**
     * Opens a message body as it arrives from the bus: it must be a well-formed envelope of {@code type}, with a
     * seal the keyring accepts, holding a valid {@code type}. The seal is checked before the value is decoded.
     *
     * @throws WireFormatException when the body is not an envelope of that type, or its bytes are not a valid value
     * @throws AuthException when the seal is missing or wrong
     */
    public static <T> Opened<T> of(Keyring keyring, Object body, Class<T> type)
            throws WireFormatException, AuthException {
        if (!(body instanceof Decoded)) {
            throw new WireFormatException("body: " + (body == null ? "null" : body.getClass().getSimpleName())
                    + " (expected: a Fleetgen envelope)");
        }
        Object o = ((Decoded<?>) body).get();
        if (!(o instanceof Envelope)) {
            throw new WireFormatException("body: " + o.getClass().getSimpleName() + " (expected: a Fleetgen envelope)");
        }
        Envelope e = (Envelope) o;
        if (!e.type().equals(type.getSimpleName())) {
            throw new WireFormatException("type: " + e.type() + " (expected: " + type.getSimpleName() + ")");
        }
        Identity sender = keyring.open(e);
        return new Opened<>(Wire.decode(type, e.body()), sender, e);
    }

    /** Seals a wire value for whoever receives it (signed when the keyring is secure). */
    public static Envelope seal(Keyring keyring, Object value) {
        return keyring.seal(value.getClass().getSimpleName(), Wire.encode(value));
    }

    /** Seals a wire value for one peer; {@code via} is the fingerprint of this node's credential to use or null. */
    public static Envelope sealTo(Keyring keyring, Object value, Identity peer, byte[] via) {
        return keyring.sealTo(value.getClass().getSimpleName(), Wire.encode(value), peer, via);
    }

    /** Seals a wire value for several peers at once (see {@link Keyring#sealToMany}). */
    public static Envelope sealToMany(Keyring keyring, Object value, java.util.List<Identity> peers) {
        return keyring.sealToMany(value.getClass().getSimpleName(), Wire.encode(value), peers);
    }

    /** Seals a wire value for anyone, with a code for each of the peers named (see {@link Keyring#sealForAll}). */
    public static Envelope sealForAll(Keyring keyring, Object value, java.util.List<Identity> known) {
        return keyring.sealForAll(value.getClass().getSimpleName(), Wire.encode(value), known);
    }

    public T value() {
        return value;
    }

    /** Who sealed it; {@code null} when the keyring is insecure. */
    public Identity sender() {
        return sender;
    }

    public Envelope envelope() {
        return envelope;
    }
}
