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
        e = assertThrows(ReplException.class, () -> repl.execute("profile p"));
        assertTrue(e.getMessage().startsWith("usage: profile NAME TYPE stream=S key=value"), e.getMessage());
        assertEquals("USAGE", e.code());
    }

    /** Issue 14: a profile of several streams, each at its rate; ranges and IMIX by keyword. */
    @Test
    void profilesOfSeveralStreamsRangesAndImix() {
        repl.execute("stream a proto=udp dst=198.18.0.2 dport=9500");
        repl.execute("stream b proto=udp dst=198.18.0.2 dport=9501");
        String p = repl.execute("profile ab standard stream=a,b count=10 pps=1000,2000");
        assertTrue(p.contains("pps=1000") && p.contains("also=[protocol=ip proto=udp dst=198.18.0.2 dport=9501] "
                + "pps=2000"), p);
        ReplException e = assertThrows(ReplException.class,
                () -> repl.execute("profile x standard stream=a,b pps=1,2,3"));
        assertEquals("pps: 1,2,3 (expected: one rate per stream (2), or one for all)", e.getMessage());
        e = assertThrows(ReplException.class, () -> repl.execute("profile x burst stream=a,b"));
        assertTrue(e.getMessage().startsWith("stream: 2 streams (expected: one stream for a BurstProfile"),
                e.getMessage());
        String r = repl.execute("profile r continuous stream=a range=src=198.18.0.10..198.18.0.13@random seed=3 "
                + "imix=64:7,570:4,1518:1");
        assertTrue(r.contains("range=src=198.18.0.10..198.18.0.13@random seed=3 (4 flows)") && r.contains(
                "imix=64:7,570:4,1518:1"), r);
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
        int code = ControlMain.batch(new Repl(null, false), "stream s proto=udp dst=198.18.0.2; stream t bogus=1; "
                + "help", new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                StandardCharsets.UTF_8), false);
        assertEquals(1, code);
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("stream s: "));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("error: stream t bogus=1: dst: missing"));
    }

    /** With --json every output and every error is one JSON document on standard output (issue 12). */
    @Test
    void underJsonErrorsAreJsonDocumentsWithACode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ControlMain.batch(new Repl(null, true), "stream s proto=udp dst=198.18.0.2; show; stream t bogus=1",
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                true);
        assertEquals(1, code);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(3, lines.length);
        assertEquals("s", new JsonObject(lines[0]).getString("stream"));
        assertTrue(new JsonObject(lines[1]).getJsonObject("streams").containsKey("s"), lines[1]);
        JsonObject e = new JsonObject(lines[2]).getJsonObject("error");
        assertEquals("stream t bogus=1", e.getString("command"));
        assertEquals("INVALID", e.getString("code"));
        assertTrue(e.getString("message").startsWith("dst: missing"), e.getString("message"));
    }

    @Test
    void withoutAClusterOnlyOfflineCommandsRunAndWatchNeedsATerminal() {
        ReplException e = assertThrows(ReplException.class, () -> repl.execute("hosts"));
        assertEquals("OFFLINE", e.code());
        assertTrue(ControlMain.offlineOnly("help; help profile; stream s proto=udp dst=198.18.0.2"));
        assertTrue(!ControlMain.offlineOnly("help; list"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(1, ControlMain.batch(repl, "watch", new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8), false));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("watch: needs an interactive terminal"));
    }

    /** help profile lists every keyword from the one table, with unit, range and default. */
    @Test
    void helpProfileListsEveryKeywordWithUnitRangeAndDefault() {
        String h = repl.execute("help profile");
        for (io.fleetgen.codec.ProfileParam p : io.fleetgen.codec.ProfileParam.values()) {
            assertTrue(h.contains(p.keyword() + "="), p.keyword());
        }
        assertTrue(h.contains("burst_interval=") && h.contains("seconds"), h);
        assertTrue(h.contains("pcap=") && h.contains("0-100000"), h);
    }
}
