package io.fleetgen.control.repl;

import io.fleetgen.codec.ProfileParam;
import io.fleetgen.codec.StreamSpec;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;

/** The REPL's help: every command's usage line, the stream fields and the profile keywords. No cluster needed. */
final class ReplHelp {
    /** Every command's usage line, in the README's order (help lists them so). */
    static final Map<String, String> USAGE = ordered(List.of(
            Map.entry("hosts", "hosts                                   agents: id, addresses, version, alive"),
            Map.entry("stream", "stream NAME key=value ...               define a stream by the seed's keywords"),
            Map.entry("profile", "profile NAME TYPE stream=S key=value .. define a profile; TYPE: standard, "
                    + "continuous, burst, sportrange; stream=A,B pps=X,Y: several streams, each at its rate"),
            Map.entry("show", "show [NAME]                             the defined streams and profiles"),
            Map.entry("sender", "sender RUN PROFILE HOST                 start a sender on HOST"),
            Map.entry("receiver", "receiver RUN PROFILE HOST               start a receiver on HOST"),
            Map.entry("pair", "pair RUN PROFILE FROM TO                receiver on TO, then sender on FROM"),
            Map.entry("poll", "poll HOST [RUN]                         counters of one run (or all) from the agent"),
            Map.entry("stop", "stop HOST [RUN]                         stop one run (or all) and show final counters"),
            Map.entry("list", "list [HOST..] [all]                     live runs and the latest 20 ended per host "
                    + "(all: every run)"),
            Map.entry("wait", "wait HOST RUN finished|recv>=N [timeout=S]  wait for a condition (default 30 s)"),
            Map.entry("fleet", "fleet start sender|receiver RUN PROFILE [HOST..] [to=HOST] [keep] | fleet "
                    + "stop|poll RUN [HOST..]"),
            Map.entry("mesh", "mesh RUN PROFILE [HOST..] [timeout=S]    every host sends to every other; the N x N "
                    + "matrix"),
            Map.entry("pcap", "pcap HOST RUN FILE                      copy the pcap file an ended receiver recorded"),
            Map.entry("runs", "runs                                    aggregated counters and rates (events)"),
            Map.entry("watch", "watch                                   live counters and rates until a key is "
                    + "pressed"),
            Map.entry("sleep", "sleep SECONDS                           pause (scripts)"),
            Map.entry("help", "help [COMMAND | stream | profile]       this text, the stream fields or the profile "
                    + "keywords"),
            Map.entry("quit", "quit                                    leave")));

    private ReplHelp() {
    }

    private static Map<String, String> ordered(List<Map.Entry<String, String>> entries) {
        Map<String, String> m = new LinkedHashMap<>();
        entries.forEach(e -> m.put(e.getKey(), e.getValue()));
        return java.util.Collections.unmodifiableMap(m);
    }

    static String help(List<String> w) {
        if (w.size() > 1 && w.get(1).equals("stream")) {
            return StreamSpec.help().stripTrailing();
        }
        if (w.size() > 1 && w.get(1).equals("profile")) {
            return ProfileParam.help().stripTrailing();
        }
        if (w.size() > 1) {
            String h = USAGE.get(w.get(1));
            if (h == null) {
                throw new ReplException(w.get(1) + ": unknown command (expected: one of " + USAGE.keySet() + ")");
            }
            return h;
        }
        return String.join("\n", USAGE.values());
    }

}
