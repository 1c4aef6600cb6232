package io.fleetgen.agent;

import io.fleetgen.codec.ValidationException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What an agent needs beyond its cluster settings. Fluent setters validate; units in the names. */
public final class AgentOptions {
    /** Milliseconds between counter snapshots of a live run. */
    public static final long DEFAULT_COUNTER_INTERVAL_MS = 1000;
    /** Longest any run may last, whatever its profile: every load loop stops by itself. */
    public static final long DEFAULT_MAX_RUN_SECONDS = 3600;
    /** How far a command's issue time may be from the agent's clock, either way. */
    public static final long DEFAULT_COMMAND_WINDOW_MS = 30_000;
    /** Most commands admitted within one window (the replay cache's bound). */
    public static final int DEFAULT_MAX_COMMANDS_PER_WINDOW = 200_000;
    /** Milliseconds between checks of the cluster's routing maps for this agent's entries. */
    public static final long DEFAULT_GUARD_INTERVAL_MS = 2000;
    /** Live runs at once. */
    public static final int DEFAULT_MAX_LIVE_RUNS = 64;
    /** Transmit threads of all live senders together. */
    public static final int DEFAULT_MAX_TX_THREADS = 32;
    /** Capture ring memory of all live captures together, MiB (4-32 MiB each: {@code CaptureRing}). */
    public static final int DEFAULT_MAX_CAPTURE_MIB = 1024;
    /** Starts being prepared (route, pcap, sockets) at once: the prepare pool's threads. */
    public static final int DEFAULT_MAX_PREPARING = 8;
    /** Starts waiting for or in preparation. */
    public static final int DEFAULT_MAX_PENDING_STARTS = 256;
    /** Seconds an ended run is remembered for poll and list. */
    public static final long DEFAULT_ENDED_RUN_TTL_SECONDS = 3600;
    /** Ended runs remembered for poll and list. */
    public static final int DEFAULT_MAX_ENDED_RUNS = 1000;
    /** Connections a receiver's TCP listener holds at once. */
    public static final int DEFAULT_MAX_LISTENER_CONNECTIONS = 16;
    /** Longest capture filter, in characters. */
    public static final int DEFAULT_MAX_CAPFILTER_CHARS = 1024;

    /** SCHED_FIFO priority of paced transmit threads up to 25 kpps (issue 17); 0: none. */
    public static final int DEFAULT_PACING_PRIORITY = 10;
    /** Nice value of faster paced transmit threads; 0: unchanged. */
    public static final int DEFAULT_PACING_NICE = -10;

    private String hostId;
    private int pacingPriority = DEFAULT_PACING_PRIORITY;
    private int pacingNice = DEFAULT_PACING_NICE;
    private boolean kernelPacing;
    private boolean warmUp = true;
    private int pacingCpuLatencyMicros;
    private int maxRealtimeThreads = 2 * Runtime.getRuntime().availableProcessors();
    private int maxLiveRuns = DEFAULT_MAX_LIVE_RUNS;
    private int maxTxThreads = DEFAULT_MAX_TX_THREADS;
    private int maxCaptureMib = DEFAULT_MAX_CAPTURE_MIB;
    private int maxPreparing = DEFAULT_MAX_PREPARING;
    private int maxPendingStarts = DEFAULT_MAX_PENDING_STARTS;
    private int maxEndedRuns = DEFAULT_MAX_ENDED_RUNS;
    private long endedRunTtlSeconds = DEFAULT_ENDED_RUN_TTL_SECONDS;
    private int maxListenerConnections = DEFAULT_MAX_LISTENER_CONNECTIONS;
    private int maxCapfilterChars = DEFAULT_MAX_CAPFILTER_CHARS;
    private List<Cidr> allowSources = new ArrayList<>();
    private List<String> captureInterfaces = new ArrayList<>();
    private Path pcapDir;
    private long commandWindowMillis = DEFAULT_COMMAND_WINDOW_MS;
    private int maxCommandsPerWindow = DEFAULT_MAX_COMMANDS_PER_WINDOW;
    private long guardIntervalMillis = DEFAULT_GUARD_INTERVAL_MS;
    private long counterIntervalMillis = DEFAULT_COUNTER_INTERVAL_MS;
    private List<Cidr> allow = new ArrayList<>();
    private long maxRunSeconds = DEFAULT_MAX_RUN_SECONDS;

