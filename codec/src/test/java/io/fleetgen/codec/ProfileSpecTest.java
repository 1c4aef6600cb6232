package io.fleetgen.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.wire.Wire;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ProfileSpecTest {
    private static final StreamSpec UDP = StreamSpec.fromSeed(Map.of("proto", "udp", "dst", "198.18.0.2"));
    private static final StreamSpec ICMP = StreamSpec.fromSeed(Map.of("proto", "icmp", "dst", "198.18.0.2"));

    private static void assertRefused(String message, Executable e) {
        ValidationException x = assertThrows(ValidationException.class, e);
        assertEquals(message, x.getMessage());
    }

    @Test
    void hasTheSeedDefaults() {
        ProfileSpec p = ProfileSpec.builder(ProfileType.STANDARD, UDP).build();
        assertEquals(10, p.count());
        assertEquals(100, p.size());
        assertEquals("udp port 8000", p.effectiveCapfilter());
        assertEquals("198.18.0.2", p.listenerText());
        assertEquals(500, ProfileSpec.builder(ProfileType.SPORT_RANGE, UDP).build().pps());
        assertEquals("icmp", ProfileSpec.builder(ProfileType.CONTINUOUS, ICMP).build().effectiveCapfilter());
    }

    @Test
    void takesSeedKeywordsInSeconds() {
        ProfileSpec p = ProfileSpec.builder(ProfileType.BURST, UDP).setAll(Map.of("count", "3", "burst_count", 4,
                "burst_interval", "0.25", "listener", "198.18.0.3", "chksum", "True", "timeout", 2)).build();
        assertEquals(12, p.expectedPackets());
        assertEquals(250, p.burstIntervalMillis());
        assertEquals(2000, p.timeoutMillis());
        assertEquals("198.18.0.3", p.listenerText());
        assertTrue(p.chksum());
    }

    @Test
    void aBitRateIsOneRateAlone() {
        ProfileSpec p = ProfileSpec.builder(ProfileType.CONTINUOUS, UDP).set("bps", "8000000").build();
        assertEquals(8_000_000, p.bps());
        assertEquals(0, p.pps());
        assertEquals(0, ProfileSpec.builder(ProfileType.SPORT_RANGE, UDP).bps(1_000_000).build().pps(),
                "the range's default pps gives way to bps");
        assertRefused("bps: 1000 (expected: 0 when pps is set (one rate: pps 10))",
            () -> ProfileSpec.builder(ProfileType.CONTINUOUS, UDP).pps(10).bps(1000).build());
        assertRefused("bps: -1 (expected: 0-100000000000)",
            () -> ProfileSpec.builder(ProfileType.CONTINUOUS, UDP).bps(-1));
    }

    @Test
    void payloadWinsOverSize() {
        ProfileSpec p = ProfileSpec.builder(ProfileType.STANDARD, UDP).size(10).set("payload", "spamspamspam").build();
        assertEquals(12, p.payloadLength());
    }

    @Test
    void rejectsNegativeCount() {
        assertRefused("count: -1 (expected: 1-1000000000000)",
            () -> ProfileSpec.builder(ProfileType.STANDARD, UDP).count(-1));
    }

    @Test
    void rejectsNonNumericCount() {
        assertRefused("count: \"many\" (expected: an integer 1-1000000000000)",
            () -> ProfileSpec.builder(ProfileType.STANDARD, UDP).set("count", "many"));
    }

    @Test
    void rejectsOversizePayload() {
        assertRefused("size: 70000 (expected: 0-65000)", () -> ProfileSpec.builder(ProfileType.STANDARD, UDP)
            .size(70000));
    }

    @Test
    void rejectsReversedPortRange() {
        assertRefused("endport: 10 (expected: 20-65535 (at least startport))",
            () -> ProfileSpec.builder(ProfileType.SPORT_RANGE, UDP).startport(20).endport(10).build());
    }

    @Test
    void rejectsPortRangeOnIcmp() {
        assertRefused("proto: icmp (expected: udp or tcp for ContinuousSportRange)",
            () -> ProfileSpec.builder(ProfileType.SPORT_RANGE, ICMP).build());
    }

    @Test
    void rejectsUnknownParameter() {
        ValidationException e = assertThrows(ValidationException.class,
            () -> ProfileSpec.builder(ProfileType.STANDARD, UDP).set("bogus", 1));
        assertTrue(e.getMessage().startsWith("bogus: unknown profile parameter (expected: one of count, "
                + "burst_count"), e.getMessage());
        for (ProfileParam p : ProfileParam.values()) {
            assertTrue(e.getMessage().contains(p.keyword()), p.keyword());
        }
    }

    /**
     * The table is the whole of a scalar: set by its entry alone, each one reaches the wire and comes back, shows in
     * the description, and is refused out of range by its keyword.
     */
    @Test
    void everyScalarOfTheTableTravelsShowsAndIsChecked() throws WireFormatException {
        for (ProfileParam p : ProfileParam.values()) {
            if (!p.isScalar()) {
                continue;
            }
            ProfileType type = p.keyword().contains("count") || p.keyword().startsWith("burst") ? ProfileType.BURST
                    : p.keyword().endsWith("port")
                    ? ProfileType.SPORT_RANGE : ProfileType.CONTINUOUS;
            ProfileBuilder b = ProfileSpec.builder(type, UDP);
            if (p == ProfileParam.STARTPORT) {
                b.endport(65535);
            }
            long v = p.defaultFor(type) + 1;
            ProfileSpec spec = b.set(p, v).build();
            assertEquals(v, spec.get(p), p.keyword());
            ProfileSpec back = Wire.decode(ProfileSpec.class, Wire.encode(spec));
            assertEquals(spec, back, p.keyword());
            assertEquals(v, back.get(p), p.keyword());
            assertTrue(p == ProfileParam.SIZE || spec.toString().contains(" " + p.keyword() + "="), spec.toString());
            ValidationException e = assertThrows(ValidationException.class, () -> b.set(p, -1));
            assertTrue(e.getMessage().startsWith(p.keyword() + ": -1"), e.getMessage());
        }
    }

    @Test
    void rejectsListenerOfOtherFamily() {
        assertRefused("listener: 2001:2::3 (expected: an address of the stream's family (IPv4))",
            () -> ProfileSpec.builder(ProfileType.STANDARD, UDP).listener("2001:2::3").build());
    }

    @Test
    void rejectsNegativeTimeoutAndBadInterface() {
        assertRefused("timeout: -1 (expected: seconds, 0-1000000000)",
            () -> ProfileSpec.builder(ProfileType.STANDARD, UDP).set("timeout", -1));
        assertRefused("iface: eth0/evil (expected: an interface name of 1-15 printable characters)",
            () -> ProfileSpec.builder(ProfileType.STANDARD, UDP).iface("eth0/evil"));
    }

    @Test
    void rejectsBadRunName() {
        assertRefused("name: \"a b\" (expected: 1-64 characters of A-Z a-z 0-9 . _ -)",
            () -> Command.of(CommandOp.START_SENDER, "a b", ProfileSpec.builder(ProfileType.STANDARD, UDP).build()));
    }
}
