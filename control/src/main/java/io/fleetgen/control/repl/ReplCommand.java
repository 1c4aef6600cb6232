package io.fleetgen.control.repl;

import java.util.List;
import java.util.Locale;

/**
 * Every REPL command in one table: its name, usage line, least number of words, whether it needs the cluster, what
 * it does and what its arguments complete to. {@code help}, the dispatcher, the offline check and tab completion
 * all read it; adding a command is one row here and the method it calls.
 */
enum ReplCommand {
    HOSTS("hosts                                   agents: id, addresses, version, alive", 1, true,
            (r, w) -> r.hosts(), Args.NONE),
    STREAM("stream NAME key=value ...               define a stream by the seed's keywords", 3, false,
            (r, w) -> r.defs().defineStream(w, r.json()), Args.STREAM),
    PROFILE("profile NAME TYPE stream=S key=value .. define a profile; TYPE: standard, continuous, burst, "
            + "sportrange; stream=A,B pps=X,Y: several streams, each at its rate", 4, false, Repl::defineProfile,
            Args.PROFILE),
    SHOW("show [NAME]                             the defined streams and profiles", 1, false,
            (r, w) -> r.defs().show(w, r.json()), Args.NONE),
    SENDER("sender RUN PROFILE HOST                 start a sender on HOST", 4, true,
            (r, w) -> r.start(true, w.get(1), w.get(2), w.get(3)), Args.START),
    RECEIVER("receiver RUN PROFILE HOST               start a receiver on HOST", 4, true,
            (r, w) -> r.start(false, w.get(1), w.get(2), w.get(3)), Args.START),
    PAIR("pair RUN PROFILE FROM TO                receiver on TO, then sender on FROM", 5, true, Repl::pair,
            Args.START),
    POLL("poll HOST [RUN]                         counters of one run (or all) from the agent", 2, true,
            (r, w) -> r.runsOf("poll", w), Args.RUN),
    STOP("stop HOST [RUN]                         stop one run (or all) and show final counters", 2, true,
            (r, w) -> r.runsOf("stop", w), Args.RUN),
    LIST("list [HOST..] [all]                     live runs and the latest 20 ended per host (all: every run)", 1,
            true, Repl::list, Args.HOSTS),
    WAIT("wait HOST RUN finished|recv>=N [timeout=S]  wait for a condition (default 30 s)", 4, true, Repl::waitFor,
            Args.WAIT),
    FLEET("fleet start sender|receiver RUN PROFILE [HOST..] [to=HOST] [keep] | fleet stop|poll RUN [HOST..]", 3,
            true, Repl::fleetCommand, Args.FLEET),
    MESH("mesh RUN PROFILE [HOST..] [timeout=S]    every host sends to every other; the N x N matrix", 3, true,
            Repl::mesh, Args.START),
    PCAP("pcap HOST RUN FILE                      copy the pcap file an ended receiver recorded", 4, true,
            Repl::pcap, Args.RUN),
    RUNS("runs                                    aggregated counters and rates (events)", 1, true,
            (r, w) -> r.runs(), Args.NONE),
    WATCH("watch                                   live counters and rates until a key is pressed", 1, true,
            (r, w) -> {
                throw new ReplException("watch: interactive only (the control's terminal)");
            }, Args.NONE),
    SLEEP("sleep SECONDS                           pause (scripts)", 2, false, Repl::sleep, Args.NONE),
    HELP("help [COMMAND | stream | profile]       this text, the stream fields or the profile keywords", 1, false,
            (r, w) -> ReplHelp.help(w), Args.HELP),
    QUIT("quit                                    leave", 1, false, (r, w) -> "", Args.NONE);

    /** What a command's arguments complete to. */
    enum Args { NONE, STREAM, PROFILE, START, RUN, WAIT, HOSTS, FLEET, HELP }

    /** How a command runs: the REPL and the words of the line (the command first). */
    @FunctionalInterface
    interface Handler {
        String run(Repl repl, List<String> words);
    }

    private final String usage;
    private final int minWords;
    private final boolean needsCluster;
    private final Handler handler;
    private final Args args;

    ReplCommand(String usage, int minWords, boolean needsCluster, Handler handler, Args args) {
        this.usage = usage;
        this.minWords = minWords;
        this.needsCluster = needsCluster;
        this.handler = handler;
        this.args = args;
    }

    /** The command's name, as typed. */
    String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    String usage() {
        return usage;
    }

    boolean needsCluster() {
        return needsCluster;
    }

    Args args() {
        return args;
    }

    /** The command a word names (any case), or {@code null}. */
    static ReplCommand of(String word) {
        for (ReplCommand c : values()) {
            if (c.word().equalsIgnoreCase(word)) {
                return c;
            }
        }
        return null;
    }

    /** The commands that need no cluster. */
    static List<String> offline() {
        return java.util.Arrays.stream(values()).filter(c -> !c.needsCluster).map(ReplCommand::word).toList();
    }

    /** Every command's name, in the table's order. */
    static List<String> words() {
        return java.util.Arrays.stream(values()).map(ReplCommand::word).toList();
    }

    /** Runs the command after checking it has its words; the usage line when it has not. */
    String run(Repl repl, List<String> w) {
        if (w.size() < minWords) {
            throw new ReplException("USAGE", "usage: " + usage.replaceAll("\\s{2,}.*$", ""));
        }
        return handler.run(repl, w);
    }
}