    public AgentOptions() {
    }

    public AgentOptions(AgentOptions o) {
        this.hostId = o.hostId;
        this.counterIntervalMillis = o.counterIntervalMillis;
        this.allow = new ArrayList<>(o.allow);
        this.maxRunSeconds = o.maxRunSeconds;
        this.commandWindowMillis = o.commandWindowMillis;
        this.maxCommandsPerWindow = o.maxCommandsPerWindow;
        this.guardIntervalMillis = o.guardIntervalMillis;
        this.maxLiveRuns = o.maxLiveRuns;
        this.maxTxThreads = o.maxTxThreads;
        this.maxCaptureMib = o.maxCaptureMib;
        this.maxPreparing = o.maxPreparing;
        this.maxPendingStarts = o.maxPendingStarts;
        this.maxEndedRuns = o.maxEndedRuns;
        this.endedRunTtlSeconds = o.endedRunTtlSeconds;
        this.maxListenerConnections = o.maxListenerConnections;
        this.maxCapfilterChars = o.maxCapfilterChars;
        this.allowSources = new ArrayList<>(o.allowSources);
        this.captureInterfaces = new ArrayList<>(o.captureInterfaces);
        this.pcapDir = o.pcapDir;
        this.pacingPriority = o.pacingPriority;
        this.pacingNice = o.pacingNice;
        this.kernelPacing = o.kernelPacing;
        this.warmUp = o.warmUp;
        this.pacingCpuLatencyMicros = o.pacingCpuLatencyMicros;
        this.maxRealtimeThreads = o.maxRealtimeThreads;
    }

    public int getMaxRealtimeThreads() {
        return maxRealtimeThreads;
    }

    /**
     * How many paced transmit threads may run SCHED_FIFO at once (0-1024); further ones run as normal threads.
     * Default: two per core (each spins up to 40 % of its period; more real-time spinning threads than the cores can
     * carry starve the agent's heartbeats, issue 15).
     */
    public AgentOptions setMaxRealtimeThreads(int n) {
        this.maxRealtimeThreads = range("max-realtime-threads", n, 0, 1024);
        return this;
    }

    public int getPacingCpuLatencyMicros() {
        return pacingCpuLatencyMicros;
    }

    /**
     * The CPU wake-up latency (us) the agent asks the kernel for while paced runs are live (issue 17): 0, the
     * default, keeps idle CPUs polling instead of halting so that paced threads' timers wake them at once; -1: no
     * request. Held through {@code /dev/cpu_dma_latency}, which needs root.
     */
    public AgentOptions setPacingCpuLatencyMicros(int micros) {
        if (micros < -1 || micros > 10_000) {
            throw ValidationException.of("pacing-cpu-latency-us", micros, "-1 (no request) or 0-10000");
        }
        this.pacingCpuLatencyMicros = micros;
        return this;
    }

    public boolean isWarmUp() {
        return warmUp;
    }

    /** Whether the agent, once ready, rehearses a first start (sending nothing: {@code impl.Warmup}); default true. */
    public AgentOptions setWarmUp(boolean on) {
        this.warmUp = on;
        return this;
    }

    public boolean isKernelPacing() {
        return kernelPacing;
    }

    /**
     * Whether paced transmit threads up to 25 kpps each queue their frames ahead through io_uring for the kernel's
     * timers to send (issue 17); where io_uring is not offered they pace themselves. Default false (a late timer
     * releases the frames due meanwhile together; a self-paced thread skips and counts them).
     */
    public AgentOptions setKernelPacing(boolean on) {
        this.kernelPacing = on;
        return this;
    }

