package io.fleetgen.control;

import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.cluster.ClusterOptions;
import io.fleetgen.codec.cluster.FleetgenCluster;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;

/**
 * A connection to the fleet: joins the cluster as a Hazelcast lite member (no data partitions) and hands out
 * {@link Sender}s and {@link Receiver}s. Close it to leave the cluster.
 */
public final class Fleet implements AutoCloseable {
    private final Vertx vertx;

    private Fleet(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Joins the cluster (blocking, at most 60 s). */
    public static Fleet join(ClusterOptions options) {
        ClusterOptions o = new ClusterOptions(options).setLiteMember(true);
        try {
            return new Fleet(FleetgenCluster.start(o, new VertxOptions()).await(60, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new FleetException(io.fleetgen.codec.ErrorCode.IO, "join: " + e.getMessage(), e);
        }
    }

    /** The clustered Vert.x, for Future-based code. */
    public Vertx vertx() {
        return vertx;
    }

    public Host host(String id) {
        return new Host(id);
    }

    public Sender sender(String name, ProfileSpec profile, Host host) {
        return new Sender(vertx, name, profile, host);
    }

    public Receiver receiver(String name, ProfileSpec profile, Host host) {
        return new Receiver(vertx, name, profile, host);
    }

    @Override
    public void close() {
        try {
            vertx.close().await(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new FleetException(io.fleetgen.codec.ErrorCode.IO, "leave: " + e.getMessage(), e);
        }
    }
}
