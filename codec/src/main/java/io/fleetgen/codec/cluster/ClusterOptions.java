package io.fleetgen.codec.cluster;

import io.fleetgen.codec.ValidationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a node (agent or control) joins the Fleetgen cluster: Hazelcast TCP-IP join over an explicit member list,
 * multicast off, bound to one address, plus the clustered event bus on the same address. The one place agents
 * and controls take their cluster settings from (issue 5, point 3).
 */
public final class ClusterOptions {
    /** Hazelcast cluster name. */
    public static final String DEFAULT_CLUSTER_NAME = "fleetgen";
    /** First Hazelcast port; the next ones are tried when taken. */
    public static final int DEFAULT_HAZELCAST_PORT = 5701;
    /** Event-bus port; 0 picks a free one. */
    public static final int DEFAULT_BUS_PORT = 0;
    /** Seconds without a heartbeat before a member is declared dead (Hazelcast's default is 60). */
    public static final int DEFAULT_MAX_NO_HEARTBEAT_SECONDS = 5;

    private List<String> members = new ArrayList<>();
    private String bind;
    private String clusterName = DEFAULT_CLUSTER_NAME;
    private int hazelcastPort = DEFAULT_HAZELCAST_PORT;
    private int busPort = DEFAULT_BUS_PORT;
    private boolean liteMember;
    private int maxNoHeartbeatSeconds = DEFAULT_MAX_NO_HEARTBEAT_SECONDS;
    private String tlsKeyStore;
    private String tlsTrustStore;
    private String tlsPassword;

    public ClusterOptions() {
    }

    public ClusterOptions(ClusterOptions o) {
        this.members = new ArrayList<>(o.members);
        this.bind = o.bind;
        this.clusterName = o.clusterName;
        this.hazelcastPort = o.hazelcastPort;
        this.busPort = o.busPort;
        this.liteMember = o.liteMember;
        this.maxNoHeartbeatSeconds = o.maxNoHeartbeatSeconds;
        this.tlsKeyStore = o.tlsKeyStore;
        this.tlsTrustStore = o.tlsTrustStore;
        this.tlsPassword = o.tlsPassword;
    }

    public ClusterOptions(JsonObject json) {
        JsonArray m = json.getJsonArray("members", new JsonArray());
        m.forEach(x -> members.add(String.valueOf(x)));
        bind = json.getString("bind");
        clusterName = json.getString("clusterName", DEFAULT_CLUSTER_NAME);
        hazelcastPort = json.getInteger("hazelcastPort", DEFAULT_HAZELCAST_PORT);
        busPort = json.getInteger("busPort", DEFAULT_BUS_PORT);
        liteMember = json.getBoolean("liteMember", false);
        maxNoHeartbeatSeconds = json.getInteger("maxNoHeartbeatSeconds", DEFAULT_MAX_NO_HEARTBEAT_SECONDS);
        tlsKeyStore = json.getString("tlsKeyStore");
        tlsTrustStore = json.getString("tlsTrustStore");
        tlsPassword = json.getString("tlsPassword");
    }

    public JsonObject toJson() {
        return new JsonObject().put("members", new JsonArray(members)).put("bind", bind)
                .put("clusterName", clusterName).put("hazelcastPort", hazelcastPort).put("busPort", busPort)
                .put("liteMember", liteMember).put("maxNoHeartbeatSeconds", maxNoHeartbeatSeconds)
                .put("tlsKeyStore", tlsKeyStore).put("tlsTrustStore", tlsTrustStore);
    }

    /** Member addresses ({@code host} or {@code host:port}) Hazelcast joins by TCP; at least one. */
    public List<String> getMembers() {
        return members;
    }

    public ClusterOptions setMembers(List<String> members) {
        this.members = new ArrayList<>(Objects.requireNonNull(members, "members"));
        return this;
    }

    /** The local address Hazelcast and the event bus bind to (interface pinning). */
    public String getBind() {
        return bind;
    }

    public ClusterOptions setBind(String bind) {
        this.bind = bind;
        return this;
    }