    public int getPacingPriority() {
        return pacingPriority;
    }

    /**
     * SCHED_FIFO priority, 0-99, of paced transmit threads slow enough to sleep between departures (up to 25 kpps
     * per thread, above 10 kpps one per two cores), so that the agent's other threads cannot delay a departure; 0
     * leaves them normal threads.
     * Needs CAP_SYS_NICE. Default 10.
     */
    public AgentOptions setPacingPriority(int p) {
        this.pacingPriority = range("pacing-priority", p, 0, 99);
        return this;
    }

    public int getPacingNice() {
        return pacingNice;
    }

    /** Nice value, -20..0, of faster paced transmit threads (they spin); 0 leaves it. Default -10. */
    public AgentOptions setPacingNice(int n) {
        this.pacingNice = range("pacing-nice", n, -20, 0);
        return this;
    }

    private static int range(String option, int v, int min, int max) {
        if (v < min || v > max) {
            throw ValidationException.of(option, v, min + "-" + max);
        }
        return v;
    }

    public int getMaxLiveRuns() {
        return maxLiveRuns;
    }

    /** Live runs at once, 1-10000; default 64. */
    public AgentOptions setMaxLiveRuns(int n) {
        this.maxLiveRuns = range("max-live-runs", n, 1, 10_000);
        return this;
    }

    public int getMaxTxThreads() {
        return maxTxThreads;
    }

    /** Transmit threads of all live senders, 1-1024; default 32. */
    public AgentOptions setMaxTxThreads(int n) {
        this.maxTxThreads = range("max-tx-threads", n, 1, 1024);
        return this;
    }

    public int getMaxCaptureMib() {
        return maxCaptureMib;
    }

    /** Capture ring memory of all live captures, MiB (32 each), 32-1048576; default 1024. */
    public AgentOptions setMaxCaptureMib(int n) {
        this.maxCaptureMib = range("max-capture-mib", n, 32, 1 << 20);
        return this;
    }

    public int getMaxPreparing() {
        return maxPreparing;
    }

    /** Threads preparing starts (each may be held for seconds by a silent neighbour), 1-64; default 8. */
    public AgentOptions setMaxPreparing(int n) {
        this.maxPreparing = range("max-preparing", n, 1, 64);
        return this;
    }

    public int getMaxPendingStarts() {
        return maxPendingStarts;
    }

    /** Starts waiting for or in preparation, 1-100000; default 256. */
    public AgentOptions setMaxPendingStarts(int n) {
        this.maxPendingStarts = range("max-pending-starts", n, 1, 100_000);
        return this;
    }

    public int getMaxEndedRuns() {
        return maxEndedRuns;
    }

    /** Ended runs remembered, 10-100000; default 1000. */
    public AgentOptions setMaxEndedRuns(int n) {
        this.maxEndedRuns = range("max-ended-runs", n, 10, 100_000);
        return this;
    }

    public long getEndedRunTtlSeconds() {
        return endedRunTtlSeconds;
    }

    /** Seconds an ended run is remembered, 10-604800; default 3600. */
    public AgentOptions setEndedRunTtlSeconds(long s) {
        if (s < 10 || s > 604_800) {
            throw ValidationException.of("ended-run-ttl-seconds", s, "10-604800");
        }
        this.endedRunTtlSeconds = s;
        return this;
    }

    public int getMaxListenerConnections() {
        return maxListenerConnections;
    }

    /** Connections one receiver's TCP listener holds at once, 1-1024; default 16. */
    public AgentOptions setMaxListenerConnections(int n) {
        this.maxListenerConnections = range("max-listener-connections", n, 1, 1024);
        return this;
    }

    public int getMaxCapfilterChars() {
        return maxCapfilterChars;
    }

    /** Longest capture filter, 16-65535 characters; default 1024. */
    public AgentOptions setMaxCapfilterChars(int n) {
        this.maxCapfilterChars = range("max-capfilter-chars", n, 16, 65_535);
        return this;
    }

