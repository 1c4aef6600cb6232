package io.fleetgen.control.service;

import io.fleetgen.codec.ValidationException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * How {@code fleetgen serve} listens and what it holds. Loopback (the default) may be used without a token; any
 * other address needs TLS and a token file, so that no request from the network is anonymous or in clear text.
 */
public final class ServiceOptions {
    /** The port a service listens on, and a one-shot REPL looks for, unless told otherwise. */
    public static final int DEFAULT_PORT = 7480;
    public static final String DEFAULT_BIND = "127.0.0.1";

    private String bind = DEFAULT_BIND;
    private int port = DEFAULT_PORT;
    private Path tokenFile;
    private boolean tls;
    private int maxConcurrent = 16;
    private int maxEventStreams = 32;
    private long forgetEndedSeconds = 600;
    private long historySeconds = 300;

    public String bind() {
        return bind;
    }

    public ServiceOptions bind(String b) {
        this.bind = b;
        return this;
    }

    public int port() {
        return port;
    }

    public ServiceOptions port(int p) {
        this.port = p;
        return this;
    }

    public Path tokenFile() {
        return tokenFile;
    }

    public ServiceOptions tokenFile(Path f) {
        this.tokenFile = f;
        return this;
    }

    public boolean tls() {
        return tls;
    }

    public ServiceOptions tls(boolean t) {
        this.tls = t;
        return this;
    }

    /** Requests served at once (each may wait for agents); more are refused with {@code LIMIT}. */
    public int maxConcurrent() {
        return maxConcurrent;
    }

    public ServiceOptions maxConcurrent(int n) {
        this.maxConcurrent = n;
        return this;
    }

    /** Dashboards (live event streams) connected at once. */
    public int maxEventStreams() {
        return maxEventStreams;
    }

    public ServiceOptions maxEventStreams(int n) {
        this.maxEventStreams = n;
        return this;
    }

    /** How long an ended run stays in the dashboard, the runs list and the metrics. */
    public long forgetEndedSeconds() {
        return forgetEndedSeconds;
    }

    public ServiceOptions forgetEndedSeconds(long s) {
        this.forgetEndedSeconds = s;
        return this;
    }

    /** How much rate history per run the charts get when a dashboard opens. */
    public long historySeconds() {
        return historySeconds;
    }

    public ServiceOptions historySeconds(long s) {
        this.historySeconds = s;
        return this;
    }

    /** Whether the service listens on a loopback address only. */
    public boolean loopback() {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw ValidationException.of("--http-bind", bind, "an IP address of this host");
        }
    }

    /** Refuses what would expose the fleet: a network address without TLS and a token file; numbers out of range. */
    public ServiceOptions validate() {
        if (port < 1 || port > 65535) {
            throw ValidationException.of("--http-port", port, "1-65535");
        }
        if (!loopback() && (!tls || tokenFile == null)) {
            throw ValidationException.of("--http-bind", bind, "a loopback address, or --http-tls and --token-file "
                    + "(a service on the network must not answer anonymous or clear-text requests)");
        }
        if (maxConcurrent < 1 || maxConcurrent > 1024) {
            throw ValidationException.of("--max-requests", maxConcurrent, "1-1024");
        }
        if (maxEventStreams < 1 || maxEventStreams > 1024) {
            throw ValidationException.of("--max-event-streams", maxEventStreams, "1-1024");
        }
        if (forgetEndedSeconds < 1 || historySeconds < 10 || historySeconds > 3600) {
            throw ValidationException.of("--history-seconds", historySeconds, "10-3600");
        }
        return this;
    }
}
