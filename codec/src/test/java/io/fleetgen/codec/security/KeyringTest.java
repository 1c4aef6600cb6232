package io.fleetgen.codec.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.Envelope;
import io.fleetgen.codec.ErrorCode;
import io.fleetgen.codec.ValidationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seals and their checks, with credentials made by deploy/tls.sh (test resources {@code creds/}: a fleet CA with
 * agents h1, h2 and control ctl; another CA with control rogue and an agent h1).
 */
class KeyringTest {
    private static final byte[] BODY = "start sender s1 on h1".getBytes(StandardCharsets.UTF_8);

    static Path creds(String ca, String node) {
        return Path.of("src/test/resources/creds", ca, node);
    }

    static Keyring keyring(String ca, String node, CredentialRole role) {
        Path d = creds(ca, node);
        return Keyring.load(d.resolve("node.p12"), d.resolve("node.password"), creds("fleet", "h1")
                .resolve("fleet-ca.crt"), role, null);
    }

    private static AuthException refused(Keyring k, Envelope e) {
        return assertThrows(AuthException.class, () -> k.open(e));
    }

    @Test
    void anAgentOpensWhatTheControlSealedForIt() throws Exception {
        Keyring ctl = keyring("fleet", "ctl", CredentialRole.CONTROL);
        Keyring h1 = keyring("fleet", "h1", CredentialRole.AGENT);
        Envelope e = ctl.sealTo("Command", BODY, h1.self(), null);
        assertEquals(Envelope.MAC, e.kind());
        Identity sender = h1.open(e);
        assertEquals(CredentialRole.CONTROL, sender.role());
        assertEquals("ctl", sender.name());
        // and the reply, sealed back with the same pair key
        assertEquals("h1", ctl.open(h1.sealTo("Reply", BODY, sender, e.recipientFingerprint())).name());
    }

    @Test
    void aSealForOneAgentDoesNotOpenAtAnother() {
        Keyring ctl = keyring("fleet", "ctl", CredentialRole.CONTROL);
        Keyring h1 = keyring("fleet", "h1", CredentialRole.AGENT);
        Keyring h2 = keyring("fleet", "h2", CredentialRole.AGENT);
        assertEquals(ErrorCode.MISDIRECTED, refused(h2, ctl.sealTo("Command", BODY, h1.self(), null)).code());
    }

    @Test
    void anyChangedByteBreaksTheSeal() {
        Keyring ctl = keyring("fleet", "ctl", CredentialRole.CONTROL);
        Keyring h1 = keyring("fleet", "h1", CredentialRole.AGENT);
        for (Envelope e : new Envelope[] {ctl.sealTo("Command", BODY, h1.self(), null), ctl.seal("Command", BODY)}) {
            byte[] body = e.body().clone();
            body[3] ^= 1;
            assertEquals(ErrorCode.UNAUTHENTICATED, refused(h1, new Envelope(e.kind(), e.type(), body, e.cert(),
                    e.senderFingerprint(), e.recipientFingerprint(), e.tag())).code());
            assertEquals(ErrorCode.UNAUTHENTICATED, refused(h1, new Envelope(e.kind(), "Reply", e.body(), e.cert(),
                    e.senderFingerprint(), e.recipientFingerprint(), e.tag())).code(), "another type");
        }
    }

    @Test
    void aSignatureProvesTheSenderToEveryone() throws Exception {
        Keyring h1 = keyring("fleet", "h1", CredentialRole.AGENT);
        Keyring ctl = keyring("fleet", "ctl", CredentialRole.CONTROL);
        Envelope e = h1.seal("CounterEvent", BODY);
        assertEquals(Envelope.SIG, e.kind());
        Identity sender = ctl.open(e);
        assertEquals("h1", sender.name());
        assertEquals(CredentialRole.AGENT, sender.role());
        // h2's certificate with h1's signature: the fingerprint no longer matches the certificate
        Keyring h2 = keyring("fleet", "h2", CredentialRole.AGENT);
        Envelope swapped = new Envelope(e.kind(), e.type(), e.body(), h2.self().der(), h2.self().fingerprint(),
                e.recipientFingerprint(), e.tag());
        assertEquals(ErrorCode.UNAUTHENTICATED, refused(ctl, swapped).code());
    }

