package io.fleetgen.codec.security;

import io.fleetgen.codec.ErrorCode;
import io.fleetgen.codec.ValidationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Certificates checked against the fleet CA, once each: issued by a trusted CA, valid now, not a CA themselves, with
 * a Fleetgen role and a name. Verified identities are kept by fingerprint (bounded). Thread-safe.
 */
final class Identities {
    private final List<X509Certificate> anchors;
    private final Map<String, Identity> verified = Seals.lru();

    Identities(List<X509Certificate> anchors) {
        this.anchors = anchors;
    }

    /**
     * The verified identity of a certificate: issued by a trusted CA, valid now, not a CA, with a role.
     *
     * @throws AuthException naming what is wrong
     */
    Identity identity(byte[] der) throws AuthException {
        if (der.length == 0 || der.length > Keyring.MAX_CERT_BYTES) {
            throw new AuthException(ErrorCode.UNAUTHENTICATED, "certificate: " + der.length + " bytes (expected: 1-"
                    + Keyring.MAX_CERT_BYTES + ")");
        }
        byte[] fp = Seals.sha256(der);
        String key = HexFormat.of().formatHex(fp);
        Identity id;
        synchronized (verified) {
            id = verified.get(key);
        }
        if (id == null) {
            id = verify(der, fp);
            synchronized (verified) {
                verified.put(key, id);
            }
        }
        Instant now = Instant.now();
        if (id.notAfter().isBefore(now)) {
            throw new AuthException(ErrorCode.UNAUTHENTICATED, id + ": certificate expired");
        }
        return id;
    }

    /** The fleet CA's certificates from a PEM file (the trust anchors). */
    static List<X509Certificate> readAnchors(Path ca) {
        try (InputStream in = Files.newInputStream(ca)) {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw ValidationException.of("fleet-ca", ca, "a PEM file with the fleet CA certificate");
            }
            return List.copyOf(out);
        } catch (IOException | GeneralSecurityException e) {
            throw ValidationException.of("fleet-ca", ca, "a PEM file with the fleet CA certificate");
        }
    }

    /** The identity of a certificate verified before and still kept, else {@code null}; verifies nothing. */
    Identity cached(byte[] der) {
        if (der.length == 0 || der.length > Keyring.MAX_CERT_BYTES) {
            return null;
        }
        String key = HexFormat.of().formatHex(Seals.sha256(der));
        synchronized (verified) {
            return verified.get(key);
        }
    }

    private Identity verify(byte[] der, byte[] fp) throws AuthException {
        X509Certificate c;
        try {
            c = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            c.checkValidity();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new AuthException(ErrorCode.UNAUTHENTICATED, "certificate: " + e.getMessage());
        }
        String subject = c.getSubjectX500Principal().getName();
        boolean issued = false;
        for (X509Certificate a : anchors) {
            if (a.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
                try {
                    c.verify(a.getPublicKey());
                    issued = true;
                    break;
                } catch (GeneralSecurityException | RuntimeException e) {
                    // Try the next anchor with the same name.
                }
            }
        }
        if (!issued) {
            throw new AuthException(ErrorCode.FORBIDDEN, "certificate " + subject
                    + " was not issued by the fleet CA");
        }
        if (c.getBasicConstraints() >= 0) {
            throw new AuthException(ErrorCode.FORBIDDEN, "certificate " + subject + " is a CA, not a node");
        }
        CredentialRole role = null;
        String cn = null;
        try {
            for (Rdn rdn : new LdapName(subject).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("OU")) {
                    role = CredentialRole.ofUnit(String.valueOf(rdn.getValue()));
                } else if (rdn.getType().equalsIgnoreCase("CN")) {
                    cn = String.valueOf(rdn.getValue());
                }
            }
        } catch (InvalidNameException e) {
            throw new AuthException(ErrorCode.FORBIDDEN, "certificate subject " + subject + ": " + e.getMessage());
        }
        if (role == null || cn == null) {
            throw new AuthException(ErrorCode.FORBIDDEN, "certificate " + subject
                    + " has no Fleetgen role (expected: OU=fleetgen-agent or OU=fleetgen-control, and a CN)");
        }
        return new Identity(role, cn, fp, c, der);
    }
}
