import io.fleetgen.agent.frame.FrameBuilder;
import io.fleetgen.agent.frame.FrameTemplate;
import io.fleetgen.agent.impl.tx.FlowSequencer;
import io.fleetgen.codec.ProfileBuilder;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.StreamSpec;
import java.util.Map;

/**
 * What field ranges cost the transmit loop itself (issue 14), without the kernel: the per-packet patching of one
 * 60-byte UDP frame as TransmitLoop does it (IP id, signature; and the ranged fields through the thread's cursor),
 * for a single flow, 4,096 flows (inc and random) and 4,096 x 64 flows. Warm-up, then the best of 9 timed rounds of
 * 20 million packets; prints ns per packet. Usage (bench/patch.sh): java -cp AGENT_JAR PatchBench.java
 */
public final class PatchBench {
    private static final byte[] MAC = {2, 0, 0, 0, 0, 1};

    public static void main(String[] args) {
        String[][] cases = {{"1 flow", ""},
            {"4096 flows (src x dport, inc)", "src=198.18.1.100..198.18.1.163,dport=9000..9063"},
            {"4096 flows (random)", "src=198.18.1.100..198.18.1.163@random,dport=9000..9063@random"},
            {"262144 flows (src x dport x ttl)", "src=198.18.1.100..198.18.1.163,dport=9000..9063,ttl=1..64"}};
        for (String[] c : cases) {
            StreamSpec s = StreamSpec.fromSeed(Map.of("proto", "udp", "src", "198.18.1.1", "dst", "198.18.1.2",
                    "dport", 8000));
            ProfileBuilder b = ProfileSpec.builder(ProfileType.CONTINUOUS, s).size(18).seed(7);
            if (!c[1].isEmpty()) {
                b.ranges(c[1]);
            }
            ProfileSpec p = b.build();
            FrameTemplate f = FrameBuilder.compile(s, MAC, MAC, null, new byte[18], true, 1);
            FlowSequencer flows = FlowSequencer.of(p);
            FlowSequencer.Cursor cursor = flows == null ? null : flows.cursor(0, 1, 1);
            long best = Long.MAX_VALUE;
            long sink = 0;
            for (int round = 0; round < 12; round++) {
                long t0 = System.nanoTime();
                for (long seq = 0; seq < 20_000_000; seq++) {
                    if (cursor != null) {
                        cursor.next(f, 0);
                    }
                    f.setIpId((int) seq & 0xFFFF);
                    f.setSignature(seq, t0 + seq);
                    sink += f.frame()[40];
                }
                long ns = System.nanoTime() - t0;
                if (round >= 3) {
                    best = Math.min(best, ns);
                }
            }
            System.out.printf("%-36s %6.2f ns/packet%s%n", c[0], best / 20e6, sink == 42 ? " " : "");
        }
    }
}
