package io.fleetgen.codec.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.ErrorCode;
import io.fleetgen.codec.security.AuthException;
import io.fleetgen.codec.security.CredentialRole;
import io.fleetgen.codec.security.Keyring;
import io.fleetgen.codec.testing.TestCreds;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A member's proof of its credential: made by one node, checked by another, and each way it is refused. */
class MemberProofTest {
    private static final String CLUSTER = "fleetgen";
    private static final UUID ID = UUID.fromString("5b8f6d6e-1d41-4c1e-9c55-7c1c2d0e9a01");
    private static final String ADDRESS = "[198.19.0.2]:5701";
    private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");

    @TempDir
    static Path dir;
    private static Keyring h1;
    private static Keyring h2;
    private static Keyring control;
    private static Keyring foreign;

    @BeforeAll
    static void keyrings() {
        h1 = TestCreds.keyring(dir, "fleet", "h1", CredentialRole.AGENT);
        h2 = TestCreds.keyring(dir, "fleet", "h2", CredentialRole.AGENT);
        control = TestCreds.keyring(dir, "fleet", "ctl", CredentialRole.CONTROL);
        foreign = TestCreds.keyring(dir, "other", "h1", CredentialRole.AGENT);
    }

    private static Map<String, String> attributes(Keyring by, String role, UUID id, String address, Instant at) {
        Map<String, String> a = new HashMap<>();
        a.put(FleetgenCluster.ROLE_ATTRIBUTE, role);
        a.put(MemberProof.ATTRIBUTE, MemberProof.make(by, CLUSTER, id, address, false, role, at));
        return a;
    }

    private static String refusal(Map<String, String> attributes) {
        return refusal(attributes, ErrorCode.UNAUTHENTICATED);
    }

    private static String refusal(Map<String, String> attributes, ErrorCode code) {
        AuthException e = assertThrows(AuthException.class, () -> MemberProof.check(h1, attributes, CLUSTER, ID,
                ADDRESS, false, NOW));
        assertEquals(code, e.code());
        return e.getMessage();
    }

    @Test
    void aProofOfTheJoiningMemberOpensAndNamesItsCredential() throws Exception {
        assertEquals("h2", MemberProof.check(h1, attributes(h2, "AGENT", ID, ADDRESS, NOW), CLUSTER, ID, ADDRESS,
                false, NOW).name());
        assertEquals(CredentialRole.CONTROL, MemberProof.check(h1, attributes(control, "CONTROL", ID, ADDRESS,
                NOW.minusSeconds(599)), CLUSTER, ID, ADDRESS, false, NOW).role());
    }

    @Test
    void aMemberWithoutAProofIsRefusedNamingTheAttribute() {
        Map<String, String> none = new HashMap<>(Map.of(FleetgenCluster.ROLE_ATTRIBUTE, "AGENT"));
        assertTrue(refusal(none).startsWith("no proof of a fleet credential (member attribute fleetgen.proof"));
        none.put(MemberProof.ATTRIBUTE, "x".repeat(MemberProof.MAX_CHARS + 1));
        assertTrue(refusal(none).contains(MemberProof.MAX_CHARS + 1 + " characters (expected: at most"));
        none.put(MemberProof.ATTRIBUTE, "not base64!");
        assertTrue(refusal(none).contains("not a sealed envelope in Base64"));
    }

    @Test
    void anotherCasCredentialIsRefused() {
        String why = refusal(attributes(foreign, "AGENT", ID, ADDRESS, NOW), ErrorCode.FORBIDDEN);
        assertTrue(why.contains("CA"), why);
    }

    @Test
    void aProofMadeForAnotherMemberOrRoleIsRefused() {
        String other = refusal(attributes(h2, "AGENT", UUID.randomUUID(), ADDRESS, NOW));
        assertTrue(other.contains("made by h2 for another member") && other.contains("expected: cluster fleetgen, "
                + ID), other);
        assertTrue(refusal(attributes(h2, "AGENT", ID, "[198.19.0.249]:5701", NOW)).contains("198.19.0.249"));
        Map<String, String> claims = attributes(h2, "AGENT", ID, ADDRESS, NOW);
        claims.put(FleetgenCluster.ROLE_ATTRIBUTE, "CONTROL");
        assertTrue(refusal(claims).contains("for another member"), "the role is in the proof");
        assertEquals("a member that says it is CONTROL holds h2's AGENT credential",
                refusal(attributes(h2, "CONTROL", ID, ADDRESS, NOW)));
    }

    @Test
    void aProofOlderThanTheWindowIsRefused() {
        String stale = refusal(attributes(h2, "AGENT", ID, ADDRESS, NOW.minus(MemberProof.WINDOW).minusSeconds(1)));
        assertTrue(stale.contains("made at 2026-11-30T07:49:59Z (expected: within 10 min"), stale);
        assertTrue(refusal(attributes(h2, "AGENT", ID, ADDRESS, NOW.plus(MemberProof.WINDOW).plusSeconds(1)))
                .contains("expected: within 10 min"));
    }
}
