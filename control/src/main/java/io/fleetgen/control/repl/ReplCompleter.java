package io.fleetgen.control.repl;

import io.fleetgen.codec.Header;
import io.fleetgen.codec.StreamField;
import io.fleetgen.codec.TcpOption;
import io.fleetgen.control.HostStatus;
import io.fleetgen.control.RunView;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/** Tab completion: commands, host ids, stream fields, profile types and parameters, defined names, run names. */
final class ReplCompleter implements Completer {
    private static final List<String> PROFILE_KEYS = profileKeys();

    private final Repl repl;

    /** {@code stream=} and every profile keyword, from the one table. */
    private static List<String> profileKeys() {
        List<String> keys = new java.util.ArrayList<>(List.of("stream="));
        for (io.fleetgen.codec.ProfileParam p : io.fleetgen.codec.ProfileParam.values()) {
            keys.add(p.keyword() + "=");
        }
        return List.copyOf(keys);
    }

    ReplCompleter(Repl repl) {
        this.repl = repl;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> out) {
        List<String> w = line.words();
        int i = line.wordIndex();
        String cmd = w.isEmpty() ? "" : w.get(0);
        Set<String> c = new LinkedHashSet<>();
        if (i == 0) {
            c.addAll(ReplCommand.words());
        } else {
            candidates(cmd, i, w, c);
        }
        c.forEach(s -> out.add(new Candidate(s, s, null, null, null, null, !s.endsWith("="))));
    }

    private void candidates(String cmd, int i, List<String> w, Set<String> c) {
        ReplCommand command = ReplCommand.of(cmd);
        if (command == null) {
            return;
        }
        switch (command.args()) {
            case HELP:
                c.addAll(ReplCommand.words());
                c.add("stream");
                c.add("profile");
                break;
            case STREAM:
                if (i >= 2) {
                    streamKeys(c);
                }
                break;
            case PROFILE:
                if (i == 2) {
                    c.addAll(List.of("standard", "continuous", "burst", "sportrange"));
                } else if (i > 2) {
                    c.addAll(PROFILE_KEYS);
                    repl.streamNames().forEach(n -> c.add("stream=" + n));
                }
                break;
            case START:
                startArguments(command, i, c);
                break;
            case RUN:
            case WAIT:
                runArguments(command, i, c);
                break;
            case HOSTS:
                hosts(c);
                break;
            case FLEET:
                if (i == 1) {
                    c.addAll(List.of("start", "stop", "poll"));
                } else if (i == 2 && w.size() > 1 && w.get(1).equals("start")) {
                    c.addAll(List.of("sender", "receiver"));
                } else {
                    runNames(c);
                    repl.profileNames().forEach(c::add);
                    hosts(c);
                }
                break;
            default:
                break;
        }
    }

    /** RUN PROFILE HOST.. of the commands that start runs. */
    private void startArguments(ReplCommand cmd, int i, Set<String> c) {
        if (i == 1) {
            runNames(c);
        } else if (i == 2) {
            repl.profileNames().forEach(c::add);
        } else {
            hosts(c);
            if (cmd == ReplCommand.MESH) {
                c.add("timeout=");
            }
        }
    }

    /** HOST RUN .. of the commands about one run. */
    private void runArguments(ReplCommand cmd, int i, Set<String> c) {
        if (i == 1) {
            hosts(c);
        } else if (i == 2) {
            runNames(c);
        } else if (cmd.args() == ReplCommand.Args.WAIT) {
            c.addAll(List.of("finished", "recv>=", "timeout="));
        }
    }

    private static void streamKeys(Set<String> c) {
        c.addAll(List.of("protocol=", "proto=", "src=", "dst=", "options=", "tcpoptions="));
        for (Header h : Header.values()) {
            for (StreamField f : StreamField.of(h)) {
                c.add(f.seedName() + "=");
            }
        }
        for (TcpOption.Kind k : TcpOption.Kind.values()) {
            c.add(k.seedName() + "=");
        }
    }

    private void hosts(Set<String> c) {
        for (HostStatus h : repl.fleet().hosts()) {
            c.add(h.id());
        }
    }

    private void runNames(Set<String> c) {
        for (RunView v : repl.fleet().aggregator().runs()) {
            c.add(v.status().name());
        }
    }
}
