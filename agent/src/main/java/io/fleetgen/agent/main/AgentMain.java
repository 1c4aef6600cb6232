package io.fleetgen.agent.main;

import io.fleetgen.agent.AgentOptions;
import io.fleetgen.agent.Cidr;
import io.fleetgen.agent.impl.AgentVerticle;
import io.fleetgen.agent.impl.sys.NativePcap;
import io.fleetgen.agent.impl.sys.Threads;
import io.fleetgen.codec.ValidationException;
import io.fleetgen.codec.cluster.ClusterCli;
import io.fleetgen.codec.cluster.ClusterOptions;
import io.fleetgen.codec.cluster.FleetgenCluster;
import io.fleetgen.codec.cluster.FleetgenNode;
import io.fleetgen.codec.cluster.MemberWatch;
import io.fleetgen.codec.security.CredentialRole;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The agent process: joins the cluster, deploys the agent verticle, serves until SIGTERM. */
@Command(name = "fleetgen-agent", mixinStandardHelpOptions = true, version = AgentMain.VERSION,
        description = "Fleetgen agent: sends and captures packets on this host when the control asks.")
public final class AgentMain implements Callable<Integer> {
    static final String VERSION = "0.1.0";
    /**
     * Longest wait for the agent's start once joined (consumers registered, host facts read, first announcement):
     * 2 s on an idle host; 30 s was not enough for one of 32 agents starting on two vCPUs (docs/SCALE.md).
     */
    private static final int START_SECONDS = 90;

    @Option(names = "--host-id", description = "Host id commands are addressed to (default: hostname).")
    private String hostId;

    @Mixin
    private ClusterCli clusterCli;

    @Option(names = "--counter-interval-ms", defaultValue = "1000",
            description = "Milliseconds between counter events (default: ${DEFAULT-VALUE}).")
    private long counterInterval;

    @Option(names = "--event-loops", defaultValue = "2",
            description = "Vert.x event-loop threads (default: ${DEFAULT-VALUE}; the agent's control plane is light).")
    private int eventLoops;

    @Option(names = "--workers", defaultValue = "4",
            description = "Vert.x worker threads for blocking work: guard checks, pcap serving, credential reloads "
                    + "(default: ${DEFAULT-VALUE}; starts are prepared on a pool of their own, --max-preparing).")
    private int workers;

    @Option(names = "--jit-nice", defaultValue = "0", description = "Nice value (0-19) of the JVM's JIT compiler "
            + "threads once the agent is ready; 0: unchanged (default: ${DEFAULT-VALUE}). Where many agents share a "
            + "few cores (the lab of bench/scale.sh), 19 lets them serve a command before they compile code for the "
            + "next one (docs/SCALE.md).")
    private int jitNice;

    @Option(names = "--allow", split = ",",
            description = "Destination CIDRs senders may target (default: the connected subnets but the "
                    + "management one).")
    private List<String> allow = new ArrayList<>();

    @Option(names = "--max-run-seconds", defaultValue = "3600",
            description = "Cap on every run's length (default: ${DEFAULT-VALUE}).")
    private long maxRunSeconds;

    @Option(names = "--command-window-ms", defaultValue = "30000",
            description = "How far a command's issue time may be from this host's clock (default: ${DEFAULT-VALUE}).")
    private long commandWindow;

    @Option(names = "--max-commands-per-window", defaultValue = "200000",
            description = "Most commands admitted within one window: the replay cache (default: ${DEFAULT-VALUE}).")
    private int maxCommands;

    @Option(names = "--allow-sources", split = ",",
            description = "Source CIDRs senders may spoof beyond this host's own addresses (default: none).")
    private List<String> allowSources = new ArrayList<>();

    @Option(names = "--capture-ifaces", split = ",", description = "Interfaces receivers may capture on "
            + "(default: every interface with an address but lo and the management one).")
    private List<String> captureIfaces = new ArrayList<>();

    @Option(names = "--pcap-dir", description = "Private directory for pcap recordings "
            + "(default: <tmpdir>/fleetgen-pcap-<host id>, mode 0700).")
    private Path pcapDir;

    @Option(names = "--max-live-runs", defaultValue = "64",
            description = "Live runs at once (default: ${DEFAULT-VALUE}).")
    private int maxLiveRuns;

    @Option(names = "--pacing-priority", defaultValue = "10", description = "SCHED_FIFO priority (0-99) of paced "
            + "transmit threads up to 25 kpps each, so that no other thread delays a departure; 0: none (several "
            + "agents on a few cores should set it). Needs "
            + "CAP_SYS_NICE (default: ${DEFAULT-VALUE}).")
    private int pacingPriority;

    @Option(names = "--pacing-nice", defaultValue = "-10", description = "Nice value (-20..0) of faster paced "
            + "transmit threads; 0: unchanged (default: ${DEFAULT-VALUE}).")
    private int pacingNice;

