package io.fleetgen.control;

import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.ProfileSpec;

/** The seed's {@code Sender(name, profile, host)}: sends the profile's packets from {@code host}. */
public final class Sender extends Endpoint {
    Sender(Fleet fleet, String name, ProfileSpec profile, Host host) {
        super(fleet, name, profile, host, CommandOp.START_SENDER);
    }

    /** Packets sent, as of the last start, poll or stop. */
    public long sent() {
        return counters().sent();
    }

    /** ICMP echo replies (or acknowledged TCP segments) counted, as of the last poll or stop; 0 for UDP. */
    public long recv() {
        return counters().recv();
    }
}
