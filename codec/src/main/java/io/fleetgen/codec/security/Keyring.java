package io.fleetgen.codec.security;

import io.fleetgen.codec.Envelope;
import io.fleetgen.codec.ErrorCode;
import io.fleetgen.codec.ValidationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Proves and checks who sent a message (SPEC §9). Each node holds one credential (an EC key and a certificate
 * from the fleet CA with its {@link CredentialRole}) and trusts the CA's certificates.
 *
 * <p>Four ways to seal an {@link Envelope}: <b>MAC</b> for request/reply between one control and one agent,
 * with a key both derive from static-static ECDH of their certificates' keys (once per pair, then HMAC-SHA256
 * per message: microseconds, where an ECDSA verification costs a millisecond on the hosts measured);
 * <b>MACS</b>, the same code for each of several named recipients, for a broadcast to agents the control knows;
 * <b>SIG</b> (ECDSA P-256) for what goes to anyone: broadcasts to unnamed agents; and <b>MACSIG</b>, codes for the
 * recipients the sender knows and a signature for the others, for what an agent publishes (announcements, counter
 * batches: the controls that commanded it check a code, a control new to it the signature). Each covers a domain
 * tag, the seal's kind, the message type, the sender's and the recipient's certificate fingerprints (a signature
 * over several: their digest) and the body, so a sealed message cannot be passed off as another type, another kind,
 * from another sender or to another recipient; a MACS code for one recipient proves nothing to another.
 *
 * <p>An insecure keyring (no credential, the agent's {@code --insecure}) seals nothing and accepts anything;
 * a secure one refuses unsealed messages. Thread-safe.
 */
public final class Keyring {
    /** Largest certificate accepted in an envelope, in bytes. */
    public static final int MAX_CERT_BYTES = io.fleetgen.codec.Envelope.MAX_CERT_BYTES;
    /** Verified certificates and pair keys kept, each. */
    static final int CACHE_ENTRIES = 4096;

    private final Path store;
    private final Path passwordFile;
    private final CredentialRole expectedRole;
    private final String expectedName;
    private volatile Credential current;
    private volatile Credential previous;
    private FileTime storeTime;
    private final Identities identities;
    private final PairKeys pairs = new PairKeys();

    private Keyring(List<X509Certificate> anchors, Path store, Path passwordFile, CredentialRole role, String name) {
        this.identities = new Identities(anchors);
        this.store = store;
        this.passwordFile = passwordFile;
        this.expectedRole = role;
        this.expectedName = name;
    }

    /** A keyring with no credential: seals nothing, accepts every message unauthenticated. */
    public static Keyring insecure() {
        return new Keyring(List.of(), null, null, null, null);
    }

    /**
     * Loads this node's credential and the fleet CA.
     *
     * @param store PKCS#12 file with this node's key and certificate
     * @param passwordFile file holding the store's password
     * @param ca PEM file with the fleet CA certificate(s)
     * @param role the role this node's certificate must carry
     * @param name the CN it must carry (an agent's host id), or {@code null} for any
     * @throws ValidationException naming the option to change
     */
    public static Keyring load(Path store, Path passwordFile, Path ca, CredentialRole role, String name) {
        Keyring k = new Keyring(Identities.readAnchors(ca), store, passwordFile, role, name);
        k.current = k.loadCredential();
        try {
            k.storeTime = Files.getLastModifiedTime(store);
        } catch (IOException e) {
            throw ValidationException.of("credential", store, "a readable file");
        }
        return k;
    }

    private Credential loadCredential() {
        Object[] entry = Credential.loadEntry(store, Credential.readPassword(passwordFile, "credential-password-file"),
                "credential");
        X509Certificate cert = (X509Certificate) entry[1];
        Identity id;
        try {
            id = identity(cert.getEncoded());
        } catch (GeneralSecurityException e) {
            throw ValidationException.of("credential", store, "a certificate: " + e.getMessage());
        } catch (AuthException e) {
            throw ValidationException.of("credential", store, "a certificate the fleet CA issued: "
                    + e.getMessage());
        }
        if (id.role() != expectedRole) {
            throw ValidationException.of("credential", store + " (" + id + ")", "a " + expectedRole.unit()
                    + " credential (deploy/tls.sh issue " + expectedRole.name().toLowerCase() + " ...)");
        }
        if (expectedName != null && !expectedName.equals(id.name())) {
            throw ValidationException.of("credential", store + " (CN=" + id.name() + ")", "CN=" + expectedName
                    + ", this host's id");
        }
        return new Credential((PrivateKey) entry[0], id);
    }

    /**
     * Reloads the credential when its file changed (a renewal); the previous one stays valid for messages
     * addressed to it, so that nothing in flight is refused.
     *
     * @return the new identity, or {@code null} when nothing changed
     * @throws ValidationException when the new file is not a valid credential (the old one stays in use)
     */
    public synchronized Identity reloadIfChanged() {
        if (store == null) {
            return null;
        }
        FileTime t;
        try {
            t = Files.getLastModifiedTime(store);
        } catch (IOException e) {
            return null;
        }
        if (t.equals(storeTime)) {
            return null;
        }
        Credential c = loadCredential();
        storeTime = t;
        if (Arrays.equals(c.identity().fingerprintRef(), current.identity().fingerprintRef())) {
            return null;
        }
        previous = current;
        current = c;
        return c.identity();
    }

    public boolean secure() {
        return store != null;
    }

    /** This node's identity, or {@code null} when insecure. */
    public Identity self() {
        Credential c = current;
        return c == null ? null : c.identity();
    }

    /** A message for whoever receives it: signed (SIG) when secure, else unsealed. */
    public Envelope seal(String type, byte[] body) {
        Credential c = current;
        if (c == null) {
            return Envelope.unsealed(type, body);
        }
        byte[] fp = c.identity().fingerprintRef();
        return new Envelope(Envelope.SIG, type, body, c.identity().der(), fp, Envelope.NO_BYTES,
                Seals.sign(c.key(), Envelope.SIG, type, fp, Envelope.NO_BYTES, body));
    }

    /**
     * A message for one peer (MAC) when secure, else unsealed.
     *
     * @param peer the recipient's identity
     * @param via the fingerprint of this node's credential to use (the one the peer addressed), or
     *     {@code null} for the current one
     */
    public Envelope sealTo(String type, byte[] body, Identity peer, byte[] via) {
        Credential c = current;
        if (c == null || peer == null) {
            return Envelope.unsealed(type, body);
        }
        Credential own = via == null ? c : own(via);
        if (own == null) {
            own = c;
        }
        byte[] fp = own.identity().fingerprintRef();
        try {
            return new Envelope(Envelope.MAC, type, body, own.identity().der(), fp, peer.fingerprintRef(),
                    pairs.code(own, peer, Envelope.MAC, type, fp, peer.fingerprintRef(), body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("mac: " + e.getMessage(), e);
        }
    }

    /** Derives the key shared with {@code peer} (one ECDH) ahead of the first message; none when insecure. */
    public void preparePair(Identity peer) {
        Credential c = current;
        if (c == null || peer == null) {
            return;
        }
        try {
            pairs.key(c, peer);
        } catch (GeneralSecurityException e) {
            // Derived again at the first message, which then fails with the reason.
        }
    }

    long pairKeysDerived() {
        return pairs.derived();
    }

    /**
     * A message for several peers at once ({@link Envelope#MACS}: a pair-key code for each, every code covering
     * that peer's fingerprint) when secure, else unsealed. Signed instead (SIG) when there are none or more than
     * {@link Envelope#MAX_RECIPIENTS}.
     */
    public Envelope sealToMany(String type, byte[] body, List<Identity> peers) {
        return sealToMany(type, body, peers, false);
    }

    /**
     * A message for anyone that the peers named check faster ({@link Envelope#MACSIG}: a pair-key code for each, and
     * a signature for every other node) when secure, else unsealed; signed only (SIG) when none are named or more
     * than {@link Envelope#MAX_RECIPIENTS}.
     */
    public Envelope sealForAll(String type, byte[] body, List<Identity> known) {
        return sealToMany(type, body, known, true);
    }

    private Envelope sealToMany(String type, byte[] body, List<Identity> peers, boolean signed) {
        Credential c = current;
        if (c == null || peers.isEmpty() || peers.size() > Envelope.MAX_RECIPIENTS) {
            return seal(type, body);
        }
        int kind = signed ? Envelope.MACSIG : Envelope.MACS;
        byte[] fp = c.identity().fingerprintRef();
        byte[] recipients = new byte[peers.size() * Envelope.DIGEST_BYTES];
        byte[] codes = new byte[recipients.length];
        try {
            for (int i = 0; i < peers.size(); i++) {
                byte[] to = peers.get(i).fingerprintRef();
                System.arraycopy(to, 0, recipients, i * Envelope.DIGEST_BYTES, Envelope.DIGEST_BYTES);
                System.arraycopy(pairs.code(c, peers.get(i), kind, type, fp, to, body), 0, codes,
                        i * Envelope.DIGEST_BYTES, Envelope.DIGEST_BYTES);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("mac: " + e.getMessage(), e);
        }
        if (signed) {
            // The signature covers the recipients' digest (fixed length: no bytes can move between them and the body).
            byte[] sig = Seals.sign(c.key(), kind, type, fp, Seals.sha256(recipients), body);
            byte[] tag = Arrays.copyOf(codes, codes.length + sig.length);
            System.arraycopy(sig, 0, tag, codes.length, sig.length);
            codes = tag;
        }
        return new Envelope(kind, type, body, c.identity().der(), fp, recipients, codes);
    }

    /**
     * Checks a message's seal.
     *
     * @return who sealed it, or {@code null} when this keyring is insecure (nothing is proven then)
     * @throws AuthException when the message is unsealed, its certificate is not the fleet CA's, or its seal is
     *     wrong
     */
    public Identity open(Envelope e) throws AuthException {
        if (!secure()) {
            return null;
        }
        if (e.kind() == Envelope.NONE) {
            throw new AuthException(ErrorCode.UNAUTHENTICATED, "unsealed " + e.type()
                    + " (expected: sealed with a fleet credential; this fleet does not run --insecure)");
        }
        Identity sender = identity(e.cert());
        if (!MessageDigest.isEqual(sender.fingerprintRef(), e.senderFingerprint())) {
            throw new AuthException(ErrorCode.UNAUTHENTICATED, e.type() + ": sender fingerprint does not match "
                    + "its certificate");
        }
        if (e.kind() == Envelope.SIG) {
            checkSignature(e, sender, e.recipientFingerprint(), e.tag());
            return sender;
        }
        if (e.kind() == Envelope.MACS || e.kind() == Envelope.MACSIG) {
            return openMany(e, sender);
        }
        Credential own = own(e.recipientFingerprint());
        if (own == null) {
            throw new AuthException(ErrorCode.MISDIRECTED, e.type() + " from " + sender.name()
                    + " is sealed for another node's credential");
        }
        checkCode(e, sender, own, e.recipientFingerprint(), e.tag());
        return sender;
    }

    /**
     * A {@link Envelope#MACS} or {@link Envelope#MACSIG} seal: the code of the first recipient that is this node,
     * checked; for MACSIG, when none is, the signature after the codes.
     */
    private Identity openMany(Envelope e, Identity sender) throws AuthException {
        byte[] to = e.recipientFingerprint();
        int n = to.length / Envelope.DIGEST_BYTES;
        boolean signed = e.kind() == Envelope.MACSIG;
        int sig = e.tag().length - to.length;
        if (n == 0 || to.length % Envelope.DIGEST_BYTES != 0 || (signed ? sig < 1 || sig > Envelope.MAX_SIGNATURE_BYTES
                : sig != 0)) {
            throw new AuthException(ErrorCode.UNAUTHENTICATED, e.type() + " from " + sender.name() + ": "
                    + to.length + " bytes of recipients and " + e.tag().length + " of codes (expected: "
                    + Envelope.DIGEST_BYTES + " bytes of each per recipient" + (signed ? ", then a signature)" : ")"));
        }
        int i = ownRecipient(to);
        if (i >= 0) {
            checkCode(e, sender, own(recipient(to, i)), recipient(to, i), recipient(e.tag(), i));
            return sender;
        }
        if (signed) {
            checkSignature(e, sender, Seals.sha256(to), Arrays.copyOfRange(e.tag(), to.length, e.tag().length));
            return sender;
        }
        throw new AuthException(ErrorCode.MISDIRECTED, e.type() + " from " + sender.name() + " is sealed for " + n
                + " other node(s)");
    }

    private static void checkSignature(Envelope e, Identity sender, byte[] recipients, byte[] signature)
            throws AuthException {
        if (!Seals.verify(sender.publicKey(), e.kind(), e.type(), e.senderFingerprint(), recipients, e.body(),
                signature)) {
            throw new AuthException(ErrorCode.UNAUTHENTICATED, e.type() + " from " + sender.name() + ": bad signature");
        }
    }

    private void checkCode(Envelope e, Identity sender, Credential own, byte[] recipient, byte[] tag)
            throws AuthException {
        byte[] expected;
        try {
            expected = pairs.code(own, sender, e.kind(), e.type(), e.senderFingerprint(), recipient, e.body());
        } catch (GeneralSecurityException x) {
            throw new AuthException(ErrorCode.UNAUTHENTICATED, e.type() + " from " + sender.name() + ": "
                    + x.getMessage());
        }
        if (!MessageDigest.isEqual(expected, tag)) {
            throw new AuthException(ErrorCode.UNAUTHENTICATED, e.type() + " from " + sender.name()
                    + ": bad message authentication code");
        }
    }

    /**
     * Whether {@link #open} would take microseconds here: insecure, or a MAC, MACS or MACSIG seal naming this node
     * from a sender whose certificate was verified before and with whom the pair key is already derived. Anything
     * else may cost a certificate check or a signature (about a millisecond each): a forged certificate, new each
     * time, must not be checked where that blocks. Says nothing of whether it opens.
     */
    public boolean opensByCode(Envelope e) {
        if (!secure()) {
            return true;
        }
        Identity sender = identities.cached(e.cert());
        if (sender == null) {
            return false;
        }
        if (e.kind() == Envelope.MAC) {
            Credential own = own(e.recipientFingerprint());
            return own != null && pairs.has(own, sender);
        }
        if (e.kind() != Envelope.MACS && e.kind() != Envelope.MACSIG) {
            return false;
        }
        int i = ownRecipient(e.recipientFingerprint());
        return i >= 0 && pairs.has(own(recipient(e.recipientFingerprint(), i)), sender);
    }

    /** The index of the first of several recipients' fingerprints that is one of this node's credentials, or -1. */
    private int ownRecipient(byte[] recipients) {
        for (int i = 0; (i + 1) * Envelope.DIGEST_BYTES <= recipients.length; i++) {
            if (own(recipient(recipients, i)) != null) {
                return i;
            }
        }
        return -1;
    }

    /** The {@code i}-th fingerprint (or code) of a list of them. */
    private static byte[] recipient(byte[] list, int i) {
        return Arrays.copyOfRange(list, i * Envelope.DIGEST_BYTES, (i + 1) * Envelope.DIGEST_BYTES);
    }

    private Credential own(byte[] fp) {
        Credential c = current;
        if (c != null && MessageDigest.isEqual(c.identity().fingerprintRef(), fp)) {
            return c;
        }
        Credential p = previous;
        if (p != null && MessageDigest.isEqual(p.identity().fingerprintRef(), fp)
                && p.identity().notAfter().isAfter(Instant.now())) {
            return p;
        }
        return null;
    }

    /**
     * The verified identity of a certificate: issued by a trusted CA, valid now, not a CA, with a role.
     *
     * @throws AuthException naming what is wrong
     */
    public Identity identity(byte[] der) throws AuthException {
        return identities.identity(der);
    }
}
