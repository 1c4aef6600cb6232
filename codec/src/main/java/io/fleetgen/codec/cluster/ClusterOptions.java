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
    /**
     * The largest Hazelcast member-protocol packet a member reads, KiB. A lab cluster's largest (its partition table
     * and member list) are 5.9, 12.7 and 20.2 KiB at 4, 8 and 16 agents, about 1 KiB more per member.
     */
    public static final int DEFAULT_MAX_CLUSTER_PACKET_KIB = 4096;
    /**
     * Inbound connections one peer address may hold open to each of a node's two ports (member protocol, event bus).
     * A member needs one (two for a moment when two members connect to each other at once); several controls on one
     * host need one each.
     */
    public static final int DEFAULT_MAX_PEER_CONNECTIONS = 16;
    /**
     * Inbound connections all peers together may hold open to each of a node's two ports: above the fleet's size (at
     * most one per other member), well below the file descriptors a node has (4,096 in deploy/'s service units).
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    /** Mutual TLS on the event bus whenever the node has credentials. */
    public static final boolean DEFAULT_BUS_TLS = true;
    /** In a credentials directory: this node's key and certificate (PKCS#12). */
    public static final String CREDENTIAL_FILE = "node.p12";
    /** In a credentials directory: the password of {@link #CREDENTIAL_FILE}. */
    public static final String PASSWORD_FILE = "node.password";
    /** In a credentials directory: the fleet CA's certificate (PEM). */
    public static final String CA_FILE = "fleet-ca.crt";

    private List<String> members = new ArrayList<>();
    private String bind;
    private String clusterName = DEFAULT_CLUSTER_NAME;
    private int hazelcastPort = DEFAULT_HAZELCAST_PORT;
    private int busPort = DEFAULT_BUS_PORT;
    private boolean liteMember;
    private int maxNoHeartbeatSeconds = DEFAULT_MAX_NO_HEARTBEAT_SECONDS;
    private int maxClusterPacketKib = DEFAULT_MAX_CLUSTER_PACKET_KIB;
    private int maxPeerConnections = DEFAULT_MAX_PEER_CONNECTIONS;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private String credentials;
    private boolean busTls = DEFAULT_BUS_TLS;
    private boolean insecure;

    static {
        // Every way into the cluster (the mains, the Java API) makes these options before Vert.x loads Netty.
        FleetgenCluster.quietNetty();
    }

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
        this.maxClusterPacketKib = o.maxClusterPacketKib;
        this.maxPeerConnections = o.maxPeerConnections;
        this.maxConnections = o.maxConnections;
        this.credentials = o.credentials;
        this.busTls = o.busTls;
        this.insecure = o.insecure;
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
        maxClusterPacketKib = json.getInteger("maxClusterPacketKib", DEFAULT_MAX_CLUSTER_PACKET_KIB);
        maxPeerConnections = json.getInteger("maxPeerConnections", DEFAULT_MAX_PEER_CONNECTIONS);
        maxConnections = json.getInteger("maxConnections", DEFAULT_MAX_CONNECTIONS);
        credentials = json.getString("credentials");
        busTls = json.getBoolean("busTls", DEFAULT_BUS_TLS);
        insecure = json.getBoolean("insecure", false);
    }

    public JsonObject toJson() {
        return new JsonObject().put("members", new JsonArray(members)).put("bind", bind)
                .put("clusterName", clusterName).put("hazelcastPort", hazelcastPort).put("busPort", busPort)
                .put("liteMember", liteMember).put("maxNoHeartbeatSeconds", maxNoHeartbeatSeconds)
                .put("maxClusterPacketKib", maxClusterPacketKib).put("maxPeerConnections", maxPeerConnections)
                .put("maxConnections", maxConnections)
                .put("credentials", credentials).put("busTls", busTls).put("insecure", insecure);
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

    public int getMaxClusterPacketKib() {
        return maxClusterPacketKib;
    }

    /**
     * The largest Hazelcast member-protocol packet this member reads, KiB (16-65536); a connection sending a larger one
     * is closed. The packets being read from one peer address hold at most twice this, from all peers 8 times; a peer
     * that claims more is refused before anything is allocated.
     */
    public ClusterOptions setMaxClusterPacketKib(int kib) {
        this.maxClusterPacketKib = kib;
        return this;
    }

    public int getMaxPeerConnections() {
        return maxPeerConnections;
    }

    /**
     * Inbound connections one peer address may hold open to this node's member port, and as many to its event bus
     * (1-4096); a connection beyond them is closed as it is accepted.
     */
    public ClusterOptions setMaxPeerConnections(int n) {
        this.maxPeerConnections = n;
        return this;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    /**
     * Inbound connections all peers together may hold open to this node's member port, and as many to its event bus
     * (16-65536); a connection beyond them is closed as it is accepted.
     */
    public ClusterOptions setMaxConnections(int n) {
        this.maxConnections = n;
        return this;
    }

    /**
     * This node's credentials directory (made by {@code deploy/tls.sh}): {@value #CREDENTIAL_FILE},
     * {@value #PASSWORD_FILE} and {@value #CA_FILE}; {@code null} for none (then {@link #isInsecure()} must be set).
     */
    public String getCredentials() {
        return credentials;
    }

    public ClusterOptions setCredentials(String dir) {
        this.credentials = dir;
        return this;
    }

    /** Whether the event bus runs with mutual TLS from the credentials; default true. */
    public boolean isBusTls() {
        return busTls;
    }

    public ClusterOptions setBusTls(boolean busTls) {
        this.busTls = busTls;
        return this;
    }

    /**
     * Runs without credentials: commands are not authenticated and anyone who reaches the management network
     * can command the agents. Only for a closed lab; never the default.
     */
    public boolean isInsecure() {
        return insecure;
    }

    public ClusterOptions setInsecure(boolean insecure) {
        this.insecure = insecure;
        return this;
    }

    /** Whether the event bus runs with mutual TLS. */
    public boolean isTls() {
        return credentials != null && busTls;
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
        if (credentials == null && !insecure) {
            throw ValidationException.of("credentials", "missing", "--credentials DIR (made by deploy/tls.sh), or "
                    + "--insecure to run without authentication");
        }
        if (credentials != null && insecure) {
            throw ValidationException.of("insecure", "set with --credentials", "one of --credentials or --insecure");
        }
        if (credentials != null) {
            for (String f : new String[] {CREDENTIAL_FILE, PASSWORD_FILE, CA_FILE}) {
                if (!java.nio.file.Files.isReadable(java.nio.file.Path.of(credentials, f))) {
                    throw ValidationException.of("credentials", credentials, "a directory with a readable " + f
                            + " (deploy/tls.sh makes it)");
                }
            }
        }
        if (maxNoHeartbeatSeconds < 2 || maxNoHeartbeatSeconds > 300) {
            throw ValidationException.of("heartbeat-timeout-seconds", maxNoHeartbeatSeconds, "2-300");
        }
        if (maxClusterPacketKib < 16 || maxClusterPacketKib > 65536) {
            throw ValidationException.of("max-cluster-packet-kib", maxClusterPacketKib, "16-65536");
        }
        if (maxPeerConnections < 1 || maxPeerConnections > 4096) {
            throw ValidationException.of("max-peer-connections", maxPeerConnections, "1-4096");
        }
        if (maxConnections < 16 || maxConnections > 65536 || maxConnections < maxPeerConnections) {
            throw ValidationException.of("max-connections", maxConnections, "16-65536 and at least "
                    + "--max-peer-connections (" + maxPeerConnections + ")");
        }
        return this;
    }
}
