package io.fleetgen.codec;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A stream plus how to send and capture it (SPEC §3; the seed's {@code traffic.core.profile}). Immutable and
 * valid by construction. Durations are milliseconds on the wire; the seed's seconds are accepted by
 * {@link Builder#set(String, Object)}.
 */
public final class ProfileSpec {
    /** Most packets a receiver records to a pcap file. */
    public static final long MAX_PCAP_PACKETS = 100_000;
    /** Random payload bytes per packet when neither {@code size} nor {@code payload} is given. */
    public static final int DEFAULT_SIZE = 100;
    /** Packets of a StandardProfile, bursts of a BurstProfile. */
    public static final long DEFAULT_COUNT = 10;
    /** Packets per burst of a BurstProfile. */
    public static final long DEFAULT_BURST_COUNT = 10;
    /** Milliseconds between bursts. */
    public static final long DEFAULT_BURST_INTERVAL_MS = 1000;
    /** Packets per second of a ContinuousSportRange, as in the seed. */
    public static final long DEFAULT_SPORT_RANGE_PPS = 500;
    /** Largest payload; the agent also checks it against the interface MTU. */
    public static final int MAX_SIZE = 65_000;
    /** Most transmit threads one run may use. */
    public static final int MAX_THREADS = 16;
    /** Most packets (bursts) a finite profile sends. */
    public static final long MAX_COUNT = 1_000_000_000_000L;
    /** Most streams in one run (the first one and 15 more). */
    public static final int MAX_STREAMS = 16;

    private final ProfileType type;
    private final StreamSpec stream;
    private final int size;
    private final byte[] payload;
    private final String capfilter;
    private final Flows flows;
    private final Imix imix;
    /** The streams after the first, and their rates. */
    private final List<StreamSpec> more;
    private final long[] morePps;
    private final long timeoutMillis;
    private final String iface;
    private final byte[] listener;
    private final boolean chksum;
    private final long count;
    private final long burstCount;
    private final long burstIntervalMillis;
    private final int startport;
    private final int endport;
    private final long pps;
    private final long bps;
    private final long pcap;
    private final int threads;
    private final long durationMillis;

    private ProfileSpec(Builder b) {
        this.type = b.type;
        this.stream = b.stream;
        this.size = b.size;
        this.payload = b.payload;
        this.capfilter = b.capfilter;
        this.flows = b.flows;
        this.imix = b.imix;
        this.more = List.copyOf(b.more);
        this.morePps = b.morePps.stream().mapToLong(Long::longValue).toArray();
        this.timeoutMillis = b.timeoutMillis;
        this.iface = b.iface;
        this.listener = b.listener;
        this.chksum = b.chksum;
        this.count = b.count;
        this.burstCount = b.burstCount;
        this.burstIntervalMillis = b.burstIntervalMillis;
        this.startport = b.startport;
        this.endport = b.endport;
        this.pps = b.pps;
        this.bps = b.bps;
        this.pcap = b.pcap;
        this.threads = b.threads;
        this.durationMillis = b.durationMillis;
    }

    public static Builder builder(ProfileType type, StreamSpec stream) {
        return new Builder(type, stream);
    }

    public ProfileType type() {
        return type;
    }

    public StreamSpec stream() {
        return stream;
    }

    /** Random payload bytes per packet; ignored when {@link #payload()} is set. */
    public int size() {
        return size;
    }

    /** The fixed payload, or {@code null}. */
    public byte[] payload() {
        return payload == null ? null : payload.clone();
    }

    /** Bytes of payload each packet carries. */
    public int payloadLength() {
        return payload != null ? payload.length : size;
    }

    /** The header fields varied per packet, and how (none: every packet has the stream's values). */
    public Flows flows() {
        return flows;
    }

    /** Every stream of the run, the first ({@link #stream()}) first; one unless {@link Builder#also} added more. */
    public List<StreamSpec> streams() {
        List<StreamSpec> all = new java.util.ArrayList<>(more.size() + 1);
        all.add(stream);
        all.addAll(more);
        return all;
    }

    /** The rate of stream {@code i} in packets per second: {@link #pps()} for the first. */
    public long ppsOf(int i) {
        return i == 0 ? pps : morePps[i - 1];
    }

    /** Weighted frame sizes instead of one {@code size} ({@link Imix#NONE}: every frame the same). */
    public Imix imix() {
        return imix;
    }

    /** The BPF filter as given, or {@code null} for the default built from the stream. */
    public String capfilter() {
        return capfilter;
    }

    /** The filter the receiver uses: the one given, or {@code udp port 8000}, {@code tcp port 9000}, {@code icmp}. */
    public String effectiveCapfilter() {
        if (capfilter != null) {
            return capfilter;
        }
        switch (stream.proto()) {
            case UDP:
            case TCP:
                FieldRange d = flows.range(FieldRange.Field.DPORT);
                if (d != null) {
                    return stream.proto().keyword() + " dst portrange " + d.minLong() + "-" + d.lastText();
                }
                if (!more.isEmpty()) {
                    StringBuilder ports = new StringBuilder(stream.proto().keyword()).append(" and (dst port ")
                            .append(stream.dport());
                    more.forEach(m -> ports.append(" or dst port ").append(m.dport()));
                    return ports.append(')').toString();
                }
                return stream.proto().keyword() + " port " + stream.dport();
            case ICMPV6:
                return "icmp6";
            default:
                return "icmp";
        }
    }

    /** Receiver capture timeout in ms; 0 for none. */
    public long timeoutMillis() {
        return timeoutMillis;
    }

    /** Capture interface, or {@code null} for the interface that owns the listener address. */
    public String iface() {
        return iface;
    }

    /** The address the receiver listens at, or {@code null} for the stream's {@code dst}. */
    public byte[] listener() {
        return listener == null ? null : listener.clone();
    }

    /** The listener as text: the one given or the stream's destination. */
    public String listenerText() {
        return listener == null ? stream.dstText() : InetText.format(listener);
    }

    /** Whether the receiver verifies checksums and counts failures as Corrupted. */
    public boolean chksum() {
        return chksum;
    }

    /** Packets (Standard) or bursts (Burst). */
    public long count() {
        return count;
    }

    public long burstCount() {
        return burstCount;
    }

    public long burstIntervalMillis() {
        return burstIntervalMillis;
    }

    public int startport() {
        return startport;
    }

    public int endport() {
        return endport;
    }

    /** Packets per second per run; 0 for as fast as the path allows. */
    public long pps() {
        return pps;
    }

    /**
     * Bits per second per run, counted over whole Ethernet frames (no preamble or gap), as tcpreplay's
     * {@code --mbps}; 0 when the rate is set in {@code pps} or not at all. The agent turns it into packets per
     * second for the run's frame size.
     */
    public long bps() {
        return bps;
    }

    /**
     * For a receiver: how many captured packets to record to a pcap file on its agent (fetched afterwards from
     * the control); 0 for none.
     */
    public long pcap() {
        return pcap;
    }

    /** Transmit threads. */
    public int threads() {
        return threads;
    }

    /** Longest the run may last in ms; 0 for until stopped (the agent still caps every run). */
    public long durationMillis() {
        return durationMillis;
    }

    /** Packets a finite run sends, and so a receiver expects: count, or count × burst_count; -1 if endless. */
    public long expectedPackets() {
        switch (type) {
            case STANDARD:
                return Math.multiplyExact(count, more.size() + 1);
            case BURST:
                return Math.multiplyExact(count, burstCount);
            default:
                return -1;
        }
    }

    /** A builder holding this profile's values. */
    public Builder toBuilder() {
        return toBuilder(stream);
    }

    /** This profile's values for another stream (a fleet mesh gives each pair of hosts its own). */
    public Builder toBuilder(StreamSpec other) {
        Builder b = new Builder(type, other);
        b.size = size;
        b.payload = payload;
        b.capfilter = capfilter;
        b.flows = flows;
        b.imix = imix;
        b.more.addAll(more);
        for (long r : morePps) {
            b.morePps.add(r);
        }
        b.timeoutMillis = timeoutMillis;
        b.iface = iface;
        b.listener = listener;
        b.chksum = chksum;
        b.count = count;
        b.burstCount = burstCount;
        b.burstIntervalMillis = burstIntervalMillis;
        b.startport = startport;
        b.endport = endport;
        b.pps = pps;
        b.bps = bps;
        b.pcap = pcap;
        b.threads = threads;
        b.durationMillis = durationMillis;
        return b;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ProfileSpec)) {
            return false;
        }
        ProfileSpec p = (ProfileSpec) o;
        return type == p.type && stream.equals(p.stream) && size == p.size && Arrays.equals(payload, p.payload)
                && Objects.equals(capfilter, p.capfilter) && flows.equals(p.flows) && imix.equals(p.imix)
                && more.equals(p.more) && Arrays.equals(morePps, p.morePps)
                && timeoutMillis == p.timeoutMillis
                && Objects.equals(iface, p.iface) && Arrays.equals(listener, p.listener) && chksum == p.chksum
                && count == p.count && burstCount == p.burstCount && burstIntervalMillis == p.burstIntervalMillis
                && startport == p.startport && endport == p.endport && pps == p.pps && bps == p.bps
                && pcap == p.pcap && threads == p.threads && durationMillis == p.durationMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, stream, size, count, pps);
    }

    @Override
    public String toString() {
        return type.seedName() + "(" + ProfileValues.describe(this) + ")";
    }

    /**
     * Sets a profile's parameters by typed setter or by the seed's keyword; every setter validates at once and
     * {@link #build()} checks what depends on several of them. Not thread-safe.
     */
    public static final class Builder {
        private final ProfileType type;
        private final StreamSpec stream;
        private int size = DEFAULT_SIZE;
        private byte[] payload;
        private String capfilter;
        private Flows flows = Flows.NONE;
        private Imix imix = Imix.NONE;
        private final List<StreamSpec> more = new java.util.ArrayList<>();
        private final List<Long> morePps = new java.util.ArrayList<>();
        private long timeoutMillis;
        private String iface;
        private byte[] listener;
        private boolean chksum;
        private long count = DEFAULT_COUNT;
        private long burstCount = DEFAULT_BURST_COUNT;
        private long burstIntervalMillis = DEFAULT_BURST_INTERVAL_MS;
        private int startport;
        private int endport;
        private long pps;
        private long bps;
        private long pcap;
        private int threads = 1;
        private long durationMillis;

        private Builder(ProfileType type, StreamSpec stream) {
            this.type = Objects.requireNonNull(type, "type");
            this.stream = Objects.requireNonNull(stream, "stream");
            if (type == ProfileType.SPORT_RANGE) {
                pps = DEFAULT_SPORT_RANGE_PPS;
            }
        }

        /** Random payload bytes per packet, 0-65000, default 100. */
        public Builder size(int size) {
            this.size = (int) ProfileValues.range("size", size, 0, MAX_SIZE);
            return this;
        }

        /** A fixed payload, at most 65000 bytes; wins over {@code size}. */
        public Builder payload(byte[] payload) {
            if (payload != null) {
                ProfileValues.range("payload", payload.length, 0, MAX_SIZE);
            }
            this.payload = payload == null ? null : payload.clone();
            return this;
        }

        /** BPF filter for the receiver; {@code null} for the default built from the stream. */
        public Builder capfilter(String capfilter) {
            this.capfilter = capfilter == null || capfilter.isBlank() ? null : capfilter.trim();
            return this;
        }

        /** The field ranges, their combination and seed ({@link Flows#NONE} for none). */
        public Builder flows(Flows f) {
            this.flows = Objects.requireNonNull(f, "flows");
            return this;
        }

        /** Field ranges, {@code FIELD=MIN..MAX[/STEP][@MODE]}, comma-separated; replaces those set before. */
        public Builder ranges(String text) {
            this.flows = flows.withRanges(Flows.parseList(text));
            return this;
        }

        /** How the ranges combine: {@code cross} (every combination) or {@code lockstep}. */
        public Builder combine(String text) {
            this.flows = flows.withCombine(Flows.combine(text));
            return this;
        }

        /** The seed of the {@code random} ranges' order. */
        public Builder seed(long seed) {
            this.flows = flows.withSeed(seed);
            return this;
        }

        /**
         * One more stream in the run, at {@code pps} packets per second (0: unpaced): its own frame, transmit
         * thread, rate and id in the signature; the receiver counts it apart (issue 14).
         */
        public Builder also(StreamSpec s, long pps) {
            if (more.size() + 1 >= MAX_STREAMS) {
                throw ValidationException.of("stream", more.size() + 2 + " streams", "at most " + MAX_STREAMS);
            }
            more.add(Objects.requireNonNull(s, "stream"));
            morePps.add(ProfileValues.range("pps", pps, 0, 100_000_000));
            return this;
        }

        /** Weighted frame sizes, {@code SIZE:WEIGHT,...} with FCS, e.g. {@code 64:7,570:4,1518:1}. */
        public Builder imix(String text) {
            this.imix = Imix.parse(text);
            return this;
        }

        /** Receiver stops capturing after this many ms; 0 for no timeout. */
        public Builder timeoutMillis(long ms) {
            this.timeoutMillis = ProfileValues.range("timeout", ms, 0, Long.MAX_VALUE / 1_000_000);
            return this;
        }

        /** Capture interface name. */
        public Builder iface(String iface) {
            this.iface = iface == null || iface.isBlank() ? null : ProfileValues.ifaceName(iface.trim());
            return this;
        }

        /** The address the receiver listens at (the floating-IP case); {@code null} for the stream's dst. */
        public Builder listener(String address) {
            this.listener = address == null ? null : InetText.parse("listener", address);
            return this;
        }

        public Builder chksum(boolean chksum) {
            this.chksum = chksum;
            return this;
        }

        /** Packets of a Standard, bursts of a Burst profile; at least 1. */
        public Builder count(long count) {
            this.count = ProfileValues.range("count", count, 1, MAX_COUNT);
            return this;
        }

        /** Packets per burst; at least 1. */
        public Builder burstCount(long burstCount) {
            this.burstCount = ProfileValues.range("burst_count", burstCount, 1, Integer.MAX_VALUE);
            return this;
        }

        /** Milliseconds between the starts of two bursts; 0 or more. */
        public Builder burstIntervalMillis(long ms) {
            this.burstIntervalMillis = ProfileValues.range("burst_interval", ms, 0, Long.MAX_VALUE / 1_000_000);
            return this;
        }

        public Builder startport(int port) {
            this.startport = (int) ProfileValues.range("startport", port, 0, 65535);
            return this;
        }

        public Builder endport(int port) {
            this.endport = (int) ProfileValues.range("endport", port, 0, 65535);
            return this;
        }

        /** Packets per second, paced smoothly; 0 for as fast as possible. */
        public Builder pps(long pps) {
            this.pps = ProfileValues.range("pps", pps, 0, 100_000_000);
            return this;
        }

        /** Bits per second over whole frames, 0-100,000,000,000; 0 for no bit rate (excludes {@code pps}). */
        public Builder bps(long bps) {
            this.bps = ProfileValues.range("bps", bps, 0, 100_000_000_000L);
            return this;
        }

        /** Packets a receiver records to a pcap file, 0-{@value #MAX_PCAP_PACKETS}; 0 for none. */
        public Builder pcap(long packets) {
            this.pcap = ProfileValues.range("pcap", packets, 0, MAX_PCAP_PACKETS);
            return this;
        }

        /** Transmit threads, 1-16. */
        public Builder threads(int threads) {
            this.threads = (int) ProfileValues.range("threads", threads, 1, MAX_THREADS);
            return this;
        }

        /** Longest run in ms; 0 for until stopped. */
        public Builder durationMillis(long ms) {
            this.durationMillis = ProfileValues.range("duration", ms, 0, Long.MAX_VALUE / 1_000_000);
            return this;
        }

        /**
         * A parameter by its seed keyword: {@code size}, {@code payload}, {@code capfilter}, {@code timeout}
         * (s), {@code iface}, {@code listener}, {@code chksum}, {@code count}, {@code burst_count},
         * {@code burst_interval} (s), {@code startport}, {@code endport}, {@code pps}, {@code bps}, {@code pcap},
         * {@code threads}, {@code duration} (s). CamelCase spellings are accepted too.
         */
        public Builder set(String keyword, Object value) {
            ProfileParam.apply(this, keyword, value);
            return this;
        }

        /** Sets every keyword of the map. */
        public Builder setAll(Map<String, ?> keywords) {
            keywords.forEach(this::set);
            return this;
        }

        /** A run of several streams: continuous or standard, one protocol and family, one thread per stream. */
        private void checkStreams() {
            if (more.isEmpty()) {
                return;
            }
            if (type != ProfileType.CONTINUOUS && type != ProfileType.STANDARD) {
                throw ValidationException.of("stream", more.size() + 1 + " streams", "one stream for a "
                        + type.seedName() + " profile (several: continuous or standard)");
            }
            if (!stream.proto().hasPorts() || payload != null || size < ProfileValues.SIGNATURE_BYTES) {
                throw ValidationException.of("stream", more.size() + 1 + " streams", "udp or tcp streams whose "
                        + "packets carry the signature (no fixed payload, size at least "
                        + ProfileValues.SIGNATURE_BYTES + "): the receiver tells the streams apart by it");
            }
            for (StreamSpec m : more) {
                if (m.proto() != stream.proto() || m.ipVersion() != stream.ipVersion()) {
                    throw ValidationException.of("stream", m, "the first stream's protocol and family ("
                            + stream.proto().keyword() + ", IPv" + stream.ipVersion() + ")");
                }
                flows.check(m);
            }
            if (threads > 1 || bps > 0) {
                throw ValidationException.of(threads > 1 ? "threads" : "bps", threads > 1 ? threads : bps,
                        threads > 1 ? "1 with several streams (each has its own thread)" : "0 with several streams "
                        + "(each has its own pps)");
            }
        }

        /**
         * Checks what depends on several parameters and returns the profile.
         *
         * @throws ValidationException naming the parameter at fault
         */
        public ProfileSpec build() {
            if (type == ProfileType.SPORT_RANGE) {
                if (!stream.proto().hasPorts()) {
                    throw ValidationException.of("proto", stream.proto().keyword(),
                            "udp or tcp for ContinuousSportRange");
                }
                if (startport > endport) {
                    throw ValidationException.of("endport", endport, startport + "-65535 (at least startport)");
                }
            }
            flows.check(stream);
            checkStreams();
            if (!imix.isEmpty() && payload != null) {
                throw ValidationException.of("imix", imix, "no fixed payload (imix sets the sizes)");
            }
            if (type == ProfileType.SPORT_RANGE && flows.range(FieldRange.Field.SPORT) != null) {
                throw ValidationException.of("range", flows.range(FieldRange.Field.SPORT), "no sport range in a "
                        + "sportrange profile (startport and endport are its range)");
            }
            if (type == ProfileType.BURST) {
                if (Math.multiplyHigh(count, burstCount) != 0 || count * burstCount < 0) {
                    throw ValidationException.of("burst_count", burstCount, "count x burst_count below 2^63");
                }
            }
            if (bps > 0 && pps > 0 && !(type == ProfileType.SPORT_RANGE && pps == DEFAULT_SPORT_RANGE_PPS)) {
                throw ValidationException.of("bps", bps, "0 when pps is set (one rate: pps " + pps + ")");
            }
            if (bps > 0) {
                pps = 0;
            }
            if (listener != null && listener.length != stream.dst().length) {
                throw ValidationException.of("listener", InetText.format(listener),
                        "an address of the stream's family (" + (stream.ipVersion() == 4 ? "IPv4" : "IPv6") + ")");
            }
            return new ProfileSpec(this);
        }
    }
}
