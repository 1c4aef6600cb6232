package io.fleetgen.agent.impl.rx;

import org.pcap4j.core.RawPacketListener;

/** A capture listener that counts, owned by the capture thread, and publishes its totals on request. */
public interface CountingListener extends RawPacketListener {
    /** Packets counted so far (for the expected-count stop). */
    long counted();

    /** Publishes the totals to the run's counter cell. */
    void publish();
}
