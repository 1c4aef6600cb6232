package io.fleetgen.control.service;

import io.fleetgen.codec.Counters;
import io.fleetgen.codec.RunStatus;
import io.fleetgen.control.Fleet;
import io.fleetgen.control.HostStatus;
import io.fleetgen.control.RunView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * The service's Prometheus registry: per run and host the counters and rates of the latest counter event (meters
 * added when a run appears and removed when the aggregator forgets it, so label cardinality follows the runs the
 * service holds), agents alive, commands by result, cluster membership; JVM figures from Micrometer's binders, and
 * Vert.x's own (event bus, HTTP) from vertx-micrometer-metrics on the same registry.
 */
final class ServiceMetrics implements AutoCloseable {
    /** Commands by name as the REPL knows them; anything else is counted as {@code other}. */
    private static final Set<String> COMMANDS = Set.of("hosts", "show", "stream", "profile", "sender", "receiver",
            "pair", "poll", "stop", "list", "wait", "fleet start", "fleet stop", "fleet poll", "mesh", "pcap", "runs",
            "script");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, RunMeters> runs = new HashMap<>();
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /** The meters of one run on one host, reading the latest view. */
    private static final class RunMeters {
        final AtomicReference<RunView> view;
        final List<Meter> meters = new ArrayList<>();
        /** Streams of a run of several whose meters exist. */
        int streams;

        RunMeters(RunView v) {
            view = new AtomicReference<>(v);
        }
    }

    ServiceMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Fleet-level gauges, once the fleet is joined. */
    void bind(Fleet fleet) {
        Gauge.builder("fleetgen.agents.alive", fleet, f -> f.hosts().stream().filter(HostStatus::alive).count())
                .description("Agents that announced themselves and are members of the cluster").register(registry);
        Gauge.builder("fleetgen.agents.known", fleet, f -> f.hosts().size())
                .description("Agents this control has heard of, alive or not").register(registry);
        Gauge.builder("fleetgen.cluster.members", fleet, f -> f.hazelcast().getCluster().getMembers().size())
                .description("Hazelcast cluster members, agents and controls").register(registry);
        Gauge.builder("fleetgen.cluster.lite.members", fleet, f -> f.hazelcast().getCluster().getMembers().stream()
                .filter(m -> m.isLiteMember()).count())
                .description("Hazelcast lite members: controls, and agents run with --lite-member")
                .register(registry);
        Gauge.builder("fleetgen.cluster.partitions", fleet, f -> f.hazelcast().getPartitionService().getPartitions()
                .size()).description("Hazelcast partitions").register(registry);
        FunctionCounter.builder("fleetgen.events.refused", fleet, Fleet::refusedEvents)
                .description("Counter events and results refused: unsealed, sealed by another host, stale")
                .register(registry);
    }

    /** Counts one command the service ran, by its result: OK or the error code. */
    void command(String name, String result) {
        Counter.builder("fleetgen.commands").description("Commands the service ran, by result")
                .tags("command", COMMANDS.contains(name) ? name : "other", "result", result).register(registry)
                .increment();
    }

    /** Brings the per-run meters in line with the aggregator's runs. Called from one thread. */
    synchronized void sync(List<RunView> views) {
        Set<String> seen = new HashSet<>();
        for (RunView v : views) {
            RunStatus s = v.status();
            String key = s.host() + "/" + s.name() + "/" + s.role();
            seen.add(key);
            RunMeters m = runs.get(key);
            if (m == null) {
                m = register(v);
                runs.put(key, m);
            } else {
                m.view.set(v);
            }
            registerStreams(m, s);
        }
        runs.entrySet().removeIf(e -> {
            if (seen.contains(e.getKey())) {
                return false;
            }
            e.getValue().meters.forEach(registry::remove);
            return true;
        });
    }

