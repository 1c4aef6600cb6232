package io.fleetgen.control.service;

import io.fleetgen.codec.ValidationException;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Who may use the service. With a token file, every request but the dashboard's static files must carry the
 * token ({@code Authorization: Bearer}, or the cookie {@code /api/login} sets); on loopback without one, requests
 * are anonymous but must name this service in {@code Host} (no DNS rebinding) and, when they change something,
 * come from its own origin with a JSON body (no cross-site request from a page the operator has open).
 */
final class Access implements Handler<RoutingContext> {
    static final String COOKIE = "fleetgen_token";
    /** Paths anyone may fetch: the dashboard's page, script, style and chart library (no fleet data). */
    private static final Set<String> OPEN = Set.of("/", "/index.html", "/dashboard.js", "/dashboard.css",
            "/api/login");

    private final byte[] token;
    private final boolean loopback;
    private final Set<String> hosts;

    private Access(byte[] token, boolean loopback, Set<String> hosts) {
        this.token = token;
        this.loopback = loopback;
        this.hosts = hosts;
    }

    static Access of(ServiceOptions o) {
        byte[] t = o.tokenFile() == null ? null : readOrCreate(o.tokenFile());
        String p = ":" + o.port();
        String self = o.bind().contains(":") ? "[" + o.bind() + "]" : o.bind();
        return new Access(t, o.loopback(), new java.util.HashSet<>(List.of(self + p, "localhost" + p, "[::1]" + p,
                "127.0.0.1" + p)));
    }

    /** The token in the file, made (256 random bits, mode 0600) if the file does not exist. */
    static byte[] readOrCreate(Path file) {
        try {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                byte[] raw = new byte[32];
                new SecureRandom().nextBytes(raw);
                Files.writeString(Files.createFile(file, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------"))), HexFormat.of().formatHex(raw) + "\n");
            }
            if (Files.isSymbolicLink(file) || Files.size(file) > 1024) {
                throw ValidationException.of("--token-file", file, "a regular file of at most 1024 bytes");
            }
            String t = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (t.length() < 16) {
                throw ValidationException.of("--token-file", file, "a token of at least 16 characters");
            }
            return t.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ValidationException.of("--token-file", file, "a readable file or a path where one can be made ("
                    + e.getMessage() + ")");
        }
    }

    boolean tokenRequired() {
        return token != null;
    }

    /** Whether the presented text is the token (constant time). */
    boolean matches(String presented) {
        return token != null && presented != null
                && MessageDigest.isEqual(token, presented.trim().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        String authority = authority(ctx);
        if (loopback && token == null && !hosts.contains(authority)) {
            Api.fail(ctx, "", "FORBIDDEN", "Host: " + authority + " (expected: this service's own address, one of "
                    + hosts + ")");
            return;
        }
        HttpMethod m = ctx.request().method();
        if (m != HttpMethod.GET && m != HttpMethod.HEAD && !sameOrigin(ctx, authority)) {
            Api.fail(ctx, "", "FORBIDDEN", "Origin: " + ctx.request().getHeader("Origin") + " (expected: none, or "
                    + "this service's own)");
            return;
        }
        if (token == null || OPEN.contains(path) || path.startsWith("/webjars/") || authenticated(ctx)) {
            ctx.next();
            return;
        }
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"fleetgen\"");
        Api.fail(ctx, "", "UNAUTHENTICATED", "this service needs its token (Authorization: Bearer TOKEN, or log in "
                + "on the dashboard)");
    }

    private boolean authenticated(RoutingContext ctx) {
        String h = ctx.request().getHeader("Authorization");
        if (h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return matches(h.substring(7));
        }
        Cookie c = ctx.request().getCookie(COOKIE);
        return c != null && matches(c.getValue());
    }

    /** The request's {@code Host} (HTTP/1) or {@code :authority} (HTTP/2) as {@code host:port}, lower case. */
    private static String authority(RoutingContext ctx) {
        io.vertx.core.net.HostAndPort a = ctx.request().authority();
        if (a == null) {
            return "(none)";
        }
        String h = a.host().contains(":") && !a.host().startsWith("[") ? "[" + a.host() + "]" : a.host();
        return (a.port() >= 0 ? h + ":" + a.port() : h).toLowerCase(Locale.ROOT);
    }

    private static boolean sameOrigin(RoutingContext ctx, String authority) {
        String origin = ctx.request().getHeader("Origin");
        if (origin == null) {
            return true;
        }
        String scheme = ctx.request().isSSL() ? "https://" : "http://";
        return origin.equalsIgnoreCase(scheme + authority);
    }

    /** The cookie a dashboard keeps after logging in: not readable by scripts, sent only to this service. */
    static Cookie cookie(String token, boolean secure) {
        return Cookie.cookie(COOKIE, token.trim()).setHttpOnly(true).setSecure(secure).setPath("/")
                .setSameSite(CookieSameSite.STRICT);
    }
}
