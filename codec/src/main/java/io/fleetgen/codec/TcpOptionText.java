package io.fleetgen.codec;

import java.util.ArrayList;
import java.util.List;

/** Parses TCP options in the seed form {@code MSS=1460,NOP,WScale=7,SAckOK,Timestamp=1:0,SAck=100:200,EOL}. */
final class TcpOptionText {
    private TcpOptionText() {
    }

    static List<TcpOption> parseList(String text) {
        List<TcpOption> out = new ArrayList<>();
        for (String item : text.split(",")) {
            String t = item.trim();
            if (t.isEmpty()) {
                continue;
            }
            int eq = t.indexOf('=');
            String name = eq < 0 ? t : t.substring(0, eq).trim();
            TcpOption.Kind kind = TcpOption.Kind.bySeedName(name);
            if (kind == null) {
                throw ValidationException.of("tcpoptions", name,
                        "one of EOL, NOP, MSS, WScale, SAckOK, SAck, Timestamp, AltChkSum, AltChkSumOpt");
            }
            out.add(parseOne(kind, eq < 0 ? "" : t.substring(eq + 1)));
        }
        return out;
    }

    static TcpOption parseOne(TcpOption.Kind kind, Object value) {
        if (value instanceof long[]) {
            return TcpOption.of(kind, (long[]) value);
        }
        if (value instanceof Number) {
            return TcpOption.of(kind, ((Number) value).longValue());
        }
        String t = value == null ? "" : value.toString().trim();
        if (t.isEmpty() || t.equalsIgnoreCase("true") || t.equalsIgnoreCase("none")) {
            return TcpOption.of(kind);
        }
        String[] parts = t.split("[:\\s]+");
        long[] v = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Long.parseLong(parts[i]);
            } catch (NumberFormatException e) {
                throw ValidationException.of(kind.seedName(), t, "integers separated by ':'");
            }
        }
        return TcpOption.of(kind, v);
    }
}
