package io.fleetgen.agent.impl.net;

import io.fleetgen.codec.InetText;

/** Where a destination goes: output interface, its MAC, the source address, the next hop's MAC. Immutable. */
public final class Route {
    private final String iface;
    private final byte[] srcMac;
    private final byte[] srcAddress;
    private final byte[] nextHop;
    private final byte[] nextHopMac;
    private final int mtu;

    Route(String iface, byte[] srcMac, byte[] srcAddress, byte[] nextHop, byte[] nextHopMac, int mtu) {
        this.iface = iface;
        this.srcMac = srcMac;
        this.srcAddress = srcAddress;
        this.nextHop = nextHop;
        this.nextHopMac = nextHopMac;
        this.mtu = mtu;
    }

    public String iface() {
        return iface;
    }

    public byte[] srcMac() {
        return srcMac.clone();
    }

    public byte[] srcAddress() {
        return srcAddress.clone();
    }

    public byte[] nextHopMac() {
        return nextHopMac.clone();
    }

    public int mtu() {
        return mtu;
    }

    @Override
    public String toString() {
        return "dev " + iface + " src " + InetText.format(srcAddress) + " via " + InetText.format(nextHop);
    }
}
