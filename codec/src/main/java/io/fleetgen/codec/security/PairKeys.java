package io.fleetgen.codec.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key two nodes share (static-static ECDH of their certificates' keys, then HMAC-SHA256 over a domain tag and
 * both fingerprints, once per pair and cached) and the HMAC-SHA256 codes made with it. Thread-safe.
 */
final class PairKeys {
    private static final byte[] PAIR_DOMAIN = "fleetgen-pair-v1".getBytes(StandardCharsets.US_ASCII);

    private final Map<String, SecretKeySpec> keys = Seals.lru();
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(PairKeys::newMac);
    private final java.util.concurrent.atomic.AtomicLong derived = new java.util.concurrent.atomic.AtomicLong();

    /** The code of one message between {@code own} and {@code peer}, over what {@link Keyring} covers. */
    byte[] code(Credential own, Identity peer, int kind, String type, byte[] sender, byte[] recipient, byte[] body)
            throws GeneralSecurityException {
        Mac mac = macs.get();
        mac.init(key(own, peer));
        Seals.feed(mac, kind, type, sender, recipient, body);
        return mac.doFinal();
    }

    /** Whether the key of this pair was derived and is still kept. */
    boolean has(Credential own, Identity peer) {
        String key = HexFormat.of().formatHex(own.identity().fingerprintRef()) + HexFormat.of().formatHex(
                peer.fingerprintRef());
        synchronized (keys) {
            return keys.containsKey(key);
        }
    }

    SecretKeySpec key(Credential own, Identity peer) throws GeneralSecurityException {
        byte[] a = own.identity().fingerprintRef();
        byte[] b = peer.fingerprintRef();
        String key = HexFormat.of().formatHex(a) + HexFormat.of().formatHex(b);
        synchronized (keys) {
            SecretKeySpec k = keys.get(key);
            if (k != null) {
                return k;
            }
        }
        derived.incrementAndGet();
        KeyAgreement ka = KeyAgreement.getInstance("ECDH");
        ka.init(own.key());
        ka.doPhase(peer.publicKey(), true);
        byte[] z = ka.generateSecret();
        Mac kdf = newMac();
        kdf.init(new SecretKeySpec(z, "HmacSHA256"));
        kdf.update(PAIR_DOMAIN);
        boolean aFirst = Arrays.compare(a, b) <= 0;
        kdf.update(aFirst ? a : b);
        kdf.update(aFirst ? b : a);
        SecretKeySpec k = new SecretKeySpec(kdf.doFinal(), "HmacSHA256");
        Arrays.fill(z, (byte) 0);
        synchronized (keys) {
            keys.put(key, k);
        }
        return k;
    }

    /** Keys derived so far (an ECDH each). */
    long derived() {
        return derived.get();
    }

    static Mac newMac() {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
