package io.fleetgen.control.repl;

import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.ErrorCode;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.codec.ValidationException;
import io.fleetgen.control.Fleet;
import io.fleetgen.control.FleetException;
import io.fleetgen.control.FleetResult;
import io.fleetgen.control.Host;
import io.fleetgen.control.Mesh;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The REPL's commands over a {@link Fleet}. Each {@link #execute} runs one line and returns what to print (text,
 * or one JSON document with {@code json}); bad input and agent refusals come back as {@link ReplException}
 * with a message, never a stack trace. Not thread-safe: one user at a time.
 */
public final class Repl {
    /** Ended runs per host that {@code list} shows. */
    static final int LIST_ENDED = 20;

    private final Fleet fleet;
    private final boolean json;
    private final Definitions defs;
    private volatile java.util.function.Consumer<Mesh> meshListener = m -> { };

    /** @param fleet the fleet, or {@code null} to run only the commands that need no cluster */
    public Repl(Fleet fleet, boolean json) {
        this(fleet, json, new Definitions());
    }

    private Repl(Fleet fleet, boolean json, Definitions defs) {
        this.fleet = fleet;
        this.json = json;
        this.defs = defs;
    }

    Fleet fleet() {
        return fleet;
    }

    Definitions defs() {
        return defs;
    }

    String defineProfile(List<String> w) {
        return defs.defineProfile(w, json);
    }

    boolean json() {
        return json;
    }

    Iterable<String> streamNames() {
        return defs.streamNames();
    }

    Iterable<String> profileNames() {
        return defs.profileNames();
    }

    /** A REPL for one script that starts with this one's streams and profiles (a service's, say). */
    public Repl fork(boolean jsonOutput) {
        Repl r = new Repl(fleet, jsonOutput, defs.copy());
        r.meshListener = meshListener;
        return r;
    }

    /** Called with every mesh this REPL ran. */
    public void onMesh(java.util.function.Consumer<Mesh> listener) {
        this.meshListener = listener;
    }

    /** Runs one line; returns the output (may be empty). */
    public String execute(String line) {
        return execute(Words.split(line));
    }

    /**
     * Runs one command given as words (the command, then its arguments: what {@code execute} would split a line
     * into); thread-safe, so that a service can run several at once. Returns the output (may be empty).
     */
    public String execute(List<String> w) {
        if (w.isEmpty()) {
            return "";
        }
        ReplCommand cmd = ReplCommand.of(w.get(0));
        if (cmd == null) {
            throw new ReplException(w.get(0) + ": unknown command (expected: one of " + String.join(", ",
                    ReplCommand.words()) + ")");
        }
        if (fleet == null && cmd.needsCluster()) {
            throw new ReplException("OFFLINE", cmd.word() + ": needs the cluster (give --members, --bind and "
                    + "--credentials); without them only " + String.join(", ", ReplCommand.offline()) + " work");
        }
        try {
            return cmd.run(this, w);
        } catch (ValidationException e) {
            throw new ReplException("INVALID", e.getMessage());
        } catch (FleetException e) {
            throw new ReplException(e.code().name(), e.getMessage());
        }
    }

    private ProfileSpec profile(String name) {
        return defs.profile(name);
    }

    String hosts() {
        return JsonViews.hosts(fleet.hosts(), json);
    }

    /** sender|receiver RUN PROFILE HOST. */
    String start(boolean sender, String run, String profile, String host) {
        ProfileSpec p = profile(profile);
        Host h = fleet.host(host);
        RunStatus s = sender ? fleet.sender(run, p, h).start() : fleet.receiver(run, p, h).start();
        return render(List.of(s));
    }

    /** pair RUN PROFILE FROM TO: the receiver first. */
    String pair(List<String> w) {
        start(false, w.get(1), w.get(2), w.get(4));
        return start(true, w.get(1), w.get(2), w.get(3));
    }

    /** poll|stop HOST [RUN]. */
    String runsOf(String cmd, List<String> w) {
        Host host = fleet.host(w.get(1));
        String run = w.size() > 2 ? w.get(2) : "";
        return render(cmd.equals("stop") ? fleet.stop(host, run) : fleet.poll(host, run));
    }

    /** pcap HOST RUN FILE. */
    String pcap(List<String> w) {
        long size = fleet.fetchPcap(fleet.host(w.get(1)), w.get(2), java.nio.file.Path.of(w.get(3)));
        return json ? new JsonObject().put("pcap", w.get(3)).put("bytes", size).encode()
                : "pcap: " + size + " bytes written to " + w.get(3);
    }

    private List<RunStatus> collect(FleetResult r) {
        List<RunStatus> out = new ArrayList<>();
        r.replies().values().forEach(rep -> {
            if (!rep.ok()) {
                throw new ReplException(rep.host() + ": " + rep.error());
            }
            out.addAll(rep.runs());
        });
        if (!r.missing().isEmpty()) {
            throw new ReplException("no answer from " + r.missing());
        }
        return out;
    }