    private RunMeters register(RunView first) {
        RunMeters m = new RunMeters(first);
        RunStatus s = first.status();
        Tags tags = Tags.of("run", s.name(), "host", s.host(), "role", s.role().name().toLowerCase());
        AtomicReference<RunView> ref = m.view;
        counter(m, "fleetgen.run.sent.packets", "Packets sent", tags, ref, Counters::sent);
        counter(m, "fleetgen.run.recv.packets", "Packets received and counted", tags, ref, Counters::recv);
        counter(m, "fleetgen.run.corrupt.packets", "Packets whose checksums failed", tags, ref, Counters::corrupt);
        counter(m, "fleetgen.run.drops.packets", "Packets the capture dropped", tags, ref, Counters::drops);
        counter(m, "fleetgen.run.duplicates.packets", "Packets seen twice", tags, ref, Counters::duplicates);
        counter(m, "fleetgen.run.out.of.order.packets", "Packets below the highest sequence", tags, ref,
                Counters::outOfOrder);
        counter(m, "fleetgen.run.send.errors", "Frames the kernel refused", tags, ref, Counters::sendErrors);
        counter(m, "fleetgen.run.sent.bytes", "Bytes sent (frames)", tags, ref, Counters::sentBytes);
        counter(m, "fleetgen.run.recv.bytes", "Bytes received (frames)", tags, ref, Counters::recvBytes);
        counter(m, "fleetgen.run.skipped.departures", "Departures a paced sender skipped after stalls", tags, ref,
                Counters::skipped);
        gauge(m, "fleetgen.run.tx.pps", "Packets per second sent", tags, ref, RunView::txPps);
        gauge(m, "fleetgen.run.rx.pps", "Packets per second received", tags, ref, RunView::rxPps);
        gauge(m, "fleetgen.run.tx.bps", "Bits per second sent", tags, ref, RunView::txBps);
        gauge(m, "fleetgen.run.rx.bps", "Bits per second received", tags, ref, RunView::rxBps);
        gauge(m, "fleetgen.run.live", "1 while the run is live, 0 once it ended", tags, ref,
                v -> v.status().state().isTerminal() ? 0 : 1);
        String[][] q = {{"0.5", "p50"}, {"0.9", "p90"}, {"0.99", "p99"}, {"0.999", "p999"}, {"1", "max"}};
        for (String[] p : q) {
            gauge(m, "fleetgen.run.latency.seconds", "One-way latency quantiles of the receiver", tags.and("quantile",
                    p[0]), ref, v -> latency(v.status().counters(), p[1]) / 1e9);
        }
        return m;
    }

    /**
     * The per-stream counters of a run of several streams (issue 14), tagged {@code stream} with the stream's index
     * in the profile's {@code stream=A,B} list; made when a status first carries them.
     */
    private void registerStreams(RunMeters m, RunStatus s) {
        Tags tags = Tags.of("run", s.name(), "host", s.host(), "role", s.role().name().toLowerCase());
        for (int i = m.streams; i < s.streams().size(); i++) {
            int index = i;
            Tags t = tags.and("stream", Integer.toString(index));
            streamCounter(m, "fleetgen.run.stream.sent.packets", "Packets sent, one stream of the run", t, index,
                    Counters::sent);
            streamCounter(m, "fleetgen.run.stream.recv.packets", "Packets received, one stream of the run", t,
                    index, Counters::recv);
            streamCounter(m, "fleetgen.run.stream.sent.bytes", "Bytes sent, one stream of the run", t, index,
                    Counters::sentBytes);
            streamCounter(m, "fleetgen.run.stream.recv.bytes", "Bytes received, one stream of the run", t, index,
                    Counters::recvBytes);
        }
        m.streams = Math.max(m.streams, s.streams().size());
    }

    private void streamCounter(RunMeters m, String name, String help, Tags tags, int index,
            ToDoubleFunction<Counters> f) {
        m.meters.add(FunctionCounter.builder(name, m.view, r -> {
            List<Counters> per = r.get().status().streams();
            return per.size() > index ? f.applyAsDouble(per.get(index)) : 0;
        }).description(help).tags(tags).register(registry));
    }

    private static double latency(Counters c, String which) {
        switch (which) {
            case "p50":
                return c.latencyP50Nanos();
            case "p90":
                return c.latencyP90Nanos();
            case "p99":
                return c.latencyP99Nanos();
            case "p999":
                return c.latencyP999Nanos();
            default:
                return c.latencyMaxNanos();
        }
    }

    private void counter(RunMeters m, String name, String help, Tags tags, AtomicReference<RunView> ref,
            ToDoubleFunction<Counters> f) {
        m.meters.add(FunctionCounter.builder(name, ref, r -> f.applyAsDouble(r.get().status().counters()))
                .description(help).tags(tags).register(registry));
    }

    private void gauge(RunMeters m, String name, String help, Tags tags, AtomicReference<RunView> ref,
            ToDoubleFunction<RunView> f) {
        m.meters.add(Gauge.builder(name, ref, r -> f.applyAsDouble(r.get())).description(help).tags(tags)
                .register(registry));
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
