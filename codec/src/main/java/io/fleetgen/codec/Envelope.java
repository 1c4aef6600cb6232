package io.fleetgen.codec;

import java.util.Arrays;
import java.util.Objects;

/**
 * What travels on the bus: one encoded wire value ({@link #type()} names its class) with the proof of who sent
 * it (see {@code io.fleetgen.codec.security.Keyring}). Every Fleetgen message is an envelope, so that a
 * receiver checks its origin before it decodes anything it would act on. Immutable; the arrays are not copied.
 */
public final class Envelope {
    /** Largest certificate an envelope carries (DER). */
    public static final int MAX_CERT_BYTES = 8192;

    /** Unsealed: only an insecure fleet accepts it. */
    public static final int NONE = 0;
    /** Sealed for one recipient with a pair key (HMAC-SHA256). */
    public static final int MAC = 1;
    /** Signed by the sender's key (ECDSA), for many recipients. */
    public static final int SIG = 2;
    /**
     * Sealed for several named recipients, a pair-key HMAC-SHA256 for each: {@link #recipientFingerprint()} holds
     * their fingerprints and {@link #tag()} their codes, {@link #DIGEST_BYTES} each, in the same order. A broadcast
     * to known agents: each checks its own code in microseconds instead of a signature in a millisecond.
     */
    public static final int MACS = 3;
    /**
     * Sealed for several named recipients as {@link #MACS} is, and signed as {@link #SIG} is for everyone else:
     * {@link #tag()} holds the codes, then the signature. What an agent publishes (counter batches, announcements):
     * the controls it knows check their code in microseconds, any other control (a new one) the signature.
     */
    public static final int MACSIG = 4;
    /** Length of a certificate fingerprint (SHA-256) and of an HMAC-SHA256 code. */
    public static final int DIGEST_BYTES = 32;
    /** Most recipients of one {@link #MACS} envelope; a broadcast to more is signed instead. */
    public static final int MAX_RECIPIENTS = 1024;
    /** Longest signature (an ECDSA P-256 signature in DER is at most 72 bytes). */
    public static final int MAX_SIGNATURE_BYTES = 80;
    /** Longest type name. */
    public static final int MAX_TYPE_CHARS = 32;
    public static final byte[] NO_BYTES = new byte[0];

    private final int kind;
    private final String type;
    private final byte[] body;
    private final byte[] cert;
    private final byte[] senderFingerprint;
    private final byte[] recipientFingerprint;
    private final byte[] tag;

    public Envelope(int kind, String type, byte[] body, byte[] cert, byte[] senderFingerprint,
            byte[] recipientFingerprint, byte[] tag) {
        if (kind < NONE || kind > MACSIG) {
            throw ValidationException.of("kind", kind, "0-4");
        }
        Objects.requireNonNull(type, "type");
        if (type.isEmpty() || type.length() > MAX_TYPE_CHARS) {
            throw ValidationException.of("type", type, "1-" + MAX_TYPE_CHARS + " characters");
        }
        this.kind = kind;
        this.type = type;
        this.body = Objects.requireNonNull(body, "body");
        this.cert = orEmpty(cert);
        this.senderFingerprint = orEmpty(senderFingerprint);
        this.recipientFingerprint = orEmpty(recipientFingerprint);
        this.tag = orEmpty(tag);
    }

    /** An unsealed envelope. */
    public static Envelope unsealed(String type, byte[] body) {
        return new Envelope(NONE, type, body, NO_BYTES, NO_BYTES, NO_BYTES, NO_BYTES);
    }

    private static byte[] orEmpty(byte[] b) {
        return b == null ? NO_BYTES : b;
    }

    public int kind() {
        return kind;
    }

    /** The simple class name of the wire value in {@link #body()}. */
    public String type() {
        return type;
    }

    public byte[] body() {
        return body;
    }

    /** The sender's certificate (DER), empty when unsealed. */
    public byte[] cert() {
        return cert;
    }

    public byte[] senderFingerprint() {
        return senderFingerprint;
    }

    /**
     * For {@link #MAC}: the fingerprint of the recipient's certificate the seal is for; for {@link #MACS} and
     * {@link #MACSIG}, the recipients' fingerprints one after another.
     */
    public byte[] recipientFingerprint() {
        return recipientFingerprint;
    }

    public byte[] tag() {
        return tag;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Envelope)) {
            return false;
        }
        Envelope e = (Envelope) o;
        return kind == e.kind && type.equals(e.type) && Arrays.equals(body, e.body) && Arrays.equals(cert, e.cert)
                && Arrays.equals(senderFingerprint, e.senderFingerprint)
                && Arrays.equals(recipientFingerprint, e.recipientFingerprint) && Arrays.equals(tag, e.tag);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, type, Arrays.hashCode(body), Arrays.hashCode(tag));
    }

    @Override
    public String toString() {
        return type + " (" + new String[] {"unsealed", "mac", "sig", "macs", "macsig"}[kind] + ", " + body.length
                + " bytes)";
    }
}