    @Test
    void aBroadcastSealedForSeveralAgentsOpensAtEachAndAtNoOther() throws Exception {
        Keyring ctl = keyring("fleet", "ctl", CredentialRole.CONTROL);
        Keyring h1 = keyring("fleet", "h1", CredentialRole.AGENT);
        Keyring h2 = keyring("fleet", "h2", CredentialRole.AGENT);
        Envelope both = ctl.sealToMany("Command", BODY, List.of(h1.self(), h2.self()));
        assertEquals(Envelope.MACS, both.kind());
        assertEquals(64, both.recipientFingerprint().length);
        assertEquals("ctl", h1.open(both).name());
        assertEquals("ctl", h2.open(both).name());
        Envelope onlyH1 = ctl.sealToMany("Command", BODY, List.of(h1.self()));
        AuthException other = refused(h2, onlyH1);
        assertEquals(ErrorCode.MISDIRECTED, other.code());
        assertTrue(other.getMessage().contains("sealed for 1 other node(s)"), other.getMessage());
        // h1's code under h2's fingerprint: a code proves nothing to another recipient
        Envelope moved = new Envelope(Envelope.MACS, "Command", BODY, onlyH1.cert(), onlyH1.senderFingerprint(),
                h2.self().fingerprint(), onlyH1.tag());
        assertEquals(ErrorCode.UNAUTHENTICATED, refused(h2, moved).code());
        // the same code passed off as a one-recipient MAC: the kind is covered
        Envelope asMac = new Envelope(Envelope.MAC, "Command", BODY, onlyH1.cert(), onlyH1.senderFingerprint(),
                h1.self().fingerprint(), onlyH1.tag());
        assertEquals(ErrorCode.UNAUTHENTICATED, refused(h1, asMac).code());
        Envelope changed = new Envelope(Envelope.MACS, "Command", "start sender s1 on h2".getBytes(
                StandardCharsets.UTF_8), both.cert(), both.senderFingerprint(), both.recipientFingerprint(),
                both.tag());
        assertEquals(ErrorCode.UNAUTHENTICATED, refused(h1, changed).code());
        assertEquals(ErrorCode.UNAUTHENTICATED, refused(h2, changed).code());
    }

    @Test
    void aPairKeyPreparedAheadIsNotDerivedAgainAtTheFirstMessage() throws Exception {
        Keyring ctl = keyring("fleet", "ctl", CredentialRole.CONTROL);
        Keyring h1 = keyring("fleet", "h1", CredentialRole.AGENT);
        ctl.preparePair(h1.self());
        ctl.preparePair(null);
        assertEquals(1, ctl.pairKeysDerived());
        assertEquals("ctl", h1.open(ctl.sealToMany("Command", BODY, List.of(h1.self()))).name());
        assertEquals("ctl", h1.open(ctl.sealTo("Command", BODY, h1.self(), null)).name());
        assertEquals(1, ctl.pairKeysDerived(), "the broadcast and the command used the prepared key");
        assertEquals(1, h1.pairKeysDerived());
        Keyring.insecure().preparePair(h1.self());
    }

    @Test
    void aMalformedSeveralRecipientSealIsRefusedNamingItsLengths() {
        Keyring ctl = keyring("fleet", "ctl", CredentialRole.CONTROL);
        Keyring h1 = keyring("fleet", "h1", CredentialRole.AGENT);
        Envelope e = ctl.sealToMany("Command", BODY, List.of(h1.self()));
        byte[][][] shapes = {{e.recipientFingerprint(), Arrays.copyOf(e.tag(), 31)},
            {Arrays.copyOf(e.recipientFingerprint(), 33), Arrays.copyOf(e.tag(), 33)}, {new byte[0], new byte[0]}};
        for (byte[][] shape : shapes) {
            AuthException x = refused(h1, new Envelope(Envelope.MACS, "Command", BODY, e.cert(),
                    e.senderFingerprint(), shape[0], shape[1]));
            assertEquals(ErrorCode.UNAUTHENTICATED, x.code());
            assertTrue(x.getMessage().contains(shape[0].length + " bytes of recipients and " + shape[1].length
                    + " of codes (expected: 32 bytes of each per recipient)"), x.getMessage());
        }
    }

    @Test
    void aBroadcastToNoNamedAgentsOrTooManyIsSignedAndAnInsecureOneUnsealed() {
        Keyring ctl = keyring("fleet", "ctl", CredentialRole.CONTROL);
        Keyring h1 = keyring("fleet", "h1", CredentialRole.AGENT);
        assertEquals(Envelope.SIG, ctl.sealToMany("Command", BODY, List.of()).kind());
        assertEquals(Envelope.SIG, ctl.sealToMany("Command", BODY,
                Collections.nCopies(Envelope.MAX_RECIPIENTS + 1, h1.self())).kind());
        assertEquals(Envelope.MACS, ctl.sealToMany("Command", BODY,
                Collections.nCopies(Envelope.MAX_RECIPIENTS, h1.self())).kind());
        assertEquals(Envelope.NONE, Keyring.insecure().sealToMany("Command", BODY, List.of(h1.self())).kind());
    }