    @Option(names = "--kernel-pacing", defaultValue = "false", arity = "1", description = "true: paced transmit "
            + "threads up to 25 kpps each queue frames ahead through io_uring and the kernel's timers send them, so "
            + "no JVM stall moves a departure (frames a late timer held leave together); false: threads pace "
            + "themselves, skipping and counting what they cannot catch up (default: ${DEFAULT-VALUE}).")
    private boolean kernelPacing;

    @Option(names = "--warm-up", defaultValue = "true", arity = "1", description = "true: once ready, the agent "
            + "does once what a first start costs (a control's first seal, a route, frames, a sending and a capture "
            + "handle on the loopback; nothing is sent), so that its first run starts as quickly as later ones; false "
            + "saves ~0.5 s of CPU at start-up (default: ${DEFAULT-VALUE}).")
    private boolean warmUp;

    @Option(names = "--pacing-cpu-latency-us", defaultValue = "0", description = "CPU wake-up latency (us, 0-10000) "
            + "the agent asks the kernel for while paced runs are live, through /dev/cpu_dma_latency (needs root); 0 "
            + "keeps idle CPUs polling so that paced threads wake on time; -1: no request (default: ${DEFAULT-VALUE}).")
    private int pacingCpuLatency;

    @Option(names = "--max-realtime-threads", description = "How many paced transmit threads may run SCHED_FIFO at "
            + "once (0-1024); further ones run as normal threads (default: two per core).")
    private Integer maxRealtimeThreads;

    @Option(names = "--max-tx-threads", defaultValue = "32",
            description = "Transmit threads of all live senders (default: ${DEFAULT-VALUE}).")
    private int maxTxThreads;

    @Option(names = "--max-capture-mib", defaultValue = "1024",
            description = "Capture ring memory of all live captures, MiB: 32 each, a Standard or Burst run at a set "
                    + "rate what holds its whole run, 1-32 (default: ${DEFAULT-VALUE}).")
    private int maxCaptureMib;

    @Option(names = "--max-preparing", defaultValue = "8",
            description = "Threads preparing starts at once (default: ${DEFAULT-VALUE}).")
    private int maxPreparing;

    @Option(names = "--max-pending-starts", defaultValue = "256",
            description = "Starts waiting for or in preparation (default: ${DEFAULT-VALUE}).")
    private int maxPendingStarts;

    @Option(names = "--max-ended-runs", defaultValue = "1000",
            description = "Ended runs remembered for poll and list (default: ${DEFAULT-VALUE}).")
    private int maxEndedRuns;

    @Option(names = "--ended-run-ttl-seconds", defaultValue = "3600",
            description = "Seconds an ended run is remembered for poll and list (default: ${DEFAULT-VALUE}).")
    private long endedRunTtl;

    @Option(names = "--max-listener-connections", defaultValue = "16",
            description = "Connections one receiver's TCP listener holds (default: ${DEFAULT-VALUE}).")
    private int maxListenerConnections;

    @Option(names = "--max-capfilter-chars", defaultValue = "1024",
            description = "Longest capture filter (default: ${DEFAULT-VALUE}).")
    private int maxCapfilterChars;

    @Option(names = "--lite-member", description = "Join as a Hazelcast lite member: no share of the cluster's "
            + "data (the event bus's subscriptions), so no partition migration when this host comes or goes. A fleet "
            + "needs some agents (3-5) without it to hold that data (docs/SCALE.md).")
    private boolean liteMember;

    @Option(names = "--ready-file", description = "File to create once the agent is ready (for scripts).")
    private Path readyFile;

    private static List<Cidr> cidrs(String option, List<String> texts) {
        List<Cidr> out = new ArrayList<>();
        texts.forEach(t -> out.add(Cidr.parse(option, t)));
        return out;
    }

    public static void main(String[] args) {
        FleetgenCluster.quietNetty();
        System.exit(new CommandLine(new AgentMain()).execute(args));
    }

    /** Vert.x's pools, sized for an agent (issue 15: each thread is resident memory on every host). */
    private VertxOptions vertxOptions() {
        if (eventLoops < 1 || eventLoops > 64 || workers < 1 || workers > 256) {
            throw ValidationException.of(eventLoops < 1 || eventLoops > 64 ? "event-loops" : "workers",
                    eventLoops < 1 || eventLoops > 64 ? eventLoops : workers,
                    eventLoops < 1 || eventLoops > 64 ? "1-64" : "1-256");
        }
        return new VertxOptions().setEventLoopPoolSize(eventLoops).setWorkerPoolSize(workers)
                .setInternalBlockingPoolSize(workers);
    }