    public String getClusterName() {
        return clusterName;
    }

    public ClusterOptions setClusterName(String clusterName) {
        this.clusterName = Objects.requireNonNull(clusterName, "clusterName");
        return this;
    }

    public int getHazelcastPort() {
        return hazelcastPort;
    }

    public ClusterOptions setHazelcastPort(int port) {
        this.hazelcastPort = port;
        return this;
    }

    public int getBusPort() {
        return busPort;
    }

    public ClusterOptions setBusPort(int port) {
        this.busPort = port;
        return this;
    }

    /** A lite member holds no data partitions: the control joins as one. */
    public boolean isLiteMember() {
        return liteMember;
    }

    public ClusterOptions setLiteMember(boolean liteMember) {
        this.liteMember = liteMember;
        return this;
    }

    public int getMaxNoHeartbeatSeconds() {
        return maxNoHeartbeatSeconds;
    }

    /** Seconds without heartbeat before a member is dead; 2-300. */
    public ClusterOptions setMaxNoHeartbeatSeconds(int seconds) {
        this.maxNoHeartbeatSeconds = seconds;
        return this;
    }

    /** This node's PKCS#12 key store (its certificate from the fleet CA), or {@code null} for no TLS. */
    public String getTlsKeyStore() {
        return tlsKeyStore;
    }

    public ClusterOptions setTlsKeyStore(String path) {
        this.tlsKeyStore = path;
        return this;
    }

    /** The PKCS#12 trust store holding the fleet CA, or {@code null} for no TLS. */
    public String getTlsTrustStore() {
        return tlsTrustStore;
    }

    public ClusterOptions setTlsTrustStore(String path) {
        this.tlsTrustStore = path;
        return this;
    }

    /** The password of both stores. */
    public String getTlsPassword() {
        return tlsPassword;
    }

    public ClusterOptions setTlsPassword(String password) {
        this.tlsPassword = password;
        return this;
    }

    /** Whether the event bus runs with mutual TLS. */
    public boolean isTls() {
        return tlsKeyStore != null;
    }

    /**
     * Checks the settings, naming the one to change.
     *
     * @throws ValidationException when the member list is empty, the bind address is not on this host, or a
     *     port is out of range
     */
    public ClusterOptions validate() {
        if (members.isEmpty()) {
            throw ValidationException.of("members", "[]", "at least one member address; set --members");
        }
        if (bind == null || bind.isBlank()) {
            throw ValidationException.of("bind", "missing", "an address of this host; set --bind");
        }
        try {
            InetAddress a = InetAddress.getByName(bind);
            if (NetworkInterface.getByInetAddress(a) == null) {
                throw ValidationException.of("bind", bind, "an address configured on this host; set --bind");
            }
        } catch (UnknownHostException | SocketException e) {
            throw ValidationException.of("bind", bind, "an address configured on this host; set --bind");
        }
        if (hazelcastPort < 1 || hazelcastPort > 65535) {
            throw ValidationException.of("hazelcastPort", hazelcastPort, "1-65535");
        }
        if (busPort < 0 || busPort > 65535) {
            throw ValidationException.of("busPort", busPort, "0-65535");
        }
        if ((tlsKeyStore == null) != (tlsTrustStore == null)) {
            throw ValidationException.of(tlsKeyStore == null ? "tls-keystore" : "tls-truststore", "missing",
                    "both --tls-keystore and --tls-truststore, or neither");
        }
        for (String store : new String[] {tlsKeyStore, tlsTrustStore}) {
            if (store != null && !java.nio.file.Files.isReadable(java.nio.file.Path.of(store))) {
                throw ValidationException.of(store.equals(tlsKeyStore) ? "tls-keystore" : "tls-truststore", store,
                        "a readable PKCS#12 file (deploy/tls.sh makes them)");
            }
        }
        if (maxNoHeartbeatSeconds < 2 || maxNoHeartbeatSeconds > 300) {
            throw ValidationException.of("maxNoHeartbeatSeconds", maxNoHeartbeatSeconds, "2-300");
        }
        return this;
    }
}
