package io.fleetgen.control;

import io.fleetgen.codec.RunStatus;

/**
 * What the aggregator knows of one run on one host: the latest counter snapshot and the rates between the last
 * two snapshots. Immutable.
 */
public final class RunView {
    private final RunStatus status;
    private final double txPps;
    private final double rxPps;
    private final double txBps;
    private final double rxBps;
    private final long updatedAtNanos;

    RunView(RunStatus status, double txPps, double rxPps, double txBps, double rxBps, long updatedAtNanos) {
        this.status = status;
        this.txPps = txPps;
        this.rxPps = rxPps;
        this.txBps = txBps;
        this.rxBps = rxBps;
        this.updatedAtNanos = updatedAtNanos;
    }

    public RunStatus status() {
        return status;
    }

    /** Packets per second sent, between the last two snapshots. */
    public double txPps() {
        return txPps;
    }

    /** Packets per second received, between the last two snapshots. */
    public double rxPps() {
        return rxPps;
    }

    /** Bits per second sent (Ethernet frames without FCS), between the last two snapshots. */
    public double txBps() {
        return txBps;
    }

    /** Bits per second received, between the last two snapshots. */
    public double rxBps() {
        return rxBps;
    }

    /** Wall-clock ns of the latest snapshot. */
    public long updatedAtNanos() {
        return updatedAtNanos;
    }

    RunView withStatus(RunStatus s) {
        return new RunView(s, 0, 0, 0, 0, updatedAtNanos);
    }

    @Override
    public String toString() {
        return status + String.format(" tx=%.0fpps rx=%.0fpps", txPps, rxPps);
    }
}
