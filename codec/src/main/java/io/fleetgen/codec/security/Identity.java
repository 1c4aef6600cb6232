package io.fleetgen.codec.security;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A certificate issued by the fleet CA, verified: its role, its name (the subject's CN: an agent's host id, a
 * control's name), its SHA-256 fingerprint and when it expires. Immutable.
 */
public final class Identity {
    private final CredentialRole role;
    private final String name;
    private final byte[] fingerprint;
    private final X509Certificate certificate;
    private final byte[] der;

    Identity(CredentialRole role, String name, byte[] fingerprint, X509Certificate certificate, byte[] der) {
        this.role = role;
        this.name = name;
        this.fingerprint = fingerprint.clone();
        this.certificate = certificate;
        this.der = der.clone();
    }

    public CredentialRole role() {
        return role;
    }

    public String name() {
        return name;
    }

    /** SHA-256 of the certificate's DER bytes. */
    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    byte[] fingerprintRef() {
        return fingerprint;
    }

    byte[] der() {
        return der;
    }

    /** The first 8 bytes of the fingerprint in hex, for logs and errors. */
    public String shortFingerprint() {
        return HexFormat.of().formatHex(fingerprint, 0, 8);
    }

    public PublicKey publicKey() {
        return certificate.getPublicKey();
    }

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /** Whole days until the certificate expires (negative once expired). */
    public long daysLeft(Instant now) {
        return Duration.between(now, notAfter()).toDays();
    }

    @Override
    public String toString() {
        return role.unit() + " " + name + " (" + shortFingerprint() + ", until " + notAfter() + ")";
    }
}
