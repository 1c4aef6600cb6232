package io.fleetgen.codec.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.core.HazelcastInstance;
import io.fleetgen.codec.ValidationException;
import io.fleetgen.codec.wire.FleetgenCodecs;
import io.fleetgen.codec.wire.Wire;
import io.fleetgen.codec.security.Keyring;
import io.fleetgen.codec.security.Credential;
import io.fleetgen.codec.security.CredentialRole;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Joins the Fleetgen cluster with a clustered Vert.x, its codec and keyring, for agents and controls alike. */
public final class FleetgenCluster {
    /**
     * The member attribute that says what a member is ({@link CredentialRole#name()}: AGENT or CONTROL), so that a
     * control tells agents from controls whether or not they hold partitions. It is what the member says of itself,
     * used only to count (a member's {@link MemberProof} binds it to the role of its credential); who may command is
     * decided by the sealed envelopes.
     */
    public static final String ROLE_ATTRIBUTE = "fleetgen.role";
    private static final String NETTY_JFR = "io.netty.jfr.enabled";
    /** Heartbeats a member may miss, at most, before the timeout declares it gone (Hazelcast's defaults: 12). */
    static final int HEARTBEATS_PER_TIMEOUT = 5;
    /** Per connection socket buffers, KiB: control messages are small; an agent has a connection per member. */
    private static final int SOCKET_BUFFER_KIB = 32;

    private FleetgenCluster() {
    }

    /**
     * Turns off the JDK Flight Recorder events of Netty's buffer allocator unless the operator asked for them
     * ({@code -Dio.netty.jfr.enabled=true}). When JFR is present, the first buffer chunk Netty 4.2 allocates loads and
     * builds JFR's whole event metadata (some 110 classes and generated handlers) on the event loop that writes, for
     * events nobody records: 0.2 s of an idle machine, and on the control of a 32-agent lab on two vCPUs an event loop
     * blocked for 13 s. Netty reads the property once, when it first loads: the mains call this first, and so does
     * the initialisation of {@link ClusterOptions} (which a Java API user makes before joining).
     */
    public static void quietNetty() {
        if (System.getProperty(NETTY_JFR) == null) {
            System.setProperty(NETTY_JFR, "false");
        }
    }

    /** Whether {@code member} is an agent: it says so, or (a member that says nothing) it holds partitions. */
    public static boolean isAgent(com.hazelcast.cluster.Member member) {
        String role = member.getAttribute(ROLE_ATTRIBUTE);
        return role == null ? !member.isLiteMember() : CredentialRole.AGENT.name().equals(role);
    }

    /**
     * Hazelcast's threads on an agent, as few as its control plane needs (issue 15: 37 threads by default); a control
     * (talking to every agent) keeps Hazelcast's defaults. Each is a system property an operator may
     * set (-Dhazelcast.io.thread.count=3 ...).
     */
    private static final String[][] THREADS = {
        {"hazelcast.io.thread.count", "1"},
        {"hazelcast.event.thread.count", "1"},
        // Two of each: with one partition and one generic operation thread, start/stop cycles fell 11-20 % (the
        // event bus's registrations are Hazelcast operations), measured against two (issue 16's control figures).
        {"hazelcast.operation.thread.count", "2"},
        {"hazelcast.operation.generic.thread.count", "2"},
        {"hazelcast.response.thread.count", "2"},
        {"hazelcast.slow.operation.detector.enabled", "false"},
        {"hazelcast.health.monitoring.level", "OFF"},
        {"hazelcast.io.balancer.interval.seconds", "-1"},
    };

    /**
     * The largest message a node's event bus takes from a connection ({@link BusFrameGuard}): Fleetgen's own
     * message limit and room for what Vert.x adds (addresses, headers, the sender's address).
     */
    static final int MAX_BUS_MESSAGE_BYTES = Wire.MAX_MESSAGE_BYTES + 64 * 1024;

    /** Settings every member shares, agent or control (the partition count must be the same cluster-wide). */
    private static final String[][] SHARED = {
        // The cluster's maps hold the event bus's subscriptions and node records: a few hundred entries, for which
        // 271 partitions (the default) are mostly empty tables on every member. Every member must use the same.
        {"hazelcast.partition.count", "71"},
    };

