package io.fleetgen.control.repl;

import io.fleetgen.codec.Counters;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.control.HostStatus;
import io.fleetgen.control.RunView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The REPL's machine-readable forms of runs, counters and hosts. */
final class JsonViews {
    private JsonViews() {
    }

    static JsonObject counters(Counters c) {
        JsonObject o = new JsonObject().put("sent", c.sent()).put("recv", c.recv()).put("corrupt", c.corrupt())
                .put("sendErrors", c.sendErrors()).put("drops", c.drops()).put("duplicates", c.duplicates())
                .put("outOfOrder", c.outOfOrder()).put("sentBytes", c.sentBytes()).put("recvBytes", c.recvBytes());
        if (c.latencySamples() > 0) {
            o.put("latency", new JsonObject().put("samples", c.latencySamples()).put("minNanos", c.latencyMinNanos())
                    .put("avgNanos", c.latencyAvgNanos()).put("maxNanos", c.latencyMaxNanos())
                    .put("jitterNanos", c.jitterNanos()));
        }
        return o;
    }

    static JsonObject status(RunStatus s) {
        JsonObject o = new JsonObject().put("host", s.host()).put("name", s.name())
                .put("role", s.role().name().toLowerCase()).put("state", s.state().name().toLowerCase())
                .put("profile", s.type().seedName()).put("target", s.target()).put("counters", counters(s.counters()))
                .put("startedAtMillis", s.startedAtMillis()).put("endedAtMillis", s.endedAtMillis());
        if (s.error() != null) {
            o.put("error", s.error());
        }
        return o;
    }

    static JsonObject view(RunView v) {
        return status(v.status()).put("txPps", Math.round(v.txPps())).put("rxPps", Math.round(v.rxPps()))
                .put("txBps", Math.round(v.txBps())).put("rxBps", Math.round(v.rxBps()));
    }

    static JsonObject host(HostStatus h) {
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

    /** One line of text for a status, as the seed prints: {@code h1/send-udp sender RUNNING Sent=.. Received=..}. */
    static String text(RunStatus s) {
        return String.format("%-4s %-16s %-8s %-8s %s%s", s.host(), s.name(), s.role().name().toLowerCase(),
                s.state(), s.counters(), s.error() == null ? "" : "  error: " + s.error());
    }
}
