package io.fleetgen.control.service;

import io.fleetgen.codec.ValidationException;
import io.fleetgen.codec.cluster.ClusterCli;
import io.fleetgen.codec.cluster.MemberWatch;
import io.fleetgen.control.FleetException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fleetgen serve}: the control as a service, until stopped (SIGTERM, SIGINT). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the control as a service: HTTP JSON API, live dashboard, Prometheus /metrics.")
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    private ClusterCli clusterCli;

    @Option(names = "--http-bind", defaultValue = ServiceOptions.DEFAULT_BIND,
            description = "Address to listen on (default: ${DEFAULT-VALUE}); any other than loopback needs "
                    + "--http-tls and --token-file.")
    private String bind;

    @Option(names = "--http-port", defaultValue = "" + ServiceOptions.DEFAULT_PORT,
            description = "Port (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--token-file", description = "File holding the token every request must carry (made, mode "
            + "0600, with a random token when missing).")
    private Path tokenFile;

    @Option(names = "--http-tls", description = "HTTPS with this control's credential (--credentials).")
    private boolean tls;

    @Option(names = "--max-requests", defaultValue = "16", description = "Requests served at once (default: "
            + "${DEFAULT-VALUE}).")
    private int maxRequests;

    @Option(names = "--max-event-streams", defaultValue = "32", description = "Dashboards connected at once "
            + "(default: ${DEFAULT-VALUE}).")
    private int maxStreams;

    @Option(names = "--forget-ended-seconds", defaultValue = "600", description = "How long an ended run stays in "
            + "the dashboard and the metrics (default: ${DEFAULT-VALUE}).")
    private long forgetEnded;

    @Option(names = "--history-seconds", defaultValue = "300", description = "Rate history kept per run for the "
            + "charts (default: ${DEFAULT-VALUE}).")
    private long history;

    /** Hazelcast's own messages: warnings only (held, so that the level stays set). */
    private static final java.util.logging.Logger HAZELCAST_LOG = java.util.logging.Logger.getLogger("com.hazelcast");

    @Override
    public Integer call() throws InterruptedException {
        HAZELCAST_LOG.setLevel(java.util.logging.Level.WARNING);
        ServiceOptions o = new ServiceOptions().bind(bind).port(port).tokenFile(tokenFile).tls(tls)
                .maxConcurrent(maxRequests).maxEventStreams(maxStreams).forgetEndedSeconds(forgetEnded)
                .historySeconds(history);
        FleetService service;
        try {
            service = FleetService.start(clusterCli.options(), o);
        } catch (ValidationException e) {
            System.err.println("fleetgen serve: " + e.getMessage());
            return 2;
        } catch (FleetException e) {
            System.err.println("fleetgen serve: " + e.getMessage());
            return 1;
        }
        MemberWatch watch = new MemberWatch(service.fleet().hazelcast(), "fleetgen serve");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            watch.stopping();
            service.close();
            watch.stopped();
        }, "fleetgen-serve-stop"));
        String url = (tls ? "https://" : "http://") + (bind.contains(":") ? "[" + bind + "]" : bind) + ":"
                + service.port();
        System.out.println("fleetgen serve: " + service.fleet().hosts().size() + " agents; dashboard " + url
                + "/, API " + url + "/api (" + url + "/openapi.json), metrics " + url + "/metrics"
                + (tokenFile == null ? "" : "; token in " + tokenFile));
        System.out.flush();
        return watch.await();
    }
}
