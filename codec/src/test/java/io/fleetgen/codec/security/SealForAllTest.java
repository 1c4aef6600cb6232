package io.fleetgen.codec.security;

import static io.fleetgen.codec.security.KeyringTest.keyring;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.Envelope;
import io.fleetgen.codec.ErrorCode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Envelope#MACSIG}: what an agent publishes, with a code for each control it knows and a signature for any
 * other node. The agent h1 knows the control ctl; the agent h2 stands for a node it does not know (a new control).
 */
class SealForAllTest {
    private static final byte[] BODY = new byte[400];

    static {
        for (int i = 0; i < BODY.length; i++) {
            BODY[i] = (byte) (i * 7);
        }
    }

    private final Keyring ctl = keyring("fleet", "ctl", CredentialRole.CONTROL);
    private final Keyring h1 = keyring("fleet", "h1", CredentialRole.AGENT);
    private final Keyring h2 = keyring("fleet", "h2", CredentialRole.AGENT);

    private static Envelope with(Envelope e, int kind, byte[] body, byte[] recipients, byte[] tag) {
        return new Envelope(kind, e.type(), body, e.cert(), e.senderFingerprint(), recipients, tag);
    }

    private static ErrorCode refusal(Keyring k, Envelope e) {
        return assertThrows(AuthException.class, () -> k.open(e)).code();
    }

    @Test
    void aKnownControlChecksItsCodeAndAnyOtherNodeTheSignature() throws Exception {
        Envelope e = h1.sealForAll("CounterBatch", BODY, List.of(ctl.self()));
        assertEquals(Envelope.MACSIG, e.kind());
        assertEquals("h1", ctl.open(e).name());
        assertEquals("h1", h2.open(e).name());

        byte[] badSignature = e.tag().clone();
        badSignature[40] ^= 1;
        Envelope e1 = with(e, e.kind(), e.body(), e.recipientFingerprint(), badSignature);
        assertEquals("h1", ctl.open(e1).name(), "the named control checks only its code");
        assertEquals(ErrorCode.UNAUTHENTICATED, refusal(h2, e1));

        byte[] badCode = e.tag().clone();
        badCode[3] ^= 1;
        Envelope e2 = with(e, e.kind(), e.body(), e.recipientFingerprint(), badCode);
        assertEquals("h1", h2.open(e2).name(), "another node checks only the signature");
        assertEquals(ErrorCode.UNAUTHENTICATED, refusal(ctl, e2));
    }

    @Test
    void aChangedBodyKindOrListOfRecipientsIsRefusedEitherWay() {
        Envelope e = h1.sealForAll("CounterBatch", BODY, List.of(ctl.self()));
        byte[] body = BODY.clone();
        body[100] ^= 1;
        Envelope changed = with(e, e.kind(), body, e.recipientFingerprint(), e.tag());
        assertEquals(ErrorCode.UNAUTHENTICATED, refusal(ctl, changed));
        assertEquals(ErrorCode.UNAUTHENTICATED, refusal(h2, changed));
        // The signature alone, passed off as a plain signed message; the codes alone, as a MACS broadcast.
        byte[] sig = Arrays.copyOfRange(e.tag(), Envelope.DIGEST_BYTES, e.tag().length);
        assertEquals(ErrorCode.UNAUTHENTICATED, refusal(h2, with(e, Envelope.SIG, BODY, Envelope.NO_BYTES, sig)));
        byte[] codes = Arrays.copyOf(e.tag(), Envelope.DIGEST_BYTES);
        assertEquals(ErrorCode.UNAUTHENTICATED, refusal(ctl, with(e, Envelope.MACS, BODY,
                e.recipientFingerprint(), codes)));
        // 256 bytes of the body moved into the list of recipients (eight more "fingerprints"), the codes padded:
        // the signature covers the list's digest, not its bytes, so nothing can move between the two.
        byte[] recipients = Arrays.copyOf(e.recipientFingerprint(), Envelope.DIGEST_BYTES + 256);
        System.arraycopy(BODY, 0, recipients, Envelope.DIGEST_BYTES, 256);
        byte[] tag = new byte[recipients.length + sig.length];
        System.arraycopy(sig, 0, tag, recipients.length, sig.length);
        assertEquals(ErrorCode.UNAUTHENTICATED, refusal(h2, with(e, e.kind(), Arrays.copyOfRange(BODY, 256,
                BODY.length), recipients, tag)));
        // ctl dropped from the list: now checked by the signature, which covered the list
        assertEquals(ErrorCode.UNAUTHENTICATED, refusal(ctl, with(e, e.kind(), BODY, h2.self().fingerprint(),
                e.tag())));
    }

    @Test
    void aSignatureMissingOrTooLongIsRefusedNamingTheLengths() {
        Envelope e = h1.sealForAll("CounterBatch", BODY, List.of(ctl.self()));
        for (int sig : new int[] {0, Envelope.MAX_SIGNATURE_BYTES + 1}) {
            AuthException x = assertThrows(AuthException.class, () -> h2.open(with(e, e.kind(), BODY,
                    e.recipientFingerprint(), Arrays.copyOf(e.tag(), Envelope.DIGEST_BYTES + sig))));
            assertEquals(ErrorCode.UNAUTHENTICATED, x.code());
            assertTrue(x.getMessage().contains("32 bytes of recipients and " + (32 + sig) + " of codes (expected: "
                    + "32 bytes of each per recipient, then a signature)"), x.getMessage());
        }
    }

    @Test
    void onlyASealNamingThisNodeFromAVerifiedSenderOpensByCode() throws Exception {
        Envelope e = h1.sealForAll("CounterBatch", BODY, List.of(ctl.self()));
        assertFalse(ctl.opensByCode(e), "h1's certificate not verified here yet, nor the pair key derived");
        ctl.open(e);
        assertTrue(ctl.opensByCode(e));
        h2.open(e);
        assertFalse(h2.opensByCode(e), "another node checks the signature");
        assertFalse(ctl.opensByCode(h1.seal("CounterBatch", BODY)));
        // A certificate never verified here (another CA's h1, same name) behind a seal naming ctl: not cheap, and
        // refused when opened (on a worker).
        Path d = KeyringTest.creds("other", "h1");
        Keyring otherCa = Keyring.load(d.resolve("node.p12"), d.resolve("node.password"), d.resolve("fleet-ca.crt"),
                CredentialRole.AGENT, null);
        Envelope forged = new Envelope(e.kind(), e.type(), BODY, otherCa.self().der(), otherCa.self().fingerprint(),
                e.recipientFingerprint(), e.tag());
        assertFalse(ctl.opensByCode(forged));
        assertEquals(ErrorCode.FORBIDDEN, refusal(ctl, forged));
        Envelope command = ctl.sealTo("Command", BODY, h1.self(), null);
        assertFalse(h1.opensByCode(command));
        h1.open(command);
        assertTrue(h1.opensByCode(command));
        assertTrue(Keyring.insecure().opensByCode(e), "an insecure node checks nothing");
    }

    @Test
    void withNoKnownControlItIsSignedAndInsecureUnsealed() throws Exception {
        Envelope e = h1.sealForAll("CounterBatch", BODY, List.of());
        assertEquals(Envelope.SIG, e.kind());
        assertEquals("h1", ctl.open(e).name());
        assertEquals(Envelope.NONE, Keyring.insecure().sealForAll("CounterBatch", BODY, List.of(ctl.self())).kind());
    }
}
