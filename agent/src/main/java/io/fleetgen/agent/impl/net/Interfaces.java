package io.fleetgen.agent.impl.net;

import io.fleetgen.agent.Cidr;
import io.fleetgen.codec.InetText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.List;

/** This host's interfaces and addresses, read from {@code ip -j addr}. */
public final class Interfaces {
    /** One configured address. */
    public static final class Addr {
        final String iface;
        final byte[] address;
        final int prefix;

        Addr(String iface, byte[] address, int prefix) {
            this.iface = iface;
            this.address = address;
            this.prefix = prefix;
        }

        public String iface() {
            return iface;
        }

        /** {@code address/prefix}. */
        public String cidrText() {
            return InetText.format(address) + "/" + prefix;
        }
    }

    private Interfaces() {
    }

    /** Every global address of every interface but loopback. */
    public static List<Addr> addresses() throws IOException {
        List<Addr> out = new ArrayList<>();
        JsonArray links = IpCommand.json("addr", "show");
        for (int i = 0; i < links.size(); i++) {
            JsonObject link = links.getJsonObject(i);
            String name = link.getString("ifname");
            if ("lo".equals(name)) {
                continue;
            }
            JsonArray infos = link.getJsonArray("addr_info", new JsonArray());
            for (int j = 0; j < infos.size(); j++) {
                JsonObject a = infos.getJsonObject(j);
                if (!"global".equals(a.getString("scope"))) {
                    continue;
                }
                out.add(new Addr(name, InetText.parse("local", a.getString("local")), a.getInteger("prefixlen")));
            }
        }
        return out;
    }

    /** The interface but loopback that has {@code address} configured, or {@code null} (no process spawned). */
    public static String owning(byte[] address) throws IOException {
        NetworkInterface nif = NetworkInterface.getByInetAddress(InetAddress.getByAddress(address));
        return nif == null || nif.isLoopback() ? null : nif.getName();
    }

    /** This host's address in the subnet that holds {@code dst} (its own address in that network), or {@code null}. */
    public static byte[] addressIn(byte[] dst) throws IOException {
        for (Addr a : addresses()) {
            if (a.address.length == dst.length && Cidr.parse("address", a.cidrText()).contains(dst)) {
                return a.address;
            }
        }
        return null;
    }

    /** Interface names but loopback. */
    public static List<String> names() throws IOException {
        List<String> out = new ArrayList<>();
        for (Addr a : addresses()) {
            if (!out.contains(a.iface)) {
                out.add(a.iface);
            }
        }
        return out;
    }
}
