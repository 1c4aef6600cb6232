package io.fleetgen.codec;

import java.util.List;
import java.util.Map;

/** One value of every wire type, with every field set, at defaults and at extremes. */
final class WireFixtures {
    private WireFixtures() {
    }

    static StreamSpec tcpEverything() {
        return StreamSpec.builder().protocol("ip").proto(L4Proto.TCP).src("198.18.0.1").dst("198.18.0.2")
                .set("version", 4).set("ihl", 15).set("tos", 255).set("iplen", 65535).set("id", 0)
                .set("ipflags", 7).set("frag", 8191).set("ttl", 255).set("ip.proto", 6).set("ipchksum", 65535)
                .set("sport", 0).set("dport", 65535).set("seq", 0xFFFF_FFFFL).set("ack", 0).set("dataofs", 15)
                .set("reserved", 7).set("flags", 511).set("window", 65535).set("chksum", 0).set("urgptr", 65535)
                .ipOptions(new byte[] {(byte) 0x94, 4, 0, 0})
                .set("tcpoptions", "MSS=1460,NOP,WScale=14,SAckOK,Timestamp=4294967295:0,EOL").build();
    }

    static StreamSpec icmpTimestamp() {
        return StreamSpec.fromSeed(Map.of("proto", "icmp", "dst", "198.18.0.2", "type", 13, "code", 0,
                "icmp.id", 65535, "seq", 1, "ts_ori", 0xFFFF_FFFFL, "ts_rx", 1, "ts_tx", 2));
    }

    static StreamSpec udp6() {
        return StreamSpec.fromSeed(Map.of("proto", "udp", "src", "2001:2::1", "dst", "2001:2::2", "tc", 255,
                "fl", 0xFFFFF, "hlim", 1, "len", 0, "chksum", 0xFFFF));
    }

    static ProfileSpec profileEverything() {
        return ProfileSpec.builder(ProfileType.BURST, tcpEverything()).size(0).payload(new byte[65_000])
                .capfilter("tcp port 9000").timeoutMillis(Long.MAX_VALUE / 1_000_000).iface("veth-h2")
                .listener("198.18.0.3").chksum(true).count(Integer.MAX_VALUE).burstCount(2)
                .burstIntervalMillis(0).pps(100_000_000).threads(16).durationMillis(1).build();
    }

    static ProfileSpec profileBitRate() {
        return ProfileSpec.builder(ProfileType.CONTINUOUS, udp6()).bps(100_000_000_000L).pcap(100_000).build();
    }

    static ProfileSpec profileDefaults() {
        return ProfileSpec.builder(ProfileType.STANDARD, udp6()).build();
    }

    static Counters countersMax() {
        long m = Long.MAX_VALUE;
        return new Counters(m, m, m, m, m, m, m, m, m, m, m, m, m, m).withLatencyPercentiles(m, m, m, m).withSkipped(m);
    }

    static RunStatus status(Counters c) {
        return new RunStatus("h1", "send-udp", Role.SENDER, RunState.RUNNING, ProfileType.CONTINUOUS, "198.18.0.2",
                c, null, 1_700_000_000_000L, 0);
    }

    static List<Object> all() {
        RunStatus failed = new RunStatus("h2", "r", Role.RECEIVER, RunState.FAILED, ProfileType.SPORT_RANGE, "",
                Counters.ZERO, "pcap: permission denied", 0, Long.MAX_VALUE);
        return List.of(tcpEverything(), icmpTimestamp(), udp6(), profileEverything(), profileDefaults(),
                profileBitRate(),
                Command.of(CommandOp.START_SENDER, "send-udp", profileEverything()),
                Command.of(CommandOp.LIST, "", null),
                new Command(CommandOp.STOP, "x", null, "fleetgen.results.abc", List.of("h1", "h2")),
                countersMax(), Counters.ZERO, status(countersMax()), failed,
                Reply.of("h1", List.of(status(countersMax()), failed)), Reply.of("h3", List.of()),
                Reply.failed("h1", ErrorCode.ALREADY_RUNNING, "send-udp: already running"),
                new CounterEvent(Long.MAX_VALUE, 1, true, failed), new CounterEvent(0, 0, false, status(Counters.ZERO)),
                new HostInfo("h1", "0.1.0", "198.19.0.1", List.of("198.18.0.1/24", "2001:2::1/64"), List.of("eth0"),
                        5, 2, false),
                new HostInfo("h9", "", "", List.of(), List.of(), 0, 0, true),
                new HostInfo("h2", "0.1.0", "198.19.0.2", List.of("198.18.0.2/24"), List.of("data0"), 7, 0, false,
                        "8d6c3f2e-0d0b-4a51-9a51-0b7c1f0c6a11", "198.19.0.2:41234"),
                Command.of(CommandOp.POLL, "r", null).bind("h1", 1_700_000_000_000L, new byte[16]),
                Reply.of("h1", List.of()).answering(Command.of(CommandOp.LIST, "", null).bind("h1", 1, new byte[16])),
                Envelope.unsealed("Command", new byte[] {8, 1}),
                new PcapChunk(1 << 20, 3 << 20, new byte[PcapChunk.MAX_BYTES], new byte[16]),
                new PcapChunk(0, 0, new byte[0], null),
                new CounterBatch("h1", List.of(new CounterEvent(3, 5, false, status(countersMax())),
                        new CounterEvent(4, 6, true, status(Counters.ZERO)))),
                new CounterBatch("h2", List.of()),
                new Envelope(Envelope.MAC, "Reply", new byte[300], new byte[600], new byte[32], new byte[32],
                        new byte[32]),
                new Envelope(Envelope.MACS, "Command", new byte[300], new byte[600], new byte[32],
                        new byte[Envelope.MAX_RECIPIENTS * 32], new byte[Envelope.MAX_RECIPIENTS * 32]));
    }
}
