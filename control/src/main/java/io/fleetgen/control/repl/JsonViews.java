package io.fleetgen.control.repl;

import io.fleetgen.codec.Counters;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.control.HostStatus;
import io.fleetgen.control.RunView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The REPL's machine-readable forms of runs, counters and hosts. */
public final class JsonViews {
    private JsonViews() {
    }

    public static JsonObject counters(Counters c) {
        JsonObject o = new JsonObject().put("sent", c.sent()).put("recv", c.recv()).put("corrupt", c.corrupt())
                .put("sendErrors", c.sendErrors()).put("drops", c.drops()).put("duplicates", c.duplicates())
                .put("outOfOrder", c.outOfOrder()).put("sentBytes", c.sentBytes()).put("recvBytes", c.recvBytes())
                .put("skipped", c.skipped());
        if (c.latencySamples() > 0) {
            o.put("latency", new JsonObject().put("samples", c.latencySamples()).put("minNanos", c.latencyMinNanos())
                    .put("avgNanos", c.latencyAvgNanos()).put("maxNanos", c.latencyMaxNanos())
                    .put("p50Nanos", c.latencyP50Nanos()).put("p90Nanos", c.latencyP90Nanos())
                    .put("p99Nanos", c.latencyP99Nanos()).put("p999Nanos", c.latencyP999Nanos())
                    .put("jitterNanos", c.jitterNanos()));
        }
        return o;
    }

    public static JsonObject status(RunStatus s) {
        JsonObject o = new JsonObject().put("host", s.host()).put("name", s.name())
                .put("role", s.role().name().toLowerCase()).put("state", s.state().name().toLowerCase())
                .put("profile", s.type().seedName()).put("target", s.target()).put("counters", counters(s.counters()))
                .put("startedAtMillis", s.startedAtMillis()).put("endedAtMillis", s.endedAtMillis());
        if (s.error() != null) {
            o.put("error", s.error());
        }
        if (!s.streams().isEmpty()) {
            JsonArray per = new JsonArray();
            s.streams().forEach(c -> per.add(counters(c)));
            o.put("streams", per);
        }
        return o;
    }

    public static JsonObject view(RunView v) {
        return status(v.status()).put("txPps", Math.round(v.txPps())).put("rxPps", Math.round(v.rxPps()))
                .put("txBps", Math.round(v.txBps())).put("rxBps", Math.round(v.rxBps()));
    }

    public static JsonObject host(HostStatus h) {
        return new JsonObject().put("id", h.id()).put("management", h.info().managementAddress())
                .put("addresses", new JsonArray(h.info().addresses()))
                .put("interfaces", new JsonArray(h.info().interfaces())).put("version", h.info().version())
                .put("alive", h.alive()).put("liveRuns", h.info().liveRuns())
                .put("credential", h.identity() == null ? null : new JsonObject()
                        .put("fingerprint", h.identity().shortFingerprint())
                        .put("notAfter", h.identity().notAfter().toString())
                        .put("daysLeft", h.identity().daysLeft(java.time.Instant.now()))
                        .put("expiring", h.expiring()));
    }

    /** A mesh's N x N matrix, as {@code mesh} prints it with --json. */
    public static JsonObject mesh(io.fleetgen.control.Mesh m) {
        JsonArray cells = new JsonArray();
        for (io.fleetgen.control.Mesh.Cell c : m.cells()) {
            cells.add(new JsonObject().put("from", c.from()).put("to", c.to()).put("sent", c.sent())
                    .put("recv", c.recv()).put("lossPercent", c.lossPercent())
                    .put("receiver", counters(c.receiver().counters())));
        }
        io.fleetgen.control.Mesh.Timing t = m.timing();
        return new JsonObject().put("mesh", m.name()).put("hosts", new JsonArray(m.hosts())).put("cells", cells)
                .put("timing", new JsonObject().put("receiversMillis", t.receiversMillis())
                        .put("sendersMillis", t.sendersMillis()).put("runMillis", t.runMillis())
                        .put("lastCountsMillis", t.lastCountsMillis()).put("stopMillis", t.stopMillis())
                        .put("totalMillis", t.totalMillis()));
    }

    /** One line of text for a status, as the seed prints: {@code h1/send-udp sender RUNNING Sent=.. Received=..}. */
    public static String text(RunStatus s) {
        StringBuilder b = new StringBuilder(String.format("%-4s %-16s %-8s %-8s %s%s", s.host(), s.name(),
                s.role().name().toLowerCase(), s.state(), s.counters(), s.error() == null ? "" : "  error: "
                + s.error()));
        for (int i = 0; i < s.streams().size(); i++) {
            b.append(String.format("%n     %-16s %-8s %-8s %s", "", "stream " + i, "", s.streams().get(i)));
        }
        return b.toString();
    }

    /** Run statuses, one JSON array or one text row each. */
    public static String render(List<RunStatus> rows, boolean json) {
        if (json) {
            JsonArray a = new JsonArray();
            rows.forEach(s -> a.add(status(s)));
            return a.encode();
        }
        StringBuilder b = new StringBuilder();
        rows.forEach(s -> b.append(text(s)).append('\n'));
        return b.toString().stripTrailing();
    }

    /** The aggregated counters and rates from counter events, as {@code runs} shows them. */
    public static String runs(io.fleetgen.control.Aggregator aggregator, boolean json) {
        List<io.fleetgen.control.RunView> vs = aggregator.runs();
        if (json) {
            JsonArray a = new JsonArray();
            vs.forEach(v -> a.add(view(v)));
            return a.encode();
        }
        StringBuilder b = new StringBuilder(String.format("%-4s %-16s %-8s %-8s %12s %12s %10s %10s %8s%n", "HOST",
                "RUN", "ROLE", "STATE", "SENT", "RECV", "TX PPS", "RX PPS", "MBIT/S"));
        for (io.fleetgen.control.RunView v : vs) {
            RunStatus s = v.status();
            b.append(String.format("%-4s %-16s %-8s %-8s %12d %12d %10.0f %10.0f %8.1f%n", s.host(), s.name(),
                    s.role().name().toLowerCase(), s.state(), s.counters().sent(), s.counters().recv(), v.txPps(),
                    v.rxPps(), Math.max(v.txBps(), v.rxBps()) / 1e6));
        }
        b.append("fleet total ").append(aggregator.fleetTotal());
        return b.toString();
    }

    /** The agents, as {@code hosts} shows them. */
    public static String hosts(List<HostStatus> hs, boolean json) {
        if (json) {
            JsonArray a = new JsonArray();
            hs.forEach(h -> a.add(host(h)));
            return a.encode();
        }
        StringBuilder b = new StringBuilder(String.format("%-6s %-15s %-7s %-6s %-22s %s%n", "HOST", "MANAGEMENT",
                "VERSION", "ALIVE", "CREDENTIAL", "ADDRESSES"));
        for (HostStatus h : hs) {
            b.append(String.format("%-6s %-15s %-7s %-6s %-22s %s%n", h.id(), h.info().managementAddress(),
                    h.info().version(), h.alive() ? "yes" : "no", h.credentialText(),
                    String.join(" ", h.info().addresses())));
        }
        return b.toString().stripTrailing();
    }
}
