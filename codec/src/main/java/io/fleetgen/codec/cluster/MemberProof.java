package io.fleetgen.codec.cluster;

import io.fleetgen.codec.Envelope;
import io.fleetgen.codec.ErrorCode;
import io.fleetgen.codec.WireFormatException;
import io.fleetgen.codec.security.AuthException;
import io.fleetgen.codec.security.Identity;
import io.fleetgen.codec.security.Keyring;
import io.fleetgen.codec.wire.Wire;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/**
 * A member's proof that a fleet credential started it: a member attribute that its join request carries, an
 * {@link Envelope} signed with the node's credential over the cluster name, the member's UUID, its member address,
 * whether it is a lite member, its role and when it was made. A master admits a member only with a proof that its
 * keyring opens (a certificate from the fleet CA, valid, of the role the member says it has) and whose fields are
 * the join request's own. Hazelcast's open-source membership has no authentication: without this anyone who reached
 * port 5701 with the cluster name joined as a member (and could, for one, shut the cluster down).
 *
 * <p>The proof is made again before each join (a split-brain merge gives the member a new UUID) and is accepted for
 * {@link #WINDOW} after it was made: a join may take minutes (Hazelcast's join rounds, a merge), and a copy of a proof
 * (the member protocol is plain text) names the UUID and address of the member that made it, so it can only make a
 * join of that same member again.
 */
final class MemberProof {
    /** The member attribute that holds the proof; the master removes it once it has checked it. */
    static final String ATTRIBUTE = "fleetgen.proof";
    /** How long after it was made a proof is accepted (and how far ahead of the master's clock). */
    static final Duration WINDOW = Duration.ofMinutes(10);
    /** The longest proof read: a certificate (at most {@link Envelope#MAX_CERT_BYTES}) and a signature, in Base64. */
    static final int MAX_CHARS = 4 * (Envelope.MAX_CERT_BYTES + 1024) / 3;
    private static final String TYPE = "MemberJoin";
    private static final String DOMAIN = "fleetgen-member-join-v1";

    private MemberProof() {
    }

    /** The proof of a member with these fields, signed with {@code keyring}'s credential. */
    static String make(Keyring keyring, String cluster, UUID uuid, String address, boolean lite, String role,
            Instant now) {
        Envelope e = keyring.seal(TYPE, body(cluster, uuid, address, lite, role, now.toEpochMilli()));
        return Base64.getEncoder().encodeToString(Wire.encode(e));
    }

    private static byte[] body(String cluster, UUID uuid, String address, boolean lite, String role, long millis) {
        return String.join("\n", DOMAIN, cluster, String.valueOf(uuid), address, Boolean.toString(lite),
                String.valueOf(role), Long.toString(millis)).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The identity that made the proof among {@code attributes}, for a member with these fields.
     *
     * @throws AuthException naming what is missing or wrong, and what was expected
     */
    static Identity check(Keyring keyring, Map<String, String> attributes, String cluster, UUID uuid,
            String address, boolean lite, Instant now) throws AuthException {
        String proof = attributes == null ? null : attributes.get(ATTRIBUTE);
        if (proof == null) {
            throw refused("no proof of a fleet credential (member attribute " + ATTRIBUTE + "; expected: a member "
                    + "started by Fleetgen with a credential from this fleet's CA)");
        }
        if (proof.length() > MAX_CHARS) {
            throw refused(ATTRIBUTE + ": " + proof.length() + " characters (expected: at most " + MAX_CHARS + ")");
        }
        Envelope e;
        try {
            e = Wire.decode(Envelope.class, Base64.getDecoder().decode(proof));
        } catch (IllegalArgumentException | WireFormatException x) {
            throw refused(ATTRIBUTE + ": not a sealed envelope in Base64 (" + x.getMessage() + ")");
        }
        if (e.kind() != Envelope.SIG || !TYPE.equals(e.type())) {
            throw refused(ATTRIBUTE + ": a " + e.type() + " envelope of kind " + e.kind() + " (expected: a "
                    + TYPE + " signed with the member's credential)");
        }
        Identity who = keyring.open(e);
        String[] f = new String(e.body(), StandardCharsets.UTF_8).split("\n", -1);
        long made = f.length == 7 ? parseMillis(f[6]) : Long.MIN_VALUE;
        String role = String.valueOf(attributes.get(FleetgenCluster.ROLE_ATTRIBUTE));
        if (made == Long.MIN_VALUE || !Arrays.equals(e.body(), body(cluster, uuid, address, lite, role,
                made))) {
            throw refused(ATTRIBUTE + ": made by " + who.name() + " for another member (" + String.join(" ",
                    f).replace(DOMAIN + " ", "") + "; expected: cluster " + cluster + ", " + uuid + ", " + address
                    + ", lite " + lite + ", role " + role + ")");
        }
        if (!role.equals(who.role().name())) {
            throw refused("a member that says it is " + role + " holds " + who.name() + "'s " + who.role()
                    + " credential");
        }
        Instant at = Instant.ofEpochMilli(made);
        if (at.isBefore(now.minus(WINDOW)) || at.isAfter(now.plus(WINDOW))) {
            throw refused(ATTRIBUTE + ": made at " + at + " (expected: within " + WINDOW.toMinutes()
                    + " min of this member's clock, " + now + ")");
        }
        return who;
    }

    private static long parseMillis(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    private static AuthException refused(String why) {
        return new AuthException(ErrorCode.UNAUTHENTICATED, why);
    }
}
