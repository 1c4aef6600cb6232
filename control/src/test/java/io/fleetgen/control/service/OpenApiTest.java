package io.fleetgen.control.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The OpenAPI document the service serves describes exactly the API's routes, method by method. */
class OpenApiTest {
    @Test
    void theDocumentListsEveryRouteAndNoOther() throws IOException {
        Vertx vertx = Vertx.vertx();
        try {
            Router router = Router.router(vertx);
            new Api(null, null, 1, null, null).mount(router);
            Set<String> routes = new TreeSet<>();
            for (Route r : router.getRoutes()) {
                String path = r.getPath().replaceAll(":([a-z]+)", "{$1}");
                r.methods().forEach(m -> routes.add(m.name().toLowerCase() + " " + path));
            }
            JsonObject doc;
            try (InputStream in = OpenApiTest.class.getResourceAsStream("/fleetgen-web/openapi.json")) {
                doc = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            Set<String> documented = new TreeSet<>();
            JsonObject paths = doc.getJsonObject("paths");
            for (String p : paths.fieldNames()) {
                if (p.startsWith("/api/") && !Set.of("/api/events", "/api/snapshot", "/api/history", "/api/info",
                        "/api/login").contains(p)) {
                    paths.getJsonObject(p).fieldNames().forEach(m -> documented.add(m + " " + p));
                }
            }
            assertEquals(routes, documented);
        } finally {
            vertx.close().await();
        }
    }
}
