package io.fleetgen.control;

import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.ProfileSpec;
import java.nio.file.Path;

/** The seed's {@code Receiver(name, profile, host)}: listens and counts the profile's packets on {@code host}. */
public final class Receiver extends Endpoint {
    Receiver(Fleet fleet, String name, ProfileSpec profile, Host host) {
        super(fleet, name, profile, host, CommandOp.START_RECEIVER);
    }

    /** Packets counted by the seed's rules, as of the last poll or stop. */
    public long recv() {
        return counters().recv();
    }

    /** Packets whose checksums failed (with {@code chksum}), as of the last poll or stop. */
    public long corrupt() {
        return counters().corrupt();
    }

    /**
     * Copies the pcap file this receiver recorded (its profile's {@code pcap=N}) from its agent to {@code to},
     * once the run has ended; returns the file's size in bytes.
     */
    public long fetchPcap(Path to) {
        return fleet().fetchPcap(host(), name(), to);
    }
}
