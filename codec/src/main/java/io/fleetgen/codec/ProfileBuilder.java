package io.fleetgen.codec;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sets a profile's parameters by typed setter or by the seed's keyword; every setter validates at once and
 * {@link #build()} checks what depends on several of them. Not thread-safe.
 */
public final class ProfileBuilder {
    final ProfileType type;
    final StreamSpec stream;
    final long[] scalars;
    byte[] payload;
    String capfilter;
    Flows flows = Flows.NONE;
    Imix imix = Imix.NONE;
    final List<StreamSpec> more = new java.util.ArrayList<>();
    final List<Long> morePps = new java.util.ArrayList<>();
    String iface;
    byte[] listener;

    ProfileBuilder(ProfileType type, StreamSpec stream) {
        this.type = Objects.requireNonNull(type, "type");
        this.stream = Objects.requireNonNull(stream, "stream");
        this.scalars = ProfileParam.defaults(type);
    }

    /** A scalar parameter, checked against its range in {@link ProfileParam} (milliseconds for seconds). */
    public ProfileBuilder set(ProfileParam p, long value) {
        scalars[p.ordinal()] = p.check(value);
        return this;
    }

    long get(ProfileParam p) {
        return scalars[p.ordinal()];
    }

    /** Random payload bytes per packet, 0-65000, default 100. */
    public ProfileBuilder size(int size) {
        return set(ProfileParam.SIZE, size);
    }

    /** A fixed payload, at most 65000 bytes; wins over {@code size}. */
    public ProfileBuilder payload(byte[] payload) {
        if (payload != null) {
            ProfileValues.range("payload", payload.length, 0, ProfileSpec.MAX_SIZE);
        }
        this.payload = payload == null ? null : payload.clone();
        return this;
    }

    /** BPF filter for the receiver; {@code null} for the default built from the stream. */
    public ProfileBuilder capfilter(String capfilter) {
        this.capfilter = capfilter == null || capfilter.isBlank() ? null : capfilter.trim();
        return this;
    }

    /** The field ranges, their combination and seed ({@link Flows#NONE} for none). */
    public ProfileBuilder flows(Flows f) {
        this.flows = Objects.requireNonNull(f, "flows");
        return this;
    }

    /** Field ranges, {@code FIELD=MIN..MAX[/STEP][@MODE]}, comma-separated; replaces those set before. */
    public ProfileBuilder ranges(String text) {
        this.flows = flows.withRanges(Flows.parseList(text));
        return this;
    }

    /** How the ranges combine: {@code cross} (every combination) or {@code lockstep}. */
    public ProfileBuilder combine(String text) {
        this.flows = flows.withCombine(Flows.combine(text));
        return this;
    }

    /** The seed of the {@code random} ranges' order. */
    public ProfileBuilder seed(long seed) {
        this.flows = flows.withSeed(seed);
        return this;
    }

    /**
     * One more stream in the run, at {@code pps} packets per second (0: unpaced): its own frame, transmit
     * thread, rate and id in the signature; the receiver counts it apart (issue 14).
     */
    public ProfileBuilder also(StreamSpec s, long pps) {
        if (more.size() + 1 >= ProfileSpec.MAX_STREAMS) {
            throw ValidationException.of("stream", more.size() + 2 + " streams", "at most " + ProfileSpec.MAX_STREAMS);
        }
        more.add(Objects.requireNonNull(s, "stream"));
        morePps.add(ProfileParam.PPS.check(pps));
        return this;
    }

    /** Weighted frame sizes, {@code SIZE:WEIGHT,...} with FCS, e.g. {@code 64:7,570:4,1518:1}. */
    public ProfileBuilder imix(String text) {
        this.imix = Imix.parse(text);
        return this;
    }

    /** Receiver stops capturing after this many ms; 0 for no timeout. */
    public ProfileBuilder timeoutMillis(long ms) {
        return set(ProfileParam.TIMEOUT, ms);
    }

    /** Capture interface name. */
    public ProfileBuilder iface(String iface) {
        this.iface = iface == null || iface.isBlank() ? null : ProfileValues.ifaceName(iface.trim());
        return this;
    }

    /** The address the receiver listens at (the floating-IP case); {@code null} for the stream's dst. */
    public ProfileBuilder listener(String address) {
        this.listener = address == null ? null : InetText.parse("listener", address);
        return this;
    }

    public ProfileBuilder chksum(boolean chksum) {
        return set(ProfileParam.CHKSUM, chksum ? 1 : 0);
    }

    /** Packets of a Standard, bursts of a Burst profile; at least 1. */
    public ProfileBuilder count(long count) {
        return set(ProfileParam.COUNT, count);
    }

    /** Packets per burst; at least 1. */
    public ProfileBuilder burstCount(long burstCount) {
        return set(ProfileParam.BURST_COUNT, burstCount);
    }

    /** Milliseconds between the starts of two bursts; 0 or more. */
    public ProfileBuilder burstIntervalMillis(long ms) {
        return set(ProfileParam.BURST_INTERVAL, ms);
    }

    public ProfileBuilder startport(int port) {
        return set(ProfileParam.STARTPORT, port);
    }

    public ProfileBuilder endport(int port) {
        return set(ProfileParam.ENDPORT, port);
    }

    /** Packets per second, paced smoothly; 0 for as fast as possible. */
    public ProfileBuilder pps(long pps) {
        return set(ProfileParam.PPS, pps);
    }

    /** Bits per second over whole frames, 0-100,000,000,000; 0 for no bit rate (excludes {@code pps}). */
    public ProfileBuilder bps(long bps) {
        return set(ProfileParam.BPS, bps);
    }

    /** Packets a receiver records to a pcap file, 0-{@value #ProfileSpec.MAX_PCAP_PACKETS}; 0 for none. */
    public ProfileBuilder pcap(long packets) {
        return set(ProfileParam.PCAP, packets);
    }

    /** Transmit threads, 1-16. */
    public ProfileBuilder threads(int threads) {
        return set(ProfileParam.THREADS, threads);
    }

    /** Longest run in ms; 0 for until stopped. */
    public ProfileBuilder durationMillis(long ms) {
        return set(ProfileParam.DURATION, ms);
    }

    /**
     * A parameter by its seed keyword ({@link ProfileParam}; seconds for times, CamelCase accepted too), its
     * value as text or a number.
     */
    public ProfileBuilder set(String keyword, Object value) {
        ProfileParam.apply(this, keyword, value);
        return this;
    }

    /** Sets every keyword of the map. */
    public ProfileBuilder setAll(Map<String, ?> keywords) {
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
        if (!stream.proto().hasPorts() || payload != null
                || get(ProfileParam.SIZE) < ProfileValues.SIGNATURE_BYTES) {
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
        long threads = get(ProfileParam.THREADS);
        long bps = get(ProfileParam.BPS);
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
            if (get(ProfileParam.STARTPORT) > get(ProfileParam.ENDPORT)) {
                throw ValidationException.of("endport", get(ProfileParam.ENDPORT), get(ProfileParam.STARTPORT)
                        + "-65535 (at least startport)");
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
            long count = get(ProfileParam.COUNT);
            long burstCount = get(ProfileParam.BURST_COUNT);
            if (Math.multiplyHigh(count, burstCount) != 0 || count * burstCount < 0) {
                throw ValidationException.of("burst_count", burstCount, "count x burst_count below 2^63");
            }
        }
        long bps = get(ProfileParam.BPS);
        long pps = get(ProfileParam.PPS);
        if (bps > 0 && pps > 0 && !(type == ProfileType.SPORT_RANGE && pps == ProfileSpec.DEFAULT_SPORT_RANGE_PPS)) {
            throw ValidationException.of("bps", bps, "0 when pps is set (one rate: pps " + pps + ")");
        }
        if (bps > 0) {
            scalars[ProfileParam.PPS.ordinal()] = 0;
        }
        if (listener != null && listener.length != stream.dst().length) {
            throw ValidationException.of("listener", InetText.format(listener),
                    "an address of the stream's family (" + (stream.ipVersion() == 4 ? "IPv4" : "IPv6") + ")");
        }
        return new ProfileSpec(this);
    }
}
