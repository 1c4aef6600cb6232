package io.fleetgen.agent.frame;

import io.fleetgen.codec.StreamSpec;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** One line of {@code golden/golden.txt}: a stream, a payload length and the frame Scapy built for it. */
final class Golden {
    static final byte[] SRC_MAC = {2, 0, 0, 0, 0, 1};
    static final byte[] DST_MAC = {2, 0, 0, 0, 0, 2};

    final String name;
    final StreamSpec stream;
    final byte[] payload;
    final byte[] frame;

    private Golden(String line) {
        String[] p = line.split("\\|");
        name = p[0];
        stream = StreamSpec.fromSeed(new JsonObject(p[1]).getMap());
        payload = new byte[Integer.parseInt(p[2])];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        frame = HexFormat.of().parseHex(p[3]);
    }

    static List<Golden> all() throws IOException {
        List<Golden> out = new ArrayList<>();
        try (InputStream in = Golden.class.getResourceAsStream("/golden/golden.txt");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    out.add(new Golden(line));
                }
            }
        }
        return out;
    }

    FrameTemplate compile(boolean signature) {
        return FrameBuilder.compile(stream, SRC_MAC, DST_MAC, null, payload.clone(), signature, 0x0A0B0C0D);
    }

    @Override
    public String toString() {
        return name;
    }
}
