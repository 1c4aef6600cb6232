package io.fleetgen.codec.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The cluster options every Fleetgen command line takes (agent and control alike), as a picocli mixin; one
 * place, so the two cannot drift apart. Options may also come from a file: {@code fleetgen-agent @agent.conf}.
 */
public final class ClusterCli {
    @Option(names = "--members", split = ",",
            description = "Cluster members (host or host:port), comma separated.")
    private List<String> members = new ArrayList<>();

    @Option(names = "--bind", description = "This host's address for Hazelcast and the event bus.")
    private String bind;

    @Option(names = "--cluster-name", defaultValue = ClusterOptions.DEFAULT_CLUSTER_NAME,
            description = "Hazelcast cluster name (default: ${DEFAULT-VALUE}).")
    private String clusterName;

    @Option(names = "--credentials", description = "This node's credentials directory from deploy/tls.sh "
            + "(node.p12, node.password, fleet-ca.crt): commands and counters are authenticated with them.")
    private Path credentials;

    @Option(names = "--bus-tls", defaultValue = "true", arity = "1",
            description = "Mutual TLS on the event bus with the credentials (default: ${DEFAULT-VALUE}).")
    private boolean busTls;

    @Option(names = "--heartbeat-timeout-seconds", defaultValue = "" + ClusterOptions.DEFAULT_MAX_NO_HEARTBEAT_SECONDS,
            description = "Seconds without a heartbeat before a member is declared gone and its runs LOST (2-300; "
            + "default: ${DEFAULT-VALUE}). Every member should use the same; raise it on a loaded or large fleet "
            + "(docs/SCALE.md).")
    private int heartbeatTimeoutSeconds;

    @Option(names = "--max-cluster-packet-kib", defaultValue = "" + ClusterOptions.DEFAULT_MAX_CLUSTER_PACKET_KIB,
            description = "The largest Hazelcast member-protocol packet read, KiB (16-65536; default: "
            + "${DEFAULT-VALUE}); the packets being read from one peer hold at most twice this, from all peers "
            + "8 times.")
    private int maxClusterPacketKib;

    @Option(names = "--max-peer-connections", defaultValue = "" + ClusterOptions.DEFAULT_MAX_PEER_CONNECTIONS,
            description = "Inbound connections one peer address may hold open to this node's member port, and as "
            + "many to its event bus (1-4096; default: ${DEFAULT-VALUE}); more are closed as they are accepted.")
    private int maxPeerConnections;

    @Option(names = "--max-connections", defaultValue = "" + ClusterOptions.DEFAULT_MAX_CONNECTIONS,
            description = "Inbound connections all peers together may hold open to this node's member port, and as "
            + "many to its event bus (16-65536; default: ${DEFAULT-VALUE}); keep it above the fleet's size and below "
            + "the node's file descriptor limit.")
    private int maxConnections;

    @Option(names = "--insecure", description = "Run without credentials: anyone on the management network "
            + "can command the agents. Only for a closed lab.")
    private boolean insecure;

    /**
     * The validated cluster options.
     *
     * @throws io.fleetgen.codec.ValidationException naming the option to change
     */
    public ClusterOptions options() {
        ClusterOptions o = new ClusterOptions().setMembers(members).setBind(bind).setClusterName(clusterName)
                .setCredentials(credentials == null ? null : credentials.toString()).setBusTls(busTls)
                .setInsecure(insecure).setMaxNoHeartbeatSeconds(heartbeatTimeoutSeconds)
                .setMaxClusterPacketKib(maxClusterPacketKib).setMaxPeerConnections(maxPeerConnections)
                .setMaxConnections(maxConnections);
        return o.validate();
    }

    /** The credentials directory given, or {@code null}. */
    public String credentials() {
        return credentials == null ? null : credentials.toString();
    }
}
