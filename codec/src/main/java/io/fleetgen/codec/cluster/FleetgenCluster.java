package io.fleetgen.codec.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.fleetgen.codec.FleetgenCodecs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PfxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.function.Consumer;

/** Starts a clustered Vert.x for Fleetgen and registers the codecs on it, for agents and controls alike. */
public final class FleetgenCluster {
    private FleetgenCluster() {
    }

    /** The Hazelcast configuration for these options (Vert.x's defaults for its own maps kept). */
    public static Config hazelcastConfig(ClusterOptions o) {
        Config cfg = ConfigUtil.loadConfig();
        cfg.setClusterName(o.getClusterName());
        cfg.setLiteMember(o.isLiteMember());
        cfg.setProperty("hazelcast.phone.home.enabled", "false");
        cfg.setProperty("hazelcast.shutdownhook.enabled", "false");
        cfg.setProperty("hazelcast.logging.type", "jdk");
        cfg.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        cfg.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(o.getMaxNoHeartbeatSeconds()));
        cfg.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
        cfg.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
        cfg.setProperty("hazelcast.socket.bind.any", "false");
        cfg.setProperty("hazelcast.wait.seconds.before.join", "0");
        cfg.setProperty("hazelcast.local.localAddress", o.getBind());
        NetworkConfig net = cfg.getNetworkConfig();
        net.setPort(o.getHazelcastPort()).setPortAutoIncrement(true);
        net.getInterfaces().setEnabled(true).clear().addInterface(o.getBind());
        net.getRestApiConfig().setEnabled(false);
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(o.getMembers()).setConnectionTimeoutSeconds(2);
        return cfg;
    }

    /** Joins the cluster; the future completes once the event bus can route to this node. */
    public static Future<Vertx> start(ClusterOptions options, VertxOptions vertxOptions) {
        return start(options, vertxOptions, null);
    }

    /**
     * Joins the cluster and calls {@code memberLeft} with the address of every member that leaves it (or is
     * declared dead after the heartbeat timeout), on a Hazelcast thread.
     */
    public static Future<Vertx> start(ClusterOptions options, VertxOptions vertxOptions,
            Consumer<String> memberLeft) {
        options.validate();
        Config cfg = hazelcastConfig(options);
        if (memberLeft != null) {
            cfg.addListenerConfig(new ListenerConfig(new MembershipListener() {
                @Override
                public void memberAdded(MembershipEvent event) {
                    // Agents announce themselves on the bus; nothing to do here.
                }

                @Override
                public void memberRemoved(MembershipEvent event) {
                    memberLeft.accept(event.getMember().getAddress().getHost());
                }
            }));
        }
        HazelcastClusterManager mgr = new HazelcastClusterManager(cfg);
        VertxOptions vo = new VertxOptions(vertxOptions);
        EventBusOptions bus = new EventBusOptions(vo.getEventBusOptions()).setHost(options.getBind())
                .setPort(options.getBusPort()).setClusterPublicHost(options.getBind());
        if (options.isTls()) {
            // Mutual TLS: every bus connection, in and out, presents a certificate of the fleet CA and requires
            // one; a node without one cannot deliver a command (issue 5).
            bus.setSsl(true).setClientAuth(ClientAuth.REQUIRED)
                    .setKeyCertOptions(new PfxOptions().setPath(options.getTlsKeyStore())
                            .setPassword(options.getTlsPassword()))
                    .setTrustOptions(new PfxOptions().setPath(options.getTlsTrustStore())
                            .setPassword(options.getTlsPassword()));
        }
        vo.setEventBusOptions(bus);
        return Vertx.builder().with(vo).withClusterManager(mgr).buildClustered().map(v -> {
            FleetgenCodecs.register(v.eventBus());
            return v;
        });
    }
}
