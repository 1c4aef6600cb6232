package io.fleetgen.agent.impl.net;

import io.fleetgen.codec.InetText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The firewall rule that keeps this host's kernel from resetting a TCP session the agent crafts: the kernel
 * sees the peer's SYN+ACK for a connection it never opened and would answer with a RST. One rule per run,
 * matching the run's exact tuple (source address and port, destination address and port), tagged
 * {@code fleetgen:<host id>:<run>}, always removed at the end of the run; the leftovers of this host id (after a
 * crash) are removed when its agent starts, and no other rule is touched (issue 11).
 */
public final class RstSuppressor implements AutoCloseable {
    private static final String TAG = "fleetgen:";

    private final String tool;
    private final List<String> spec;

    private RstSuppressor(String tool, List<String> spec) {
        this.tool = tool;
        this.spec = spec;
    }

    /** Adds the rule for one flow (blocking). */
    public static RstSuppressor add(String host, String run, byte[] src, int sport, byte[] dst, int dport)
            throws IOException {
        String tool = src.length == 4 ? "iptables" : "ip6tables";
        List<String> spec = List.of("OUTPUT", "-p", "tcp", "-s", InetText.format(src), "--sport",
                Integer.toString(sport), "-d", InetText.format(dst), "--dport", Integer.toString(dport),
                "--tcp-flags", "RST", "RST", "-m", "comment", "--comment", TAG + host + ":" + run, "-j", "DROP");
        run(tool, "-I", spec);
        return new RstSuppressor(tool, spec);
    }

    /** Removes every rule an agent of this host id left behind (blocking); returns how many. */
    public static int purgeStale(String host) throws IOException {
        String mine = TAG + host + ":";
        int removed = 0;
        for (String tool : List.of("iptables", "ip6tables")) {
            String rules;
            try {
                rules = IpCommand.run(List.of(tool, "-S", "OUTPUT"));
            } catch (IOException e) {
                continue;
            }
            for (String line : rules.split("\n")) {
                if (line.startsWith("-A OUTPUT") && line.contains("--comment " + mine)
                        || line.startsWith("-A OUTPUT") && line.contains("--comment \"" + mine)) {
                    List<String> cmd = new ArrayList<>(List.of(tool, "-D"));
                    for (String w : line.substring(3).split(" ")) {
                        cmd.add(w.replace("\"", ""));
                    }
                    IpCommand.run(cmd);
                    removed++;
                }
            }
        }
        return removed;
    }

    private static void run(String tool, String op, List<String> spec) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(tool, "-w", "5", op));
        cmd.addAll(spec);
        IpCommand.run(cmd);
    }

    @Override
    public void close() throws IOException {
        run(tool, "-D", spec);
    }
}