    @Test
    void aCredentialFromAnotherCaIsForbidden() {
        Keyring h1 = keyring("fleet", "h1", CredentialRole.AGENT);
        Path d = creds("other", "rogue");
        Keyring rogue = Keyring.load(d.resolve("node.p12"), d.resolve("node.password"), d.resolve("fleet-ca.crt"),
                CredentialRole.CONTROL, null);
        assertEquals(ErrorCode.FORBIDDEN, refused(h1, rogue.seal("Command", BODY)).code());
        assertEquals(ErrorCode.FORBIDDEN, refused(h1, rogue.sealTo("Command", BODY, h1.self(), null)).code());
    }

    @Test
    void loadingRefusesACredentialOfTheWrongRoleOrNameOrCa() {
        Path h1 = creds("fleet", "h1");
        ValidationException role = assertThrows(ValidationException.class, () -> Keyring.load(h1.resolve("node.p12"),
                h1.resolve("node.password"), h1.resolve("fleet-ca.crt"), CredentialRole.CONTROL, null));
        assertTrue(role.getMessage().contains("fleetgen-control"), role.getMessage());
        ValidationException name = assertThrows(ValidationException.class, () -> Keyring.load(h1.resolve("node.p12"),
                h1.resolve("node.password"), h1.resolve("fleet-ca.crt"), CredentialRole.AGENT, "h2"));
        assertTrue(name.getMessage().contains("CN=h2"), name.getMessage());
        Path other = creds("other", "h1");
        ValidationException ca = assertThrows(ValidationException.class, () -> Keyring.load(
                other.resolve("node.p12"), other.resolve("node.password"), h1.resolve("fleet-ca.crt"),
                CredentialRole.AGENT, "h1"));
        assertTrue(ca.getMessage().contains("not issued by the fleet CA"), ca.getMessage());
    }

    @Test
    void aSecureKeyringRefusesUnsealedMessagesAndAnInsecureOneAcceptsAll() throws Exception {
        Keyring h1 = keyring("fleet", "h1", CredentialRole.AGENT);
        assertEquals(ErrorCode.UNAUTHENTICATED, refused(h1, Envelope.unsealed("Command", BODY)).code());
        Keyring open = Keyring.insecure();
        assertNull(open.open(Envelope.unsealed("Command", BODY)));
        assertEquals(Envelope.NONE, open.seal("Command", BODY).kind());
    }

    @Test
    void aRenewedCredentialIsPickedUpAndTheOldOneStillOpensWhatWasSealedForIt(@TempDir Path dir) throws Exception {
        for (String f : new String[] {"node.p12", "node.password", "fleet-ca.crt"}) {
            Files.copy(creds("fleet", "h1").resolve(f), dir.resolve(f));
        }
        Keyring h1 = Keyring.load(dir.resolve("node.p12"), dir.resolve("node.password"), dir.resolve("fleet-ca.crt"),
                CredentialRole.AGENT, "h1");
        Keyring ctl = keyring("fleet", "ctl", CredentialRole.CONTROL);
        Identity old = h1.self();
        Envelope inFlight = ctl.sealTo("Command", BODY, old, null);
        assertNull(h1.reloadIfChanged(), "unchanged file");
        renew(dir);
        Identity renewed = h1.reloadIfChanged();
        assertEquals("h1", renewed.name());
        assertTrue(!renewed.shortFingerprint().equals(old.shortFingerprint()));
        assertEquals("ctl", h1.open(inFlight).name(), "a command sealed for the old credential still opens");
        assertEquals("ctl", h1.open(ctl.sealTo("Command", BODY, renewed, null)).name());
        Envelope reply = h1.sealTo("Reply", BODY, ctl.self(), inFlight.recipientFingerprint());
        assertArrayEquals(old.fingerprint(), reply.senderFingerprint(), "answered with the credential addressed");
        assertTrue(renewed.daysLeft(Instant.now()) > 30);
    }

    private static void renew(Path dir) throws IOException {
        Files.copy(creds("fleet", "h1-renewed").resolve("node.p12"), dir.resolve("node.p12"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(dir.resolve("node.p12"), FileTime.from(Instant.now().plusSeconds(5)));
    }
}
