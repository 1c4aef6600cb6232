package io.fleetgen.codec;

/** Which side of a stream a run is. */
public enum Role {
    SENDER,
    RECEIVER
}
