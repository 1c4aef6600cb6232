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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What authentication costs per command (issue 10): a start command sealed by a control for one agent (MAC from
 * the pair's ECDH key) and opened by that agent, the same signed for the whole fleet (ECDSA), and sealed for 32
 * named agents (a code each). Warm-up, then timed rounds; prints microseconds per seal and per open.
 * Usage (bench/seal.sh): java -cp CP SealBench.java CREDS_DIR
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
        Keyring other = load(creds.resolve("nodes/h2"), CredentialRole.AGENT, "h2");
        // A broadcast to 32 named agents, this one last: the control seals 32 codes, the agent finds its own.
        List<Identity> many = new ArrayList<>(Collections.nCopies(31, other.self()));
        many.add(h1);
        // What an agent publishes (counter batches, announcements): a code for the control it knows and a signature.
        List<Identity> known = List.of(control.self());
        for (String mode : new String[] {"mac", "sig", "macs", "macsig", "macsig-new"}) {
            long bestSeal = Long.MAX_VALUE;
            long bestOpen = Long.MAX_VALUE;
            for (int round = 0; round < 7; round++) {
                int n = mode.equals("sig") || mode.startsWith("macsig") ? 500 : 20_000;
                long seal = 0;
                long open = 0;
                for (int i = 0; i < n; i++) {
                    nonce[0] = (byte) i;
                    Command c = Command.of(CommandOp.START_SENDER, "s" + i, p).bind("h1", System.currentTimeMillis(),
                            nonce);
                    long t0 = System.nanoTime();
                    Envelope e = mode.equals("mac") ? Opened.sealTo(control, c, h1, null)
                            : mode.equals("sig") ? Opened.seal(control, c)
                            : mode.startsWith("macsig") ? Opened.sealForAll(agent, c, known)
                            : Opened.sealToMany(control, c, many);
                    long t1 = System.nanoTime();
                    (mode.equals("macsig") ? control : mode.equals("macsig-new") ? other : agent).open(e);
                    seal += t1 - t0;
                    open += System.nanoTime() - t1;
                }
                if (round >= 2) {
                    bestSeal = Math.min(bestSeal, seal / n);
                    bestOpen = Math.min(bestOpen, open / n);
                }
            }
            String what = mode.equals("mac") ? "control -> one agent (HMAC-SHA256, pair key from ECDH)"
                    : mode.equals("sig") ? "control -> every agent (ECDSA P-256 signature)"
                    : mode.equals("macsig") ? "agent -> anyone (code for its control + signature), opened by it"
                    : mode.equals("macsig-new") ? "agent -> anyone (code for its control + signature), opened by another"
                    : "control -> 32 named agents (a pair-key HMAC-SHA256 each)";
            System.out.printf("%s: seal %.1f us + open %.1f us = %.1f us (best of 5 timed rounds)%n",
                    what, bestSeal / 1000.0, bestOpen / 1000.0, (bestSeal + bestOpen) / 1000.0);
        }
        // A new control and a new agent: neither has the pair's key yet.
        Keyring newControl = load(creds.resolve("nodes/control"), CredentialRole.CONTROL, null);
        long t0 = System.nanoTime();
        Keyring fresh = load(creds.resolve("nodes/h2"), CredentialRole.AGENT, "h2");
        fresh.open(Opened.sealTo(newControl, Command.of(CommandOp.LIST, "", null).bind("h2", 0, nonce),
                fresh.self(), null));
        System.out.printf("first command of a new pair (certificate check, ECDH, key derivation, load): %.1f ms%n",
                (System.nanoTime() - t0) / 1e6);
    }

    private static Keyring load(Path dir, CredentialRole role, String name) {
        return Keyring.load(dir.resolve("node.p12"), dir.resolve("node.password"), dir.resolve("fleet-ca.crt"), role,
                name);
    }
}