    /** Source addresses a sender may spoof beyond this host's own; default none. */
    public List<Cidr> getAllowSources() {
        return allowSources;
    }

    public AgentOptions setAllowSources(List<Cidr> cidrs) {
        this.allowSources = new ArrayList<>(cidrs);
        return this;
    }

    /** Interfaces receivers may capture on; empty means every interface with an address but lo and management. */
    public List<String> getCaptureInterfaces() {
        return captureInterfaces;
    }

    public AgentOptions setCaptureInterfaces(List<String> ifaces) {
        this.captureInterfaces = new ArrayList<>(ifaces);
        return this;
    }

    /** The agent's private directory for pcap recordings; default {@code <tmpdir>/fleetgen-pcap-<host id>}. */
    public Path getPcapDir() {
        return pcapDir != null ? pcapDir : Path.of(System.getProperty("java.io.tmpdir"), "fleetgen-pcap-" + hostId);
    }

    public AgentOptions setPcapDir(Path dir) {
        this.pcapDir = dir;
        return this;
    }

    public long getCommandWindowMillis() {
        return commandWindowMillis;
    }

    /** How far a command's issue time may be from this host's clock, 1000-600000 ms; default 30000. */
    public AgentOptions setCommandWindowMillis(long ms) {
        if (ms < 1000 || ms > 600_000) {
            throw ValidationException.of("command-window-ms", ms, "1000-600000");
        }
        this.commandWindowMillis = ms;
        return this;
    }

    public int getMaxCommandsPerWindow() {
        return maxCommandsPerWindow;
    }

    /** Most commands admitted within one window, 100-10000000; default 200000. */
    public AgentOptions setMaxCommandsPerWindow(int n) {
        if (n < 100 || n > 10_000_000) {
            throw ValidationException.of("max-commands-per-window", n, "100-10000000");
        }
        this.maxCommandsPerWindow = n;
        return this;
    }

    public long getGuardIntervalMillis() {
        return guardIntervalMillis;
    }

    /** Milliseconds between checks of the routing maps, 200-60000; default 2000. */
    public AgentOptions setGuardIntervalMillis(long ms) {
        if (ms < 200 || ms > 60_000) {
            throw ValidationException.of("guard-interval-ms", ms, "200-60000");
        }
        this.guardIntervalMillis = ms;
        return this;
    }

    public String getHostId() {
        return hostId;
    }

    /** The host id commands are addressed by; 1-64 characters of A-Z a-z 0-9 . _ -. */
    public AgentOptions setHostId(String hostId) {
        Objects.requireNonNull(hostId, "hostId");
        if (hostId.isEmpty() || hostId.length() > 64 || !hostId.matches("[A-Za-z0-9._-]+")) {
            throw ValidationException.of("host-id", hostId, "1-64 characters of A-Z a-z 0-9 . _ -");
        }
        this.hostId = hostId;
        return this;
    }

    public long getCounterIntervalMillis() {
        return counterIntervalMillis;
    }

    /** Milliseconds between counter events, 50-60000; default 1000. */
    public AgentOptions setCounterIntervalMillis(long ms) {
        if (ms < 50 || ms > 60_000) {
            throw ValidationException.of("counter-interval", ms, "50-60000 ms");
        }
        this.counterIntervalMillis = ms;
        return this;
    }

    /** Destinations a sender may target; empty means the connected subnets but the management one. */
    public List<Cidr> getAllow() {
        return allow;
    }

    public AgentOptions setAllow(List<Cidr> allow) {
        this.allow = new ArrayList<>(allow);
        return this;
    }

    public long getMaxRunSeconds() {
        return maxRunSeconds;
    }

    /** Cap on every run's length in seconds, 1-86400; default 3600. */
    public AgentOptions setMaxRunSeconds(long seconds) {
        if (seconds < 1 || seconds > 86_400) {
            throw ValidationException.of("max-run-seconds", seconds, "1-86400");
        }
        this.maxRunSeconds = seconds;
        return this;
    }
}
