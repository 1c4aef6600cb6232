package io.fleetgen.control.repl;

import io.fleetgen.codec.ProfileParam;
import io.fleetgen.codec.ProfileBuilder;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.StreamSpec;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The streams and profiles a REPL defined, by name in the order defined, with the commands that define and show
 * them. Thread-safe: a service's REPL is used by several requests at once.
 */
final class Definitions {
    private final Map<String, StreamSpec> streams = new LinkedHashMap<>();
    private final Map<String, ProfileSpec> profiles = new LinkedHashMap<>();

    /** A copy with the same definitions (later definitions in either are not seen by the other). */
    Definitions copy() {
        Definitions d = new Definitions();
        synchronized (streams) {
            d.streams.putAll(streams);
        }
        synchronized (profiles) {
            d.profiles.putAll(profiles);
        }
        return d;
    }

    List<String> streamNames() {
        synchronized (streams) {
            return List.copyOf(streams.keySet());
        }
    }

    List<String> profileNames() {
        synchronized (profiles) {
            return List.copyOf(profiles.keySet());
        }
    }

    String defineStream(List<String> w, boolean json) {
        StreamSpec s = StreamSpec.fromSeed(Words.keywords(w, 2));
        synchronized (streams) {
            streams.put(w.get(1), s);
        }
        return json ? new JsonObject().put("stream", w.get(1)).put("spec", s.toString()).encode()
                : "stream " + w.get(1) + ": " + s;
    }

    String defineProfile(List<String> w, boolean json) {
        ProfileType type = profileType(w.get(2));
        Map<String, Object> kw = Words.keywords(w, 3);
        Object sname = kw.remove("stream");
        if (sname == null) {
            throw new ReplException("stream: missing (expected: stream=NAME of a defined stream, or NAME,NAME,.. "
                    + "for a run of several)");
        }
        List<StreamSpec> ss = new java.util.ArrayList<>();
        for (String n : sname.toString().split(",")) {
            ss.add(stream(n.trim()));
        }
        // Several streams: pps=A,B,C gives each its rate (one value: the same for all).
        String[] rates = String.valueOf(kw.getOrDefault("pps", "")).split(",");
        if (ss.size() > 1 && rates.length > 1) {
            if (rates.length != ss.size()) {
                throw new ReplException("INVALID", "pps: " + kw.get("pps") + " (expected: one rate per stream ("
                        + ss.size() + "), or one for all)");
            }
            kw.put("pps", rates[0]);
        }
        ProfileBuilder b = ProfileSpec.builder(type, ss.get(0)).setAll(kw);
        for (int i = 1; i < ss.size(); i++) {
            b.also(ss.get(i), rates.length > 1 ? ProfileParam.PPS.parse("pps", rates[i])
                    : kw.containsKey("pps") ? ProfileParam.PPS.parse("pps", rates[0]) : 0);
        }
        ProfileSpec p = b.build();
        synchronized (profiles) {
            profiles.put(w.get(1), p);
        }
        return json ? new JsonObject().put("profile", w.get(1)).put("spec", p.toString()).encode()
                : "profile " + w.get(1) + ": " + p;
    }

    private StreamSpec stream(String name) {
        synchronized (streams) {
            StreamSpec s = streams.get(name);
            if (s == null) {
                throw new ReplException("stream: " + name + " (expected: one of " + streams.keySet() + ")");
            }
            return s;
        }
    }

    private static ProfileType profileType(String t) {
        switch (t.toLowerCase(Locale.ROOT).replace("profile", "")) {
            case "standard":
                return ProfileType.STANDARD;
            case "continuous":
                return ProfileType.CONTINUOUS;
            case "burst":
                return ProfileType.BURST;
            case "sportrange":
            case "continuoussportrange":
                return ProfileType.SPORT_RANGE;
            default:
                throw new ReplException("type: " + t + " (expected: standard, continuous, burst or sportrange)");
        }
    }

    String show(List<String> w, boolean json) {
        Map<String, StreamSpec> streams;
        Map<String, ProfileSpec> profiles;
        synchronized (this.streams) {
            streams = new LinkedHashMap<>(this.streams);
        }
        synchronized (this.profiles) {
            profiles = new LinkedHashMap<>(this.profiles);
        }
        if (json) {
            JsonObject o = new JsonObject().put("streams", new JsonObject()).put("profiles", new JsonObject());
            streams.forEach((n, s) -> {
                if (w.size() < 2 || w.get(1).equals(n)) {
                    o.getJsonObject("streams").put(n, s.toString());
                }
            });
            profiles.forEach((n, p) -> {
                if (w.size() < 2 || w.get(1).equals(n)) {
                    o.getJsonObject("profiles").put(n, p.toString());
                }
            });
            return o.encode();
        }
        StringBuilder b = new StringBuilder();
        streams.forEach((n, s) -> {
            if (w.size() < 2 || w.get(1).equals(n)) {
                b.append("stream ").append(n).append(": ").append(s).append('\n');
            }
        });
        profiles.forEach((n, p) -> {
            if (w.size() < 2 || w.get(1).equals(n)) {
                b.append("profile ").append(n).append(": ").append(p).append('\n');
            }
        });
        return b.toString().stripTrailing();
    }

    ProfileSpec profile(String name) {
        synchronized (profiles) {
            ProfileSpec p = profiles.get(name);
            if (p == null) {
                throw new ReplException("profile: " + name + " (expected: one of " + profiles.keySet() + ")");
            }
            return p;
        }
    }
}
