package io.fleetgen.codec.security;

import io.fleetgen.codec.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;

/**
 * This node's own credential: an EC private key and its certificate from the fleet CA, read from a PKCS#12 file
 * whose password is in a separate file (never on a command line). Immutable.
 */
public final class Credential {
    private final PrivateKey key;
    private final Identity identity;

    Credential(PrivateKey key, Identity identity) {
        this.key = key;
        this.identity = identity;
    }

    public Identity identity() {
        return identity;
    }

    PrivateKey key() {
        return key;
    }

    /** Reads the password file: its first line, trimmed. */
    public static char[] readPassword(Path file, String option) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("").trim();
            return s.toCharArray();
        } catch (IOException e) {
            throw ValidationException.of(option, file, "a readable file holding the password");
        }
    }

    /** The key entry of a PKCS#12 file: its private key and certificate, not yet verified. */
    static Object[] loadEntry(Path store, char[] password, String option) {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    PrivateKey k = (PrivateKey) ks.getKey(alias, password);
                    Certificate c = ks.getCertificate(alias);
                    if (!"EC".equals(k.getAlgorithm()) || !(c instanceof X509Certificate)) {
                        throw ValidationException.of(option, store, "an EC (P-256) key and its X.509 certificate; "
                                + "make credentials with deploy/tls.sh");
                    }
                    return new Object[] {k, c};
                }
            }
            throw ValidationException.of(option, store, "a PKCS#12 file with a private key entry");
        } catch (IOException | GeneralSecurityException e) {
            throw ValidationException.of(option, store, "a PKCS#12 file readable with the password file ("
                    + e.getMessage() + ")");
        }
    }
}
