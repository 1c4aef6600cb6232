package io.fleetgen.control.repl;

import io.fleetgen.codec.ProfileParam;
import io.fleetgen.codec.StreamSpec;
import java.util.List;

/**
 * The REPL's help: every command's usage line (from {@link ReplCommand}), the stream fields and the profile
 * keywords. No cluster needed.
 */
final class ReplHelp {
    private ReplHelp() {
    }

    static String help(List<String> w) {
        if (w.size() > 1 && w.get(1).equals("stream")) {
            return StreamSpec.help().stripTrailing();
        }
        if (w.size() > 1 && w.get(1).equals("profile")) {
            return ProfileParam.help().stripTrailing();
        }
        if (w.size() > 1) {
            ReplCommand c = ReplCommand.of(w.get(1));
            if (c == null) {
                throw new ReplException(w.get(1) + ": unknown command (expected: one of " + ReplCommand.words()
                        + ")");
            }
            return c.usage();
        }
        StringBuilder b = new StringBuilder();
        for (ReplCommand c : ReplCommand.values()) {
            b.append(b.length() == 0 ? "" : "\n").append(c.usage());
        }
        return b.toString();
    }

}
