package io.fleetgen.codec.cluster;

import io.fleetgen.codec.ValidationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The cluster options every Fleetgen command line takes (agent and control alike), as a picocli mixin; one
 * place, so the two cannot drift apart. Options may also come from a file: {@code fleetgen-agent @agent.conf}.
 */
public final class ClusterCli {
    @Option(names = "--members", split = ",", required = true,
            description = "Cluster members (host or host:port), comma separated.")
    private List<String> members = new ArrayList<>();

    @Option(names = "--bind", required = true, description = "This host's address for Hazelcast and the event bus.")
    private String bind;

    @Option(names = "--cluster-name", defaultValue = ClusterOptions.DEFAULT_CLUSTER_NAME,
            description = "Hazelcast cluster name (default: ${DEFAULT-VALUE}).")
    private String clusterName;

    @Option(names = "--tls-keystore", description = "PKCS#12 key store with this node's certificate (mutual TLS).")
    private Path keyStore;

    @Option(names = "--tls-truststore", description = "PKCS#12 trust store with the fleet CA (mutual TLS).")
    private Path trustStore;

    @Option(names = "--tls-password-file", description = "File holding the stores' password.")
    private Path passwordFile;

    /**
     * The validated cluster options.
     *
     * @throws ValidationException naming the option to change
     */
    public ClusterOptions options() {
        ClusterOptions o = new ClusterOptions().setMembers(members).setBind(bind).setClusterName(clusterName);
        if (keyStore != null || trustStore != null) {
            o.setTlsKeyStore(keyStore == null ? null : keyStore.toString())
                    .setTlsTrustStore(trustStore == null ? null : trustStore.toString());
            if (passwordFile == null) {
                throw ValidationException.of("tls-password-file", "missing", "the file with the stores' password");
            }
            try {
                o.setTlsPassword(Files.readString(passwordFile, StandardCharsets.UTF_8).trim());
            } catch (IOException e) {
                throw ValidationException.of("tls-password-file", passwordFile, "a readable file");
            }
        }
        return o.validate();
    }
}
