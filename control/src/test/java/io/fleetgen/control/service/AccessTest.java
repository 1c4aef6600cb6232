package io.fleetgen.control.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.ValidationException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Who may use the service, on a real local HTTP server (no cluster): the token, the login cookie, the Host and
 * Origin checks of an anonymous loopback service, and the options that refuse an exposed one.
 */
class AccessTest {
    private final Vertx vertx = Vertx.vertx();
    private int port;

    @AfterEach
    void close() {
        vertx.close().await();
    }

    private void serve(ServiceOptions o) throws Exception {
        Router r = Router.router(vertx);
        Access access = Access.of(o);
        r.route().handler(access);
        r.route().handler(BodyHandler.create(false));
        r.get("/api/hosts").handler(c -> c.response().end("[]"));
        r.post("/api/pairs").handler(c -> c.response().end("{}"));
        r.get("/dashboard.js").handler(c -> c.response().end("//"));
        HttpServer s = vertx.createHttpServer().requestHandler(r).listen(o.port(), "127.0.0.1")
                .await(10, TimeUnit.SECONDS);
        port = s.actualPort();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A raw HTTP/1.1 request (so that Host and Origin are exactly what the test says); returns the status line. */
    private String request(String method, String path, String... headers) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            StringBuilder b = new StringBuilder(method + " " + path + " HTTP/1.1\r\nConnection: close\r\n");
            boolean host = false;
            for (String h : headers) {
                b.append(h).append("\r\n");
                host |= h.startsWith("Host:");
            }
            if (!host) {
                b.append("Host: 127.0.0.1:").append(port).append("\r\n");
            }
            b.append(method.equals("POST") ? "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}" : "\r\n");
            s.getOutputStream().write(b.toString().getBytes(StandardCharsets.US_ASCII));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return all.substring(0, all.indexOf("\r\n")) + all.substring(all.indexOf("\r\n\r\n") + 4);
        }
    }

    @Test
    void aTokenFileIsMadePrivateAndEveryRequestButTheStaticPageNeedsTheToken() throws Exception {
        Path dir = Files.createTempDirectory("fleetgen-access");
        Path file = dir.resolve("token");
        serve(new ServiceOptions().port(freePort()).tokenFile(file));
        String token = Files.readString(file).trim();
        assertEquals(64, token.length());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        String denied = request("GET", "/api/hosts");
        assertTrue(denied.startsWith("HTTP/1.1 401"), denied);
        assertTrue(denied.contains("\"code\":\"UNAUTHENTICATED\""), denied);
        assertTrue(request("GET", "/api/hosts", "Authorization: Bearer " + token.substring(1) + "0")
                .startsWith("HTTP/1.1 401"));
        assertTrue(request("GET", "/api/hosts", "Authorization: Bearer " + token).startsWith("HTTP/1.1 200"));
        assertTrue(request("GET", "/api/hosts", "Cookie: fleetgen_token=" + token).startsWith("HTTP/1.1 200"));
        assertTrue(request("GET", "/dashboard.js").startsWith("HTTP/1.1 200"), "the page itself holds no data");
        Files.delete(file);
        Files.delete(dir);
    }

    @Test
    void anAnonymousLoopbackServiceRefusesOtherHostNamesAndCrossSiteWrites() throws Exception {
        int p = freePort();
        serve(new ServiceOptions().port(p));
        assertTrue(request("GET", "/api/hosts").startsWith("HTTP/1.1 200"));
        assertTrue(request("GET", "/api/hosts", "Host: localhost:" + p).startsWith("HTTP/1.1 200"));
        String rebound = request("GET", "/api/hosts", "Host: attacker.example:" + p);
        assertTrue(rebound.startsWith("HTTP/1.1 403") && rebound.contains("Host: attacker.example"), rebound);
        assertTrue(request("POST", "/api/pairs", "Origin: http://127.0.0.1:" + p).startsWith("HTTP/1.1 200"));
        assertTrue(request("POST", "/api/pairs").startsWith("HTTP/1.1 200"), "no Origin: not a browser");
        String csrf = request("POST", "/api/pairs", "Origin: http://attacker.example");
        assertTrue(csrf.startsWith("HTTP/1.1 403") && csrf.contains("Origin: http://attacker.example"), csrf);
    }

    @Test
    void aServiceOnTheNetworkNeedsTlsAndAToken() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> new ServiceOptions().bind("198.18.0.1").validate());
        assertTrue(e.getMessage().startsWith("--http-bind: 198.18.0.1 (expected: a loopback address, or --http-tls "
                + "and --token-file"), e.getMessage());
        assertThrows(ValidationException.class, () -> new ServiceOptions().bind("198.18.0.1").tls(true).validate());
        new ServiceOptions().bind("198.18.0.1").tls(true).tokenFile(Path.of("/tmp/t")).validate();
        assertEquals("--http-port: 0 (expected: 1-65535)", assertThrows(ValidationException.class,
                () -> new ServiceOptions().port(0).validate()).getMessage());
    }

    @Test
    void errorCodesMapToHttpStatuses() {
        assertEquals(422, Api.status("INVALID"));
        assertEquals(404, Api.status("UNKNOWN_HOST"));
        assertEquals(404, Api.status("NO_SUCH_RUN"));
        assertEquals(429, Api.status("LIMIT"));
        assertEquals(401, Api.status("UNAUTHENTICATED"));
        assertEquals(403, Api.status("FORBIDDEN"));
        assertEquals(400, Api.status("USAGE"));
        assertEquals(503, Api.status("UNREACHABLE"));
        assertEquals(500, Api.status("NOT_A_CODE"));
    }
}
