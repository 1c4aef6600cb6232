package io.fleetgen.codec;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A stream plus how to send and capture it (SPEC §3; the seed's {@code traffic.core.profile}). Immutable and
 * valid by construction. Durations are milliseconds on the wire; the seed's seconds are accepted by
 * {@link ProfileBuilder#set(String, Object)}.
 */
public final class ProfileSpec {
    /** Most packets a receiver records to a pcap file. */
    public static final long MAX_PCAP_PACKETS = 100_000;
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
    /** The fastest rate a run may ask for, packets per second. */
    public static final long MAX_PPS = 100_000_000;

    private final ProfileType type;
    private final StreamSpec stream;
    /** The scalar parameters ({@link ProfileParam#isScalar()}), indexed by ordinal. */
    private final long[] scalars;
    private final byte[] payload;
    private final String capfilter;
    private final Flows flows;
    private final Imix imix;
    /** The streams after the first, and their rates. */
    private final List<StreamSpec> more;
    private final long[] morePps;
    private final String iface;
    private final byte[] listener;

    ProfileSpec(ProfileBuilder b) {
        this.type = b.type;
        this.stream = b.stream;
        this.scalars = b.scalars.clone();
        this.payload = b.payload;
        this.capfilter = b.capfilter;
        this.flows = b.flows;
        this.imix = b.imix;
        this.more = List.copyOf(b.more);
        this.morePps = b.morePps.stream().mapToLong(Long::longValue).toArray();
        this.iface = b.iface;
        this.listener = b.listener;
    }

    public static ProfileBuilder builder(ProfileType type, StreamSpec stream) {
        return new ProfileBuilder(type, stream);
    }

    public ProfileType type() {
        return type;
    }

    public StreamSpec stream() {
        return stream;
    }

    /** A scalar parameter's value (milliseconds for seconds, 1 for a set flag). */
    public long get(ProfileParam p) {
        if (!p.isScalar()) {
            throw new IllegalArgumentException(p.keyword() + " is not a number");
        }
        return scalars[p.ordinal()];
    }

    /** Random payload bytes per packet; ignored when {@link #payload()} is set. */
    public int size() {
        return (int) get(ProfileParam.SIZE);
    }

    /** The fixed payload, or {@code null}. */
    public byte[] payload() {
        return payload == null ? null : payload.clone();
    }

    /** Bytes of payload each packet carries. */
    public int payloadLength() {
        return payload != null ? payload.length : size();
    }

    /** The header fields varied per packet, and how (none: every packet has the stream's values). */
    public Flows flows() {
        return flows;
    }

    /** Every stream of the run, the first ({@link #stream()}) first, then those {@link ProfileBuilder#also} added. */
    public List<StreamSpec> streams() {
        List<StreamSpec> all = new java.util.ArrayList<>(more.size() + 1);
        all.add(stream);
        all.addAll(more);
        return all;
    }

    /** The rate of stream {@code i} in packets per second: {@link #pps()} for the first. */
    public long ppsOf(int i) {
        return i == 0 ? pps() : morePps[i - 1];
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
        return capfilter != null ? capfilter : CaptureFilters.receiver(this);
    }

    /** Receiver capture timeout in ms; 0 for none. */
    public long timeoutMillis() {
        return get(ProfileParam.TIMEOUT);
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
        return get(ProfileParam.CHKSUM) != 0;
    }

    /** Packets (Standard) or bursts (Burst). */
    public long count() {
        return get(ProfileParam.COUNT);
    }

    public long burstCount() {
        return get(ProfileParam.BURST_COUNT);
    }

    public long burstIntervalMillis() {
        return get(ProfileParam.BURST_INTERVAL);
    }

    public int startport() {
        return (int) get(ProfileParam.STARTPORT);
    }

    public int endport() {
        return (int) get(ProfileParam.ENDPORT);
    }

    /** Packets per second per run; 0 for as fast as the path allows. */
    public long pps() {
        return get(ProfileParam.PPS);
    }

    /**
     * Bits per second per run, counted over whole Ethernet frames (no preamble or gap), as tcpreplay's
     * {@code --mbps}; 0 when the rate is set in {@code pps} or not at all. The agent turns it into packets per
     * second for the run's frame size.
     */
    public long bps() {
        return get(ProfileParam.BPS);
    }

    /**
     * For a receiver: how many captured packets to record to a pcap file on its agent (fetched afterwards from
     * the control); 0 for none.
     */
    public long pcap() {
        return get(ProfileParam.PCAP);
    }

    /** Transmit threads. */
    public int threads() {
        return (int) get(ProfileParam.THREADS);
    }

    /** Longest the run may last in ms; 0 for until stopped (the agent still caps every run). */
    public long durationMillis() {
        return get(ProfileParam.DURATION);
    }

    /** Packets a finite run sends, and so a receiver expects: count, or count × burst_count; -1 if endless. */
    public long expectedPackets() {
        switch (type) {
            case STANDARD:
                return Math.multiplyExact(count(), more.size() + 1);
            case BURST:
                return Math.multiplyExact(count(), burstCount());
            default:
                return -1;
        }
    }

    /** A builder holding this profile's values. */
    public ProfileBuilder toBuilder() {
        return toBuilder(stream);
    }

    /** This profile's values for another stream (a fleet mesh gives each pair of hosts its own). */
    public ProfileBuilder toBuilder(StreamSpec other) {
        ProfileBuilder b = new ProfileBuilder(type, other);
        System.arraycopy(scalars, 0, b.scalars, 0, scalars.length);
        b.payload = payload;
        b.capfilter = capfilter;
        b.flows = flows;
        b.imix = imix;
        b.more.addAll(more);
        for (long r : morePps) {
            b.morePps.add(r);
        }
        b.iface = iface;
        b.listener = listener;
        return b;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ProfileSpec)) {
            return false;
        }
        ProfileSpec p = (ProfileSpec) o;
        return type == p.type && stream.equals(p.stream) && Arrays.equals(scalars, p.scalars)
                && Arrays.equals(payload, p.payload) && Objects.equals(capfilter, p.capfilter)
                && flows.equals(p.flows) && imix.equals(p.imix) && more.equals(p.more)
                && Arrays.equals(morePps, p.morePps) && Objects.equals(iface, p.iface)
                && Arrays.equals(listener, p.listener);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, stream, Arrays.hashCode(scalars));
    }

    @Override
    public String toString() {
        return type.seedName() + "(" + ProfileValues.describe(this) + ")";
    }
}
