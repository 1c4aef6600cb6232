package io.fleetgen.agent.frame;

/** The TCP header's flag bits (RFC 9293 3.1), for the frames Fleetgen crafts and the segments it reads. */
public final class TcpFlags {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;

    private TcpFlags() {
    }
}
