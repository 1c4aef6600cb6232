package io.fleetgen.control.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The one-shot client reads the service's answer as Vert.x wrote it, whatever the output holds. */
class ServiceClientTest {
    @Test
    void fieldsRoundTripThroughTheServicesJson() {
        String out = "h1   r \"quoted\" \\ back\ttab\nline2 \u00e9 \u0001 {\"stderr\":\"x\"}\n";
        String answer = new JsonObject().put("exit", 1).put("stdout", out).put("stderr", "error: x\n").encode();
        assertEquals(out, ServiceClient.field(answer, "stdout"));
        assertEquals("error: x\n", ServiceClient.field(answer, "stderr"));
        assertEquals("1", ServiceClient.field(answer, "exit"));
        assertEquals("", ServiceClient.field(answer, "missing"));
        String script = "stream s proto=udp payload=\"a b\"; poll h1\n\\";
        String json = "{\"s\":" + ServiceClient.quote(script) + "}";
        assertEquals(script, new JsonObject(json).getString("s"));
    }
}
