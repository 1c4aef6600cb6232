import io.fleetgen.codec.Command;
import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.Envelope;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.StreamSpec;
import io.fleetgen.codec.security.CredentialRole;
import io.fleetgen.codec.security.Identity;
import io.fleetgen.codec.security.Keyring;
import io.fleetgen.codec.security.Opened;
import java.nio.file.Path;
import java.util.Map;

/**
 * What authentication costs per command (issue 10): a start command sealed by a control for one agent (MAC from
 * the pair's ECDH key) and opened by that agent, and the same signed for the whole fleet (ECDSA). Warm-up, then
 * timed rounds; prints microseconds per seal+open. Usage (bench/seal.sh): java -cp CP SealBench.java CREDS_DIR
 */
public final class SealBench {
    public static void main(String[] args) throws Exception {
        Path creds = Path.of(args[0]);
        Keyring control = load(creds.resolve("nodes/control"), CredentialRole.CONTROL, null);
        Keyring agent = load(creds.resolve("nodes/h1"), CredentialRole.AGENT, "h1");
        Identity h1 = agent.self();
        ProfileSpec p = ProfileSpec.builder(ProfileType.CONTINUOUS, StreamSpec.fromSeed(Map.of("proto", "udp",
                "dst", "198.18.0.2"))).pps(1000).build();
        byte[] nonce = new byte[16];
        for (String mode : new String[] {"mac", "sig"}) {
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 7; round++) {
                int n = mode.equals("mac") ? 20_000 : 500;
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    nonce[0] = (byte) i;
                    Command c = Command.of(CommandOp.START_SENDER, "s" + i, p).bind("h1", System.currentTimeMillis(),
                            nonce);
                    Envelope e = mode.equals("mac") ? Opened.sealTo(control, c, h1, null) : Opened.seal(control, c);
                    agent.open(e);
                }
                long per = (System.nanoTime() - t0) / n;
                if (round >= 2) {
                    best = Math.min(best, per);
                }
            }
            System.out.printf("%s: seal + open of a start command: %.1f us (best of 5 timed rounds)%n",
                    mode.equals("mac") ? "control -> one agent (HMAC-SHA256, pair key from ECDH)"
                            : "control -> every agent (ECDSA P-256 signature)", best / 1000.0);
        }
        long t0 = System.nanoTime();
        Keyring fresh = load(creds.resolve("nodes/h2"), CredentialRole.AGENT, "h2");
        fresh.open(Opened.sealTo(control, Command.of(CommandOp.LIST, "", null).bind("h2", 0, nonce), fresh.self(),
                null));
        System.out.printf("first command of a new pair (certificate check, ECDH, key derivation, load): %.1f ms%n",
                (System.nanoTime() - t0) / 1e6);
    }

    private static Keyring load(Path dir, CredentialRole role, String name) {
        return Keyring.load(dir.resolve("node.p12"), dir.resolve("node.password"), dir.resolve("fleet-ca.crt"), role,
                name);
    }
}
