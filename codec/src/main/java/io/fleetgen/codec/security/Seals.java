package io.fleetgen.codec.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;

/**
 * What every seal of {@link Keyring} covers, and the signatures (ECDSA P-256 over SHA-256) made over it: a domain
 * tag, the seal's kind, the message type, the sender's and the recipients' fingerprints, the body. Stateless.
 */
final class Seals {
    private static final byte[] DOMAIN = "fleetgen-envelope-v1".getBytes(StandardCharsets.US_ASCII);
    private static final String ALGORITHM = "SHA256withECDSA";

    private Seals() {
    }

    static byte[] sign(PrivateKey key, int kind, String type, byte[] sender, byte[] recipients, byte[] body) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            feed(s, kind, type, sender, recipients, body);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sign: " + e.getMessage(), e);
        }
    }

    /** Whether {@code signature} is the sender's over what the seal covers; a malformed one is not. */
    static boolean verify(PublicKey key, int kind, String type, byte[] sender, byte[] recipients, byte[] body,
            byte[] signature) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            feed(s, kind, type, sender, recipients, body);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static void feed(Object sink, int kind, String type, byte[] sender, byte[] recipient, byte[] body) {
        byte[] t = type.getBytes(StandardCharsets.UTF_8);
        // One byte each for the lengths: a longer list of recipients is still covered in full (its bytes follow).
        byte[] head = {(byte) kind, (byte) t.length, (byte) sender.length, (byte) recipient.length};
        for (byte[] part : List.of(DOMAIN, head, t, sender, recipient, body)) {
            if (sink instanceof Mac) {
                ((Mac) sink).update(part);
            } else {
                try {
                    ((Signature) sink).update(part);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > Keyring.CACHE_ENTRIES;
            }
        };
    }
}