    /**
     * The Hazelcast configuration of a member with {@code role} for these options: built in code rather than parsed
     * from Vert.x's {@code default-cluster.xml} (whose three map settings it repeats), so that a member loads no XML
     * parser (some 700 classes of a member's 8,600).
     */
    public static Config hazelcastConfig(ClusterOptions o, CredentialRole role) {
        Config cfg = new Config();
        cfg.getMultiMapConfig("__vertx.subs").setBackupCount(1)
                .setValueCollectionType(com.hazelcast.config.MultiMapConfig.ValueCollectionType.SET);
        cfg.getMapConfig("__vertx.haInfo").setBackupCount(1);
        cfg.getMapConfig("__vertx.nodeInfo").setBackupCount(1);
        cfg.getMetricsConfig().setEnabled(false);
        cfg.getJetConfig().setEnabled(false);
        for (String[] t : role == CredentialRole.AGENT ? concat(THREADS, SHARED) : SHARED) {
            cfg.setProperty(t[0], System.getProperty(t[0], t[1]));
        }
        cfg.setClusterName(o.getClusterName());
        cfg.setLiteMember(o.isLiteMember());
        cfg.getMemberAttributeConfig().setAttribute(ROLE_ATTRIBUTE, role.name());
        cfg.setProperty("hazelcast.phone.home.enabled", "false");
        cfg.setProperty("hazelcast.shutdownhook.enabled", "false");
        cfg.setProperty("hazelcast.logging.type", "jdk");
        // A heartbeat to every member every fifth of the timeout, at least every second: 1 s at the default 5 s;
        // a fleet that waits longer for its members (loaded, large) sends fewer (each member sends and receives one
        // per member and interval: at 16 agents with 15 s, 3 s instead of 1 s cut an idle agent's CPU by 11 %).
        String interval = "hazelcast.heartbeat.interval.seconds";
        cfg.setProperty(interval, System.getProperty(interval,
                Integer.toString(Math.max(1, o.getMaxNoHeartbeatSeconds() / HEARTBEATS_PER_TIMEOUT))));
        cfg.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(o.getMaxNoHeartbeatSeconds()));
        // A member cut off by a partition looks for the rest of the cluster every 2 s, so that it is back within
        // seconds of its link (issue 15).
        cfg.setProperty("hazelcast.merge.first.run.delay.seconds", "2");
        cfg.setProperty("hazelcast.merge.next.run.delay.seconds", "2");
        // The search tries each member address on this many ports: a port nobody listens on costs it 5 s (the
        // split-brain connection timeout), three of them per member made a healed partition wait 15 s and more.
        // Members on another port than the first are listed with it (ADDRESS:PORT).
        cfg.setProperty("hazelcast.tcp.join.port.try.count", "1");
        cfg.setProperty("hazelcast.socket.bind.any", "false");
        // Connections this member opens leave from its own address, which is what their handshake claims: a member
        // connection whose claim is not its peer's address is closed (MemberClaims).
        cfg.setProperty("hazelcast.socket.client.bind.any", "false");
        cfg.setProperty("hazelcast.wait.seconds.before.join", "0");
        cfg.setProperty("hazelcast.local.localAddress", ipOf(o.getBind()));
        JoinConfig join = memberEndpointOnly(cfg, o);
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        // A starting member asks the listed members for their master for this long (one of Hazelcast's one-second
        // rounds) before the one with the lowest address may claim mastership, which every member it is connected to
        // must approve (a member that already has a master refuses). Two rounds (2 s) made every fleet that started
        // together wait a second more for nothing (issue 15: two agents at once ready after 4.1-9.0 s, 2.3-2.4 with
        // one round and the master's announcement, MasterAnnouncingJoiner).
        join.getTcpIpConfig().setEnabled(true).setMembers(o.getMembers()).setConnectionTimeoutSeconds(1);
        cfg.getSerializationConfig().setJavaSerializationFilterConfig(deserializationFilter());
        return cfg;
    }

    /**
     * One server socket, for members only: no client protocol, REST or memcache endpoint. Hazelcast then runs no
     * client engine, so a process on the management network cannot connect as a client (which needs no more than
     * the cluster name) and read or rewrite the event bus's maps; a member loads none of the client protocol's
     * message tasks either.
     */
    private static JoinConfig memberEndpointOnly(Config cfg, ClusterOptions o) {
        AdvancedNetworkConfig net = cfg.getAdvancedNetworkConfig().setEnabled(true);
        ServerSocketEndpointConfig member = new ServerSocketEndpointConfig();
        member.setPort(o.getHazelcastPort()).setPortAutoIncrement(true);
        member.getInterfaces().setEnabled(true).clear().addInterface(ipOf(o.getBind()));
        member.setSocketRcvBufferSizeKb(SOCKET_BUFFER_KIB).setSocketSendBufferSizeKb(SOCKET_BUFFER_KIB);
        net.setMemberEndpointConfig(member);
        return net.getJoin();
    }

    /**
     * The IP address of {@code bind} (an address, or a name of this host): the member address a member gives in its
     * handshakes must be an address, which the peer compares with the connection's ({@link MemberClaims}).
     */
    static String ipOf(String bind) {
        try {
            return java.net.InetAddress.getByName(bind).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw ValidationException.of("bind", bind, "an address configured on this host; set --bind");
        }
    }

    private static String[][] concat(String[][] a, String[][] b) {
        String[][] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /**
     * The Java deserialization filter of the cluster's members: Hazelcast deserializes what any member (a
     * compromised host's, say) stores in the Vert.x maps; only the classes Vert.x stores there may be
     * instantiated, and Hazelcast's default deny list stays on (issue 10).
     */
    static JavaSerializationFilterConfig deserializationFilter() {
        JavaSerializationFilterConfig f = new JavaSerializationFilterConfig().setDefaultsDisabled(false);
        f.getWhitelist().addClasses("io.vertx.spi.cluster.hazelcast.impl.HazelcastRegistrationInfo",
                "io.vertx.spi.cluster.hazelcast.impl.HazelcastNodeInfo",
                "io.vertx.spi.cluster.hazelcast.impl.DataSerializableHolder");
        f.getWhitelist().addPrefixes("com.hazelcast.");
        return f;
    }

    /**
     * Joins the cluster as {@code role} (an agent named {@code name}, or a control); the future completes once
     * the event bus can route to this node. {@code memberLeft} gets the address of every member that leaves (or
     * is declared dead after the heartbeat timeout), on a Hazelcast thread; it may be {@code null}.
     */
    public static Future<FleetgenNode> join(ClusterOptions options, VertxOptions vertxOptions, CredentialRole role,
            String name, Consumer<String> memberLeft) {
        return join(options, vertxOptions, null, role, name, memberLeft);
    }

    /** {@link #join(ClusterOptions, VertxOptions, CredentialRole, String, Consumer)} with Vert.x metrics. */
    public static Future<FleetgenNode> join(ClusterOptions options, VertxOptions vertxOptions,
            io.vertx.core.spi.VertxMetricsFactory metrics, CredentialRole role, String name,
            Consumer<String> memberLeft) {
        options.validate();
        Keyring keyring = keyring(options, role, name);
        Config cfg = hazelcastConfig(options, role);
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
        VertxOptions vo = new VertxOptions(vertxOptions);
        EventBusOptions bus = new EventBusOptions(vo.getEventBusOptions()).setHost(options.getBind())
                .setPort(options.getBusPort()).setClusterPublicHost(options.getBind());
        if (options.isTls()) {
            // Mutual TLS: every bus connection presents this node's fleet credential and requires one from the
            // fleet CA. Confidentiality; who may command is decided by the sealed envelopes, with TLS or without.
            // The clustered bus copies only file-based key options to its server (a wrapped key manager is lost),
            // so TLS uses the credential file as it was at start; a renewal reaches TLS at the node's next start,
            // the sealing of messages at once.
            Path dir = Path.of(options.getCredentials());
            bus.setSsl(true).setClientAuth(ClientAuth.REQUIRED)
                    .setKeyCertOptions(new PfxOptions().setPath(dir.resolve(ClusterOptions.CREDENTIAL_FILE).toString())
                            .setPassword(new String(Credential.readPassword(dir.resolve(ClusterOptions.PASSWORD_FILE),
                                    "credentials"))))
                    .setTrustOptions(new PemTrustOptions().addCertPath(dir.resolve(ClusterOptions.CA_FILE).toString()));
        }
        vo.setEventBusOptions(bus);
        return startMember(cfg, options, keyring).compose(mgr -> {
            BusTransport transport = new BusTransport(MAX_BUS_MESSAGE_BYTES, ConnectionLimit.of("event bus", options));
            io.vertx.core.VertxBuilder builder = Vertx.builder().with(vo).withClusterManager(mgr)
                    .withTransport(transport.asVertxTransport());
            if (metrics != null) {
                builder = builder.withMetrics(metrics);
            }
            return builder.buildClustered().onFailure(e -> FleetgenClusterManager.shutdown(mgr.getHazelcastInstance()))
                    .map(v -> {
                        FleetgenCodecs.register(v.eventBus());
                        transport.busPort(mgr.getNodeInfo().port());
                        return new FleetgenNode(v, keyring, mgr);
                    });
        }).recover(e -> Future.failedFuture(joinFailure(e, options, role)));
    }

    private static Keyring keyring(ClusterOptions options, CredentialRole role, String name) {
        return options.getCredentials() == null ? Keyring.insecure()
                : Keyring.load(Path.of(options.getCredentials(), ClusterOptions.CREDENTIAL_FILE),
                        Path.of(options.getCredentials(), ClusterOptions.PASSWORD_FILE),
                        Path.of(options.getCredentials(), ClusterOptions.CA_FILE), role, name);
    }

    /**
     * A Hazelcast member alone, without Vert.x, started as {@link #join} starts one (its connections bounded, its
     * join proven with the credential of {@code options}): for a tool that looks at the cluster itself. {@code cfg}
     * is {@link #hazelcastConfig} of the same options, with whatever the tool changes. Blocks until it has joined.
     */
    public static HazelcastInstance member(Config cfg, ClusterOptions options, CredentialRole role, String name) {
        options.validate();
        return FleetgenClusterManager.start(cfg, options.getMaxClusterPacketKib() * 1024,
                ConnectionLimit.of("member port", options), keyring(options, role, name)).getHazelcastInstance();
    }

    /**
     * Starts the Hazelcast member on a thread of its own (it blocks until the member has joined). Not a daemon: the
     * member's threads take that from the thread that starts them, as they did from Vert.x's worker.
     */
    private static Future<HazelcastClusterManager> startMember(Config cfg, ClusterOptions options,
            Keyring keyring) {
        io.vertx.core.Promise<HazelcastClusterManager> started = io.vertx.core.Promise.promise();
        Thread t = new Thread(() -> {
            try {
                started.complete(FleetgenClusterManager.start(cfg, options.getMaxClusterPacketKib() * 1024,
                        ConnectionLimit.of("member port", options), keyring));
            } catch (RuntimeException e) {
                started.fail(e);
            }
        }, "fleetgen-join");
        t.start();
        return started.future();
    }

    /**
     * Why joining failed: when every member found is a lite member, nobody can hold the event bus's maps, and the
     * option to change is named (a lite agent's {@code --lite-member}, a control's {@code --members}); otherwise the
     * failure as it came.
     */
    private static Throwable joinFailure(Throwable e, ClusterOptions options, CredentialRole role) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof com.hazelcast.partition.NoDataMemberInClusterException) {
                return role == CredentialRole.AGENT
                        ? ValidationException.of("lite-member", true, "a member of the cluster at "
                                + options.getMembers() + " that holds its data (an agent without --lite-member); "
                                + "start one first")
                        : ValidationException.of("members", options.getMembers(), "an agent without --lite-member "
                                + "among them (every member found is a lite member: none holds the cluster's data)");
            }
        }
        return e;
    }
}
