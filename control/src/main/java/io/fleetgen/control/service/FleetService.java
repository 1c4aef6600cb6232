package io.fleetgen.control.service;

import io.fleetgen.codec.cluster.ClusterOptions;
import io.fleetgen.codec.security.Credential;
import io.fleetgen.control.Fleet;
import io.fleetgen.control.RunView;
import io.fleetgen.control.repl.Repl;
import io.fleetgen.control.repl.ReplException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code fleetgen serve}: a long-lived control (a Hazelcast lite member, as every control) that keeps the host
 * directory and the counter aggregation warm and serves them over HTTP: the JSON API ({@link Api}, described by
 * {@code /openapi.json}), the live dashboard ({@code /}, pushed by {@link LiveFeed}), Prometheus metrics
 * ({@code /metrics}, {@link ServiceMetrics}). Who may use it is {@link Access}'s to decide.
 */
public final class FleetService implements AutoCloseable {
    /** Largest request body: a script or a definition, never bulk data. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final ServiceOptions options;
    private final ServiceMetrics metrics;
    private final Fleet fleet;
    private final Path spool;
    private java.util.concurrent.ExecutorService workers;
    private HttpServer server;
    private long timer;

    private FleetService(ServiceOptions options, ServiceMetrics metrics, Fleet fleet, Path spool) {
        this.options = options;
        this.metrics = metrics;
        this.fleet = fleet;
        this.spool = spool;
    }

    /** Joins the cluster and listens; fails (and leaves the cluster) if the address cannot be bound. */
    public static FleetService start(ClusterOptions cluster, ServiceOptions options) {
        options.validate();
        Access access = Access.of(options);
        if (options.tls() && cluster.getCredentials() == null) {
            throw io.fleetgen.codec.ValidationException.of("--http-tls", true, "--credentials (the service presents "
                    + "its control credential to HTTPS clients)");
        }
        ServiceMetrics metrics = new ServiceMetrics();
        Fleet fleet = Fleet.join(cluster, new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
                .setEnabled(true)), new MicrometerMetricsFactory(metrics.registry()));
        FleetService s;
        try {
            s = new FleetService(options, metrics, fleet, spool());
            s.listen(cluster, access);
        } catch (RuntimeException e) {
            fleet.close();
            metrics.close();
            throw e;
        }
        return s;
    }

    private static Path spool() {
        try {
            return Files.createTempDirectory("fleetgen-service", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException("pcap spool directory", e);
        }
    }

    private void listen(ClusterOptions cluster, Access access) {
        Vertx vertx = fleet.vertx();
        metrics.bind(fleet);
        Repl repl = new Repl(fleet, true);
        LiveFeed feed = new LiveFeed(fleet, options.maxEventStreams(), options.historySeconds());
        repl.onMesh(feed::onMesh);
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        workers = java.util.concurrent.Executors.newFixedThreadPool(options.maxConcurrent(), r -> {
            Thread t = new Thread(r, "fleetgen-api-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Router router = Router.router(vertx);
        router.route().handler(access);
        router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        new Api(repl, workers, options.maxConcurrent(), metrics, spool).mount(router);
        router.get("/api/events").handler(feed::open);
        router.get("/api/history").handler(c -> json(c, feed.history()));
        router.get("/api/snapshot").handler(c -> json(c, feed.snapshot()));
        router.get("/api/info").handler(c -> json(c, new JsonObject().put("service", "fleetgen").put("version",
                "0.1.0").put("tokenRequired", access.tokenRequired()).put("tls", options.tls())));
        router.post("/api/login").handler(c -> login(c, access));
        router.get("/metrics").handler(c -> c.response().putHeader("Content-Type",
                "text/plain; version=0.0.4; charset=utf-8").end(metrics.registry().scrape()));
        router.get("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars").setCachingEnabled(true));
        router.get("/*").handler(StaticHandler.create("fleetgen-web").setIndexPage("index.html"));
        router.route().failureHandler(FleetService::failure);
        HttpServerOptions ho = new HttpServerOptions().setHost(options.bind()).setPort(options.port())
                .setMaxHeaderSize(16 * 1024).setIdleTimeout(300);
        if (options.tls()) {
            Path dir = Path.of(cluster.getCredentials());
            ho.setSsl(true).setKeyCertOptions(new PfxOptions()
                    .setPath(dir.resolve(ClusterOptions.CREDENTIAL_FILE).toString())
                    .setPassword(new String(Credential.readPassword(dir.resolve(ClusterOptions.PASSWORD_FILE),
                            "--credentials"))));
        }
        try {
            server = vertx.createHttpServer(ho).requestHandler(router).listen().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw io.fleetgen.codec.ValidationException.of("--http-port", options.bind() + ":" + options.port(),
                    "an address and port this host can listen on (" + e.getMessage() + ")");
        }
        long ttl = TimeUnit.SECONDS.toMillis(options.forgetEndedSeconds());
        timer = vertx.setPeriodic(LiveFeed.PUSH_MILLIS, id -> {
            fleet.aggregator().forgetEnded(ttl);
            List<RunView> views = fleet.aggregator().runs();
            metrics.sync(views);
            feed.tick(views);
        });
    }

    private static void login(RoutingContext c, Access access) {
        JsonObject b = Api.body(c);
        String token = b.getString("token");
        if (!access.tokenRequired()) {
            c.response().setStatusCode(204).end();
        } else if (access.matches(token)) {
            c.response().addCookie(Access.cookie(token, c.request().isSSL())).setStatusCode(204).end();
        } else {
            Api.fail(c, "", "UNAUTHENTICATED", "token: not this service's (expected: the content of its --token-file)");
        }
    }

    private static void json(RoutingContext c, JsonObject o) {
        c.response().putHeader("Content-Type", "application/json").end(o.encode());
    }

    private static void failure(RoutingContext c) {
        Throwable f = c.failure();
        if (f instanceof ReplException) {
            Api.fail(c, "", ((ReplException) f).code(), f.getMessage());
        } else if (c.statusCode() == 413) {
            Api.fail(c, "", "LIMIT", "body: larger than " + MAX_BODY_BYTES + " bytes (expected: at most that)");
        } else if (c.statusCode() == 404) {
            Api.fail(c, "", "NOT_FOUND", c.request().path() + ": no such endpoint (expected: see /openapi.json)");
        } else {
            Api.fail(c, "", "INTERNAL", String.valueOf(f == null ? "status " + c.statusCode() : f));
        }
    }

    /** The port the service listens on (the one asked for, or the one the system gave for port 0). */
    public int port() {
        return server.actualPort();
    }

    public Fleet fleet() {
        return fleet;
    }

    @Override
    public void close() {
        fleet.vertx().cancelTimer(timer);
        if (server != null) {
            server.close().await();
        }
        if (workers != null) {
            workers.shutdownNow();
        }
        fleet.close();
        metrics.close();
        try (var files = Files.list(spool)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(spool);
        } catch (IOException e) {
            // A private temporary directory; the system clears it.
        }
    }
}
