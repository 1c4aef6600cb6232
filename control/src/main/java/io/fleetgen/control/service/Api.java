package io.fleetgen.control.service;

import io.fleetgen.codec.ErrorCode;
import io.fleetgen.control.repl.Repl;
import io.fleetgen.control.repl.ReplException;
import io.fleetgen.control.repl.Script;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The HTTP JSON API: one endpoint per REPL operation. Each request becomes the REPL command it stands for (its
 * words, never re-parsed text) and runs on the service's REPL in JSON mode, so the answers, error codes and
 * messages are the REPL's by construction; an error names that command. Blocking work runs on a bounded worker
 * pool; past {@code --max-requests} at once a request is refused with {@code LIMIT}.
 */
final class Api {
    /** Keys of stream fields and profile keywords: a word, so that {@code key=value} stays one keyword. */
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private final Repl repl;
    private final java.util.concurrent.ExecutorService workers;
    private final int maxConcurrent;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ServiceMetrics metrics;
    private final Path spool;

    Api(Repl repl, java.util.concurrent.ExecutorService workers, int maxConcurrent, ServiceMetrics metrics,
            Path spool) {
        this.repl = repl;
        this.workers = workers;
        this.maxConcurrent = maxConcurrent;
        this.metrics = metrics;
        this.spool = spool;
    }

    void mount(Router r) {
        r.get("/api/hosts").handler(c -> command(c, List.of("hosts")));
        r.get("/api/definitions").handler(c -> command(c, List.of("show")));
        r.put("/api/streams/:name").handler(c -> command(c, withKeywords(List.of("stream", name(c, "name")),
                body(c), List.of())));
        r.put("/api/profiles/:name").handler(c -> {
            JsonObject b = body(c);
            command(c, withKeywords(List.of("profile", name(c, "name"), text(b, "type")), b, List.of("type")));
        });
        r.post("/api/runs").handler(c -> {
            JsonObject b = body(c);
            String role = text(b, "role");
            if (!role.equals("sender") && !role.equals("receiver")) {
                throw new ReplException("INVALID", "role: " + role + " (expected: sender or receiver)");
            }
            command(c, List.of(role, word(b, "run"), word(b, "profile"), word(b, "host")));
        });
        r.post("/api/pairs").handler(c -> {
            JsonObject b = body(c);
            command(c, List.of("pair", word(b, "run"), word(b, "profile"), word(b, "from"), word(b, "to")));
        });
        r.get("/api/runs").handler(c -> command(c, List.of("runs")));
        r.get("/api/list").handler(c -> command(c, list(c, List.of())));
        r.get("/api/hosts/:host/runs").handler(c -> command(c, list(c, List.of(name(c, "host")))));
        r.get("/api/hosts/:host/runs/:run").handler(c -> command(c, List.of("poll", name(c, "host"), name(c, "run"))));
        r.delete("/api/hosts/:host/runs/:run").handler(c -> command(c, List.of("stop", name(c, "host"),
                name(c, "run"))));
        r.post("/api/hosts/:host/runs/:run/wait").handler(c -> {
            JsonObject b = body(c);
            command(c, List.of("wait", name(c, "host"), name(c, "run"), text(b, "until"),
                    "timeout=" + b.getValue("timeout", 30)));
        });
        r.get("/api/hosts/:host/runs/:run/pcap").handler(this::pcap);
        r.post("/api/fleet-runs").handler(c -> command(c, fleetStart(body(c))));
        r.get("/api/fleet-runs/:run").handler(c -> command(c, fleetRun("poll", c)));
        r.delete("/api/fleet-runs/:run").handler(c -> command(c, fleetRun("stop", c)));
        r.post("/api/meshes").handler(c -> {
            JsonObject b = body(c);
            List<String> w = new ArrayList<>(List.of("mesh", word(b, "run"), word(b, "profile")));
            w.addAll(words(b, "hosts"));
            w.add("timeout=" + b.getValue("timeout", 60));
            command(c, w);
        });
        r.post("/api/script").handler(this::script);
    }

