package io.fleetgen.codec.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.fleetgen.codec.FleetgenCodecs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

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
        options.validate();
        HazelcastClusterManager mgr = new HazelcastClusterManager(hazelcastConfig(options));
        VertxOptions vo = new VertxOptions(vertxOptions);
        vo.setEventBusOptions(new EventBusOptions(vo.getEventBusOptions()).setHost(options.getBind())
                .setPort(options.getBusPort()).setClusterPublicHost(options.getBind()));
        return Vertx.builder().with(vo).withClusterManager(mgr).buildClustered().map(v -> {
            FleetgenCodecs.register(v.eventBus());
            return v;
        });
    }
}
