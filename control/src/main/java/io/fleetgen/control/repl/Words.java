package io.fleetgen.control.repl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Splits a command line into words (double or single quotes keep spaces) and {@code key=value} pairs. */
final class Words {
    private Words() {
    }

    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (any || cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(c);
            }
        }
        if (quote != 0) {
            throw new ReplException("unterminated quote in: " + line);
        }
        if (any || cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    /** Splits {@code ;}-separated commands, keeping quoted semicolons. */
    static List<String> commands(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0 && c == quote) {
                quote = 0;
            } else if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (quote == 0 && (c == ';' || c == '\n')) {
                if (!cur.toString().isBlank()) {
                    out.add(cur.toString().trim());
                }
                cur.setLength(0);
                continue;
            }
            cur.append(c);
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().trim());
        }
        return out;
    }

    /** {@code key=value} words as a map, in order; any other word is an error naming it. */
    static Map<String, Object> keywords(List<String> words, int from) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = from; i < words.size(); i++) {
            String w = words.get(i);
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw new ReplException(w + ": expected key=value");
            }
            m.put(w.substring(0, eq), w.substring(eq + 1));
        }
        return m;
    }
}
