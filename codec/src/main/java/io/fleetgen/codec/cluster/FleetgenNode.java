package io.fleetgen.codec.cluster;

import io.fleetgen.codec.security.Keyring;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * A node of the Fleetgen cluster once joined: its clustered Vert.x, its keyring (the proof of who it is and the
 * check of who others are) and its Hazelcast cluster manager (to check and repair the routing maps).
 */
public final class FleetgenNode {
    private final Vertx vertx;
    private final Keyring keyring;
    private final HazelcastClusterManager cluster;

    FleetgenNode(Vertx vertx, Keyring keyring, HazelcastClusterManager cluster) {
        this.vertx = vertx;
        this.keyring = keyring;
        this.cluster = cluster;
    }

    public Vertx vertx() {
        return vertx;
    }

    public Keyring keyring() {
        return keyring;
    }

    public HazelcastClusterManager cluster() {
        return cluster;
    }

    /** This node's id in the cluster. */
    public String nodeId() {
        return cluster.getNodeId();
    }

    /** This node's event-bus address, {@code host:port}, as the cluster's node map holds it. */
    public String busAddress() {
        var info = cluster.getNodeInfo();
        return info == null ? "" : info.host() + ":" + info.port();
    }

    /** Leaves the cluster. */
    public Future<Void> close() {
        return vertx.close();
    }
}
