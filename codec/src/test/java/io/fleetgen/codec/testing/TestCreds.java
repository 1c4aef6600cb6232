package io.fleetgen.codec.testing;

import io.fleetgen.codec.security.CredentialRole;
import io.fleetgen.codec.security.Keyring;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The codec's test credentials (resources {@code creds/CA/NODE/}, made by deploy/tls.sh: a fleet CA with agents h1,
 * h2 and control ctl) as keyrings, for the tests of other modules: copied from the class path to a directory.
 */
public final class TestCreds {
    private TestCreds() {
    }

    /** The keyring of {@code node} of CA {@code ca} ("fleet" or "other"), its files copied under {@code dir}. */
    public static Keyring keyring(Path dir, String ca, String node, CredentialRole role) {
        Path d = dir.resolve(ca).resolve(node);
        try {
            Files.createDirectories(d);
            for (String f : new String[] {"node.p12", "node.password", "fleet-ca.crt"}) {
                try (InputStream in = TestCreds.class.getResourceAsStream("/creds/" + ca + "/" + node + "/" + f)) {
                    if (in == null) {
                        throw new IllegalArgumentException("no test credential creds/" + ca + "/" + node + "/" + f);
                    }
                    Files.copy(in, d.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Keyring.load(d.resolve("node.p12"), d.resolve("node.password"), d.resolve("fleet-ca.crt"), role, null);
    }
}