    /** The agent's options from its command line; throws ValidationException naming a bad one. */
    private AgentOptions agentOptions() throws java.net.UnknownHostException {
        List<Cidr> cidrs = new ArrayList<>();
        allow.forEach(a -> cidrs.add(Cidr.parse("allow", a)));
        AgentOptions o = new AgentOptions();
        if (maxRealtimeThreads != null) {
            o.setMaxRealtimeThreads(maxRealtimeThreads);
        }
        return o.setHostId(hostId != null ? hostId : InetAddress.getLocalHost().getHostName())
                .setCounterIntervalMillis(counterInterval).setAllow(cidrs).setMaxRunSeconds(maxRunSeconds)
                .setCommandWindowMillis(commandWindow).setMaxCommandsPerWindow(maxCommands)
                .setMaxLiveRuns(maxLiveRuns).setMaxTxThreads(maxTxThreads).setMaxCaptureMib(maxCaptureMib)
                .setMaxPreparing(maxPreparing).setMaxPendingStarts(maxPendingStarts).setMaxEndedRuns(maxEndedRuns)
                .setEndedRunTtlSeconds(endedRunTtl)
                .setMaxListenerConnections(maxListenerConnections).setMaxCapfilterChars(maxCapfilterChars)
                .setAllowSources(cidrs("allow-sources", allowSources)).setCaptureInterfaces(captureIfaces)
                .setPcapDir(pcapDir).setPacingPriority(pacingPriority).setPacingNice(pacingNice)
                .setKernelPacing(kernelPacing).setWarmUp(warmUp).setPacingCpuLatencyMicros(pacingCpuLatency);
    }

    @Override
    public Integer call() throws Exception {
        AgentOptions options;
        ClusterOptions cluster;
        try {
            options = agentOptions();
            if (jitNice < 0 || jitNice > 19) {
                throw ValidationException.of("jit-nice", jitNice, "0-19");
            }
            cluster = clusterCli.options().setLiteMember(liteMember);
        } catch (ValidationException e) {
            System.err.println("fleetgen-agent: " + e.getMessage());
            return 2;
        }
        try {
            // Before joining: an agent that cannot capture or send must say why at once, not on its first run.
            NativePcap.requireAvailable();
        } catch (IllegalStateException e) {
            System.err.println("fleetgen-agent: " + e.getMessage());
            return 1;
        }
        FleetgenNode node;
        try {
            node = FleetgenCluster.join(cluster, vertxOptions(), CredentialRole.AGENT, options.getHostId(), null)
                    .await(60, TimeUnit.SECONDS);
        } catch (ValidationException e) {
            System.err.println("fleetgen-agent: " + e.getMessage());
            return 2;
        }
        if (cluster.isInsecure()) {
            System.err.println("fleetgen-agent: WARNING: running --insecure: commands are not authenticated; anyone "
                    + "who reaches " + cluster.getBind() + " or any cluster member can make this host send, spoof "
                    + "and capture traffic. Use --credentials from deploy/tls.sh.");
        }
        Vertx vertx = node.vertx();
        try {
            vertx.deployVerticle(new AgentVerticle(options, node, cluster.getBind(), VERSION))
                    .await(START_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            System.err.println("fleetgen-agent: not started within " + START_SECONDS + " s of joining the cluster (is"
                    + " the host or the cluster overloaded?)");
            vertx.close().await(15, TimeUnit.SECONDS);
            return 1;
        }
        return serve(node, options, cluster);
    }

    /** Says the agent is ready, then serves until SIGTERM (0) or until its cluster member is lost (1: MemberWatch). */
    private int serve(FleetgenNode node, AgentOptions options, ClusterOptions cluster) throws Exception {
        Vertx vertx = node.vertx();
        MemberWatch watch = new MemberWatch(node.cluster().getHazelcastInstance(), "fleetgen-agent");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            watch.stopping();
            // SIGTERM: undeploying stops every run and publishes its final counters; closing leaves the cluster.
            try {
                vertx.close().await(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("fleetgen-agent: shutdown: " + e.getMessage());
            }
            watch.stopped();
        }, "fleetgen-shutdown"));
        System.out.println("fleetgen-agent " + options.getHostId() + " ready on " + cluster.getBind()
                + (cluster.isInsecure() ? " (INSECURE: unauthenticated commands)" : cluster.isTls()
                        ? " (authenticated commands, mutual TLS)" : " (authenticated commands, bus TLS off)"));
        if (jitNice != 0 && Threads.niceCompilers(jitNice) == 0) {
            System.err.println("fleetgen-agent: --jit-nice " + jitNice + ": no JIT compiler thread found");
        }
        if (readyFile != null) {
            Files.writeString(readyFile, options.getHostId() + "\n");
        }
        // Start-up leaves some 25 MiB of garbage that an idle agent would hold for minutes: one concurrent
        // collection now (Shenandoah: no pause to speak of) lets the heap shrink to what is live (issue 15).
        System.gc();
        return watch.await();
    }
}
