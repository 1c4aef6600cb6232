package io.fleetgen.control;

import io.fleetgen.codec.RunStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A fleet mesh run (SPEC §7): every selected host sends the profile's packets to every other one, each pair
 * counted by its own receiver, and the result is the N×N matrix of sent, received, loss and latency: a
 * reachability test of a whole network in one command.
 *
 * <p>The profile is a template: finite (Standard or Burst), its stream's {@code dst} names the network to test
 * (any address in it); each host's own address in that network is found in what its agent announced. The pair
 * from the i-th host sends from that address to the other's, to port {@code dport + i} for UDP and TCP, so that
 * each receiver (named {@code NAME-FROM-TO}) has its own listening socket; ICMP receivers filter on the source.
 * This is the result; {@link MeshRun} runs it.
 */
public final class Mesh {
    /** One ordered pair's final counters. */
    public record Cell(String from, String to, RunStatus sender, RunStatus receiver) {
        public long sent() {
            return sender.counters().sent();
        }

        public long recv() {
            return receiver.counters().recv();
        }

        /** Lost packets as a percentage of those sent; 0 when none were sent. */
        public double lossPercent() {
            return sent() == 0 ? 0 : 100.0 * (sent() - Math.min(recv(), sent())) / sent();
        }
    }

    /**
     * How long each phase of the run took, in milliseconds: starting every receiver, then every sender, the senders'
     * run until the last had ended, the receivers' last counts (at most a grace second), and stopping everything.
     */
    public record Timing(long receiversMillis, long sendersMillis, long runMillis, long lastCountsMillis,
            long stopMillis) {
        public long totalMillis() {
            return receiversMillis + sendersMillis + runMillis + lastCountsMillis + stopMillis;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "took %.1f s: receivers started in %.2f s, senders in %.2f s,"
                    + " ran %.2f s, last counts %.2f s, stopped in %.2f s", totalMillis() / 1e3,
                    receiversMillis / 1e3, sendersMillis / 1e3, runMillis / 1e3, lastCountsMillis / 1e3,
                    stopMillis / 1e3);
        }
    }

    private final String name;
    private final List<String> hosts;
    private final Map<String, Cell> cells;
    private final Timing timing;

    Mesh(String name, List<String> hosts, Map<String, Cell> cells, Timing timing) {
        this.name = name;
        this.hosts = List.copyOf(hosts);
        this.cells = cells;
        this.timing = timing;
    }

    public String name() {
        return name;
    }

    /** The hosts, in matrix order. */
    public List<String> hosts() {
        return hosts;
    }

    /** The pair from {@code from} to {@code to}, or {@code null} on the diagonal. */
    public Cell cell(String from, String to) {
        return cells.get(from + ">" + to);
    }

    /** Every pair, row by row. */
    public List<Cell> cells() {
        return new ArrayList<>(cells.values());
    }

    /** How long its phases took (where a large mesh spends its time). */
    public Timing timing() {
        return timing;
    }

    /** Whether every pair received everything it sent. */
    public boolean complete() {
        return cells.values().stream().allMatch(c -> c.sent() > 0 && c.recv() == c.sent());
    }

    /** The matrix (rows send, columns receive; each cell {@code recv/sent loss% avg-latency}), then its timing. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("mesh " + name + ": received/sent, loss, mean one-way latency; rows send,"
                + " columns receive\n");
        StringBuilder line = new StringBuilder(String.format("%-8s", "from\\to"));
        hosts.forEach(h -> line.append(String.format(" %-26s", h)));
        b.append(line.toString().stripTrailing()).append('\n');
        for (String from : hosts) {
            line.setLength(0);
            line.append(String.format("%-8s", from));
            for (String to : hosts) {
                Cell c = cell(from, to);
                String text = c == null ? "-" : String.format(java.util.Locale.ROOT, "%d/%d %.1f%% %s", c.recv(),
                        c.sent(), c.lossPercent(), c.receiver().counters().latencySamples() == 0 ? ""
                        : String.format(java.util.Locale.ROOT, "%.0fus",
                        c.receiver().counters().latencyAvgNanos() / 1e3));
                line.append(String.format(" %-26s", text.strip()));
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.append(timing).toString();
    }
}