    /**
     * Live runs and the latest {@value #LIST_ENDED} ended ones per host; {@code list all} shows every run the
     * agents remember (ended runs expire on the agent after its --ended-run-ttl-seconds).
     */
    String list(List<String> w) {
        boolean all = w.size() > 1 && w.get(w.size() - 1).equals("all");
        List<Host> sel = new ArrayList<>();
        for (int i = 1; i < w.size() - (all ? 1 : 0); i++) {
            sel.add(fleet.host(w.get(i)));
        }
        List<RunStatus> rows = collect(fleet.broadcast(CommandOp.LIST, "", null, sel));
        if (all) {
            return render(rows);
        }
        Map<String, List<RunStatus>> ended = new TreeMap<>();
        List<RunStatus> shown = new ArrayList<>();
        for (RunStatus s : rows) {
            if (s.state().isTerminal()) {
                ended.computeIfAbsent(s.host(), k -> new ArrayList<>()).add(s);
            } else {
                shown.add(s);
            }
        }
        int hidden = 0;
        for (List<RunStatus> e : ended.values()) {
            e.sort(java.util.Comparator.comparingLong(RunStatus::endedAtMillis).reversed());
            shown.addAll(e.subList(0, Math.min(LIST_ENDED, e.size())));
            hidden += Math.max(0, e.size() - LIST_ENDED);
        }
        String out = render(shown);
        return hidden == 0 || json ? out : out + "\n(" + hidden + " older ended runs: list all)";
    }

    String waitFor(List<String> w) {
        Host host = fleet.host(w.get(1));
        String cond = w.get(3);
        long timeout = 30;
        if (w.size() > 4) {
            Object t = Words.keywords(w, 4).get("timeout");
            timeout = t == null ? 30 : parseLong("timeout", t.toString());
        }
        RunStatus s;
        if (cond.equals("finished")) {
            s = fleet.waitUntil(host, w.get(2), x -> x.state().isTerminal(), timeout);
        } else if (cond.startsWith("recv>=")) {
            long n = parseLong("recv", cond.substring(6));
            s = fleet.waitUntil(host, w.get(2), x -> x.counters().recv() >= n, timeout);
        } else {
            throw new ReplException("condition: " + cond + " (expected: finished or recv>=N)");
        }
        return render(List.of(s));
    }

    String fleetCommand(List<String> w) {
        String sub = w.get(1);
        FleetResult r;
        if (sub.equals("start")) {
            if (w.size() < 5) {
                throw new ReplException("usage: " + ReplCommand.FLEET.usage());
            }
            CommandOp op = w.get(2).equals("sender") ? CommandOp.START_SENDER : w.get(2).equals("receiver")
                    ? CommandOp.START_RECEIVER : null;
            if (op == null) {
                throw new ReplException("role: " + w.get(2) + " (expected: sender or receiver)");
            }
            List<String> args = new ArrayList<>(w);
            boolean keep = args.remove("keep");
            String to = args.stream().filter(a -> a.startsWith("to=")).findFirst().orElse(null);
            args.remove(to);
            r = to == null ? fleet.startEverywhere(op, w.get(3), profile(w.get(4)), hostsFrom(args, 5), keep)
                    : fleet.sendEverywhereTo(w.get(3), profile(w.get(4)), hostsFrom(args, 5),
                            fleet.host(to.substring(3)), keep);
            if (!r.ok()) {
                StringBuilder b = new StringBuilder("fleet start " + w.get(3) + " failed");
                r.outcomes().forEach((h, o) -> b.append("; ").append(h).append(": ").append(o));
                throw new ReplException(r.replies().values().stream().filter(x -> !x.ok()).map(x -> ErrorCode.of(
                        x.errorCode()).name()).findFirst().orElse("UNREACHABLE"), b.toString());
            }
        } else if (sub.equals("stop") || sub.equals("poll")) {
            r = fleet.broadcast(sub.equals("stop") ? CommandOp.STOP : CommandOp.POLL, w.get(2), null,
                    hostsFrom(w, 3));
        } else {
            throw new ReplException("fleet " + sub + ": unknown (expected: start, stop or poll)");
        }
        List<RunStatus> rows = collect(r);
        if (json) {
            JsonArray a = new JsonArray();
            rows.forEach(s -> a.add(JsonViews.status(s)));
            return new JsonObject().put("hosts", a).put("total", JsonViews.counters(r.total())).encode();
        }
        return render(rows) + "\ntotal " + r.total();
    }

    String mesh(List<String> w) {
        List<Host> sel = new ArrayList<>();
        long timeout = 60;
        for (int i = 3; i < w.size(); i++) {
            if (w.get(i).startsWith("timeout=")) {
                timeout = parseLong("timeout", w.get(i).substring(8));
            } else {
                sel.add(fleet.host(w.get(i)));
            }
        }
        Mesh m = fleet.mesh(w.get(1), profile(w.get(2)), sel, timeout);
        meshListener.accept(m);
        return json ? JsonViews.mesh(m).encode() : m.toString();
    }

    private List<Host> hostsFrom(List<String> w, int from) {
        List<Host> out = new ArrayList<>();
        for (int i = from; i < w.size(); i++) {
            out.add(fleet.host(w.get(i)));
        }
        return out;
    }

    String runs() {
        return JsonViews.runs(fleet.aggregator(), json);
    }

    private String render(List<RunStatus> rows) {
        return JsonViews.render(rows, json);
    }

    private static long parseLong(String field, String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new ReplException(field + ": " + text + " (expected: an integer)");
        }
    }

    /** sleep SECONDS. */
    String sleep(List<String> w) {
        String seconds = w.get(1);
        double s;
        try {
            s = Double.parseDouble(seconds);
        } catch (NumberFormatException e) {
            throw new ReplException("seconds: " + seconds + " (expected: a number)");
        }
        if (s < 0 || s > 3600) {
            throw new ReplException("seconds: " + seconds + " (expected: 0-3600)");
        }
        try {
            Thread.sleep((long) (s * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "";
    }
}