    /** Runs one REPL command for a request and answers with its JSON, or its error with the matching status. */
    private void command(RoutingContext c, List<String> words) {
        blocking(c, () -> repl.execute(words), String.join(" ", words), words).onSuccess(out -> {
            c.response().putHeader("Content-Type", "application/json").end(out.isEmpty() ? "{}" : out);
        });
    }

    /** A whole script on a fork of the service's REPL (its definitions, then the script's own): the one-shot CLI. */
    private void script(RoutingContext c) {
        JsonObject b = body(c);
        String script = text(b, "script");
        boolean json = b.getBoolean("json", false);
        blocking(c, () -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit;
            try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                 PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                exit = Script.run(repl.fork(json), script, o, e);
            }
            return new JsonObject().put("exit", exit).put("stdout", out.toString(StandardCharsets.UTF_8))
                    .put("stderr", err.toString(StandardCharsets.UTF_8)).encode();
        }, "script", List.of("script")).onSuccess(out -> c.response().putHeader("Content-Type", "application/json")
                .end(out));
    }

    private void pcap(RoutingContext c) {
        String host = name(c, "host");
        String run = name(c, "run");
        Path file = spool.resolve(host + "-" + run + "-" + System.nanoTime() + ".pcap");
        List<String> w = List.of("pcap", host, run, file.toString());
        blocking(c, () -> repl.execute(w), "pcap " + host + " " + run, w).onSuccess(x -> c.response()
                .putHeader("Content-Type", "application/vnd.tcpdump.pcap")
                .putHeader("Content-Disposition", "attachment; filename=\"" + host + "-" + run + ".pcap\"")
                .sendFile(file.toString()).onComplete(done -> delete(file)))
                .onFailure(e -> delete(file));
    }

    private static void delete(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            // The spool directory is private and cleared at start; a leftover is harmless.
        }
    }

    private <T> Future<T> blocking(RoutingContext c, Callable<T> work, String cmd, List<String> words) {
        String metricName = words.get(0).equals("fleet") && words.size() > 1 ? "fleet " + words.get(1)
                : words.get(0);
        if (inFlight.incrementAndGet() > maxConcurrent) {
            inFlight.decrementAndGet();
            metrics.command(metricName, "LIMIT");
            fail(c, cmd, "LIMIT", "requests in progress: " + maxConcurrent + " (expected: at most --max-requests "
                    + maxConcurrent + " at once; retry)");
            return Future.failedFuture("limit");
        }
        // Not Vert.x's workers: the Fleet API awaits futures, which Vert.x refuses on its own threads.
        java.util.concurrent.CompletableFuture<T> cf = new java.util.concurrent.CompletableFuture<>();
        workers.execute(() -> {
            try {
                cf.complete(work.call());
            } catch (Exception e) {
                cf.completeExceptionally(e);
            } finally {
                inFlight.decrementAndGet();
                cf.completeExceptionally(new IllegalStateException("the request's worker failed"));
            }
        });
        Future<T> f = Future.fromCompletionStage(cf, c.vertx().getOrCreateContext());
        return f.onSuccess(x -> metrics.command(metricName, "OK")).onFailure(e -> {
            String code = e instanceof ReplException ? ((ReplException) e).code() : "INTERNAL";
            metrics.command(metricName, code);
            fail(c, cmd, code, e instanceof ReplException ? e.getMessage() : String.valueOf(e));
        });
    }

    /** Answers with the REPL's error document and the HTTP status its code stands for. */
    static void fail(RoutingContext c, String cmd, String code, String message) {
        if (c.response().ended()) {
            return;
        }
        c.response().setStatusCode(status(code)).putHeader("Content-Type", "application/json")
                .end(Script.errorJson(cmd, code, message));
    }

    static int status(String code) {
        switch (code) {
            case "USAGE":
            case "MALFORMED":
                return 400;
            case "INVALID":
                return 422;
            case "OFFLINE":
                return 503;
            default:
                try {
                    int n = ErrorCode.valueOf(code).code();
                    return n >= 1000 ? n / 10 : n;
                } catch (IllegalArgumentException e) {
                    return 500;
                }
        }
    }

    static JsonObject body(RoutingContext c) {
        try {
            Object v = c.body().length() == 0 ? null : Json.decodeValue(c.body().buffer());
            if (!(v instanceof JsonObject)) {
                throw new ReplException("MALFORMED", "body: " + (v == null ? "empty" : "not an object")
                        + " (expected: a JSON object)");
            }
            return (JsonObject) v;
        } catch (DecodeException e) {
            throw new ReplException("MALFORMED", "body: " + e.getMessage() + " (expected: a JSON object)");
        }
    }

    private static String name(RoutingContext c, String param) {
        String v = c.pathParam(param);
        if (v == null || !NAME.matcher(v).matches()) {
            throw new ReplException("INVALID", param + ": " + v + " (expected: 1-64 of A-Z a-z 0-9 _ . : -)");
        }
        return v;
    }

    private static String text(JsonObject b, String field) {
        Object v = b.getValue(field);
        if (!(v instanceof String || v instanceof Number || v instanceof Boolean) || v.toString().isBlank()) {
            throw new ReplException("INVALID", field + ": " + v + " (expected: a value)");
        }
        return v.toString();
    }

    private static String word(JsonObject b, String field) {
        String v = text(b, field);
        if (!NAME.matcher(v).matches()) {
            throw new ReplException("INVALID", field + ": " + v + " (expected: 1-64 of A-Z a-z 0-9 _ . : -)");
        }
        return v;
    }

    private static List<String> words(JsonObject b, String field) {
        Object v = b.getValue(field);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof JsonArray)) {
            throw new ReplException("INVALID", field + ": " + v + " (expected: an array of host ids)");
        }
        List<String> out = new ArrayList<>();
        for (Object o : (JsonArray) v) {
            String s = String.valueOf(o);
            if (!NAME.matcher(s).matches()) {
                throw new ReplException("INVALID", field + ": " + s + " (expected: host ids)");
            }
            out.add(s);
        }
        return out;
    }

    /** The command's words, then {@code key=value} for every field of the body but {@code skip}. */
    private static List<String> withKeywords(List<String> head, JsonObject b, List<String> skip) {
        List<String> w = new ArrayList<>(head);
        for (Map.Entry<String, Object> e : b) {
            String k = e.getKey().toLowerCase(Locale.ROOT);
            if (skip.contains(k)) {
                continue;
            }
            if (!KEY.matcher(k).matches()) {
                throw new ReplException("INVALID", "field: " + e.getKey() + " (expected: a stream field or profile "
                        + "keyword: help stream, help profile)");
            }
            w.add(k + "=" + text(b, e.getKey()));
        }
        return w;
    }

    private static List<String> list(RoutingContext c, List<String> hosts) {
        List<String> w = new ArrayList<>(List.of("list"));
        w.addAll(hosts);
        if ("true".equals(c.queryParams().get("all"))) {
            w.add("all");
        }
        return w;
    }

    private static List<String> fleetStart(JsonObject b) {
        String role = text(b, "role");
        List<String> w = new ArrayList<>(List.of("fleet", "start", role, word(b, "run"), word(b, "profile")));
        w.addAll(words(b, "hosts"));
        if (b.getValue("to") != null) {
            w.add("to=" + word(b, "to"));
        }
        if (b.getBoolean("keep", false)) {
            w.add("keep");
        }
        return w;
    }

    private static List<String> fleetRun(String op, RoutingContext c) {
        List<String> w = new ArrayList<>(List.of("fleet", op, name(c, "run")));
        String hosts = c.queryParams().get("hosts");
        if (hosts != null && !hosts.isBlank()) {
            for (String h : hosts.split(",")) {
                if (!NAME.matcher(h).matches()) {
                    throw new ReplException("INVALID", "hosts: " + h + " (expected: host ids, comma-separated)");
                }
                w.add(h);
            }
        }
        return w;
    }
}
