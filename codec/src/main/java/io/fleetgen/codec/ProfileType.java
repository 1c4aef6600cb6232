package io.fleetgen.codec;

/** The seed's profile classes (SPEC §3). */
public enum ProfileType {
    /** {@code count} packets, then the run ends by itself. */
    STANDARD("StandardProfile"),
    /** Until stopped. */
    CONTINUOUS("ContinuousProfile"),
    /** {@code count} bursts of {@code burst_count} packets, {@code burst_interval} seconds apart. */
    BURST("BurstProfile"),
    /** Source port round-robin over {@code startport..endport} at {@code pps}, until stopped. */
    SPORT_RANGE("ContinuousSportRange");

    private final String seedName;

    ProfileType(String seedName) {
        this.seedName = seedName;
    }

    public String seedName() {
        return seedName;
    }

    /** Whether the run ends by itself (Standard, Burst) rather than at stop. */
    public boolean isFinite() {
        return this == STANDARD || this == BURST;
    }
}
