package io.fleetgen.control.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The REPL's parsing and the commands that need no agent, without a cluster. */
class ReplOfflineTest {
    private final Repl repl = new Repl(null, false);

    @Test
    void splitsWordsKeepingQuotedSpaces() {
        assertEquals(List.of("profile", "p", "standard", "capfilter=udp port 8000", "x"),
                Words.split("profile p standard capfilter='udp port 8000' \"x\""));
        assertEquals(List.of("a b", "'c;d'", "e"), Words.commands("a b; 'c;d'\ne"));
        assertThrows(ReplException.class, () -> Words.split("stream 'open"));
    }

    @Test
    void definesStreamsAndProfilesWithTheSeedKeywords() {
        assertTrue(repl.execute("stream s proto=udp dst=198.18.0.2 dport=8000").startsWith("stream s: protocol=ip"));
        String p = repl.execute("profile p burst stream=s count=2 burst_count=5 burst_interval=0.5");
        assertTrue(p.contains("BurstProfile(") && p.contains("burst_count=5"), p);
        assertTrue(repl.execute("show").contains("profile p: BurstProfile"));
    }

    @Test
    void rejectsBadInputWithTheFieldInTheMessage() {
        ReplException e = assertThrows(ReplException.class, () -> repl.execute("stream s proto=udp dst=1.2.3"));
        assertEquals("dst: 1.2.3 (expected: an IPv4 or IPv6 address)", e.getMessage());
        e = assertThrows(ReplException.class, () -> repl.execute("profile p standard stream=nope"));
        assertEquals("stream: nope (expected: one of [])", e.getMessage());
        e = assertThrows(ReplException.class, () -> repl.execute("frobnicate"));
        assertTrue(e.getMessage().startsWith("frobnicate: unknown command (expected: one of"), e.getMessage());
        e = assertThrows(ReplException.class, () -> repl.execute("sender onlyname"));
        assertEquals("usage: sender RUN PROFILE HOST", e.getMessage());
    }

    @Test
    void helpListsCommandsAndStreamFields() {
        assertTrue(repl.execute("help").contains("fleet start sender|receiver RUN PROFILE"));
        assertTrue(repl.execute("help stream").contains("TCPHeader : (sport 0-65535, dport 0-65535, seq"));
        assertTrue(repl.execute("help wait").startsWith("wait HOST RUN finished|recv>=N"));
    }

    @Test
    void batchStopsAtTheFirstFailureWithExitCodeOne() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ControlMain.batch(new Repl(null, true), "stream s proto=udp dst=198.18.0.2; stream t bogus=1; "
                + "help", new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                StandardCharsets.UTF_8));
        assertEquals(1, code);
        String o = out.toString(StandardCharsets.UTF_8).strip();
        assertEquals("s", new JsonObject(o).getString("stream"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("error: stream t bogus=1: dst: missing"));
    }
}
