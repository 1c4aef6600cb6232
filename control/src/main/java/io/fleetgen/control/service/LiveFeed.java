package io.fleetgen.control.service;

import io.fleetgen.codec.Role;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.control.Fleet;
import io.fleetgen.control.HostStatus;
import io.fleetgen.control.Mesh;
import io.fleetgen.control.RunView;
import io.fleetgen.control.repl.JsonViews;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the dashboard shows, pushed as server-sent events: every {@link #PUSH_MILLIS} a snapshot of the hosts, the
 * runs (counters, rates, latency, loss per run) and the latest mesh, so a counter event is on screen within a
 * second; and each run's rate history (one sample a second, {@code --history-seconds} long) for charts that open
 * mid-run. The timer and the HTTP handlers may run on different event loops: the stream set is concurrent, the
 * history guarded by this. Slow clients skip snapshots instead of buffering them.
 */
final class LiveFeed {
    static final long PUSH_MILLIS = 500;
    /** Runs in one snapshot; a fleet with more shows the first ones by name. */
    static final int MAX_RUNS = 500;

    private final Fleet fleet;
    private final int maxStreams;
    private final int historySamples;
    /** The open event streams; opened and closed on the HTTP server's event loop, written from the timer's. */
    private final Set<HttpServerResponse> streams = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Map<String, ArrayDeque<double[]>> history = new LinkedHashMap<>();
    private volatile JsonObject mesh;
    private long lastSampleMillis;

    LiveFeed(Fleet fleet, int maxStreams, long historySeconds) {
        this.fleet = fleet;
        this.maxStreams = maxStreams;
        this.historySamples = (int) historySeconds;
    }

    /** Keeps the latest mesh for the heat map. Any thread. */
    void onMesh(Mesh m) {
        mesh = JsonViews.mesh(m).put("finishedAtMillis", System.currentTimeMillis());
    }

    /** {@code GET /api/events}: a server-sent event stream of snapshots. */
    void open(RoutingContext c) {
        if (streams.size() >= maxStreams) {
            Api.fail(c, "", "LIMIT", "event streams: " + maxStreams + " open (expected: at most --max-event-streams)");
            return;
        }
        HttpServerResponse r = c.response().setChunked(true).putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-store").putHeader("X-Accel-Buffering", "no");
        streams.add(r);
        r.closeHandler(v -> streams.remove(r));
        r.write("retry: 2000\n\n");
        r.write("data: " + snapshot().encode() + "\n\n");
    }

    /** {@code GET /api/history}: per run, the samples {@code [unix seconds, tx pps, rx pps, tx bit/s, rx bit/s]}. */
    synchronized JsonObject history() {
        JsonObject o = new JsonObject();
        history.forEach((k, q) -> {
            JsonArray a = new JsonArray();
            q.forEach(s -> a.add(new JsonArray().add(s[0]).add(s[1]).add(s[2]).add(s[3]).add(s[4])));
            o.put(k, a);
        });
        return o;
    }

    /** One tick: sample rates once a second, push a snapshot to every stream. */
    void tick(List<RunView> views) {
        long now = System.currentTimeMillis();
        if (now - lastSampleMillis >= 1000) {
            lastSampleMillis = now;
            sample(views, now);
        }
        if (streams.isEmpty()) {
            return;
        }
        String event = "data: " + snapshot(views).encode() + "\n\n";
        for (HttpServerResponse r : streams) {
            if (!r.writeQueueFull()) {
                r.write(event);
            }
        }
    }

    private synchronized void sample(List<RunView> views, long now) {
        Set<String> live = new HashSet<>();
        for (RunView v : views) {
            String k = key(v.status());
            live.add(k);
            ArrayDeque<double[]> q = history.computeIfAbsent(k, x -> new ArrayDeque<>());
            if (q.size() == historySamples) {
                q.removeFirst();
            }
            double on = v.status().state().isTerminal() ? 0 : 1;   // an ended run's last rates are not traffic
            q.addLast(new double[] {now / 1000.0, on * v.txPps(), on * v.rxPps(), on * v.txBps(), on * v.rxBps()});
        }
        history.keySet().retainAll(live);
    }

    static String key(RunStatus s) {
        return s.host() + "/" + s.name() + "/" + s.role().name().toLowerCase();
    }

    JsonObject snapshot() {
        return snapshot(fleet.aggregator().runs());
    }

    private JsonObject snapshot(List<RunView> views) {
        JsonArray hosts = new JsonArray();
        for (HostStatus h : fleet.hosts()) {
            hosts.add(JsonViews.host(h));
        }
        JsonArray runs = new JsonArray();
        Map<String, long[]> perRun = new TreeMap<>();
        for (RunView v : views) {
            RunStatus s = v.status();
            long[] t = perRun.computeIfAbsent(s.name(), x -> new long[2]);
            if (s.role() == Role.SENDER) {
                t[0] += s.counters().sent();
            } else {
                t[1] += s.counters().recv();
            }
            if (runs.size() < MAX_RUNS) {
                runs.add(JsonViews.view(v).put("key", key(s)));
            }
        }
        JsonArray totals = new JsonArray();
        perRun.forEach((name, t) -> totals.add(new JsonObject().put("run", name).put("sent", t[0]).put("recv", t[1])
                .put("lossPercent", t[0] == 0 || t[1] == 0 ? null : Math.max(0, 100.0 * (t[0] - t[1]) / t[0]))));
        return new JsonObject().put("time", System.currentTimeMillis()).put("hosts", hosts).put("runs", runs)
                .put("totals", totals).put("mesh", mesh).put("refusedEvents", fleet.refusedEvents());
    }
}
