package lanes.app.studio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the studio refuses, and how: a 4xx naming the field for every bad value, 403 for another site's request,
 * 413 past the size limit, 404 for any file not its own, 429 past the run limit; idle runs end.
 */
class RefusalsTest extends LiveStudio {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"dataset\":\"moons\"}|dataset",
        "{\"dataset\":\"blobs:11\"}|dataset",
        "{\"hidden\":[8,8,8,8,8,8,8,8,8]}|hidden",
        "{\"hidden\":[8,33]}|hidden[1]",
        "{\"hidden\":[0]}|hidden[0]",
        "{\"hidden\":[2.5]}|hidden[0]",
        "{\"learningRate\":\"NaN\"}|learningRate",
        "{\"learningRate\":-1}|learningRate",
        "{\"learningRate\":1e999}|learningRate",
        "{\"noise\":0.9}|noise",
        "{\"features\":[\"x3\"]}|features",
        "{\"features\":[]}|features",
        "{\"features\":[\"x1\",\"x1\"]}|features",
        "{\"activation\":\"swish\"}|activation",
        "{\"activations\":[\"tanh\"]}|activations",
        "{\"regularization\":\"L3\"}|regularization",
        "{\"batchSize\":0}|batchSize",
        "{\"batchSize\":400}|batchSize",
        "{\"trainFraction\":1}|trainFraction",
        "{\"seed\":-1}|seed",
        "{\"kind\":\"gan\"}|kind",
        "{\"learningrate\":0.1}|learningrate",
        "{\"dataset\":\"csv\"}|csv",
        "{\"dataset\":\"csv\",\"csv\":\"1,2,0\\n3,4\\n\"}|csv",
        "{\"dataset\":\"csv\",\"csv\":\"1,2,0\\n3,x,1\\n\"}|csv",
        "{\"dataset\":\"csv\",\"csv\":\"1,2,0\\n3,4,0\\n5,6,0\\n7,8,0\\n\"}|csv",
        "[1,2]|body",
        "{\"dataset\": \"spiral\",|body",
        "{\"learningRate\": NaN}|body",
        "{\"kind\":\"train\",\"data\":\"/etc\"}|data",
        "{\"kind\":\"train\",\"model\":\"Linear(3, 4\"}|model",
        "{\"kind\":\"train\",\"epochs\":1000}|epochs",
        "{\"kind\":\"train\",\"threads\":999}|threads",
        "{\"kind\":\"train\",\"model\":\"Linear(784, 100000), Linear(100000, 10)\"}|model",
    })
    void aBadRunIsRefusedNamingItsField(String body, String field) throws Exception {
        Client.Answer a = client.post("/api/runs", body);
        assertEquals(400, a.status(), a::toString);
        assertEquals(field, a.field(), a::toString);
        assertTrue(((String) a.get("error")).length() > field.length() + 5, a::toString);
    }

    @Test
    void aCsvErrorNamesItsLine() throws Exception {
        Client.Answer a = client.post("/api/runs", "{\"dataset\":\"csv\",\"csv\":\"x1,x2,label\\n1,2,0\\n3,oops,1\\n\"}");
        assertEquals(400, a.status());
        assertTrue(((String) a.get("error")).contains("line 3: x2 is \"oops\""), a::toString);
    }

    @Test
    void aBodyPastTheLimitIsRefusedBeforeItIsRead() throws Exception {
        String big = "{\"dataset\":\"csv\",\"csv\":\"" + "1,1,0\\n".repeat(200_000) + "\"}";
        Client.Answer a = client.post("/api/runs", big);
        assertEquals(413, a.status(), a::toString);
        assertEquals("body", a.field());
    }

    @Test
    void deeplyNestedJsonIsRefusedNotOverflowed() throws Exception {
        Client.Answer a = client.post("/api/runs", "[".repeat(100_000));
        assertEquals(400, a.status(), a::toString);
        assertEquals("body", a.field());
    }

    @Test
    void badStepsAndSettingsAreRefused() throws Exception {
        String id = client.playground("{}");
        assertEquals("steps", client.post("/api/runs/" + id + "/step", "{\"steps\": 0}").field());
        assertEquals("steps", client.post("/api/runs/" + id + "/step", "{\"steps\": 1e9}").field());
        assertEquals("learningRate", client.post("/api/runs/" + id + "/settings", "{\"learningRate\": 0}").field());
        assertEquals("stepsPerSecond", client.post("/api/runs/" + id + "/play", "{\"stepsPerSecond\": -5}")
                .field());
        assertEquals(409, client.post("/api/runs/" + id + "/predict", "{}").status(), "predict is a train run's");
        assertEquals(404, client.post("/api/runs/" + id + "/fly", "{}").status());
        assertEquals(405, client.send("PUT", "/api/runs/" + id, "{}").status());
        assertEquals(405, client.get("/api/runs/" + id + "/step").status());
        assertEquals(404, client.get("/api/runs/999999").status());
        assertEquals(404, client.get("/api/nothing").status());
        client.send("DELETE", "/api/runs/" + id, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example:80", "127.0.0.1:1", "attacker.test", ""})
    void aForeignHostIsRefused(String host) throws Exception {
        Client.Answer a = client.raw("GET /api/info HTTP/1.1\nHost: " + host, null);
        assertEquals(403, a.status(), a::toString);
        assertEquals("Host", a.field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://evil.example", "null", "https://127.0.0.1:PORT", "http://127.0.0.1:PORT/x"})
    void aCrossSitePostIsRefused(String origin) throws Exception {
        Client.Answer a = client.raw("POST /api/runs HTTP/1.1\nHost: 127.0.0.1:" + client.port + "\nOrigin: "
                + origin.replace("PORT", Integer.toString(client.port)) + "\nContent-Type: application/json", "{}");
        assertEquals(403, a.status(), a::toString);
        assertEquals("Origin", a.field());
    }

    @Test
    void theStudiosOwnOriginAndLocalhostAreServed() throws Exception {
        Client.Answer a = client.raw("POST /api/runs HTTP/1.1\nHost: localhost:" + client.port + "\nOrigin: "
                + "http://localhost:" + client.port, "{}");
        assertEquals(201, a.status(), a::toString);
        client.send("DELETE", "/api/runs/" + a.get("id"), null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../pom.xml", "/js/../../module-info.class", "/%2e%2e/%2e%2e/etc/passwd",
        "/js/..%2f..%2fStudio.class", "/lanes/app/studio/Studio.class", "/META-INF/MANIFEST.MF", "/index.html/",
        "/lib/uPlot.cjs.js", "//etc/passwd"})
    void onlyThePagesOwnFilesAreServed(String path) throws Exception {
        Client.Answer a = client.raw("GET " + path + " HTTP/1.1\nHost: 127.0.0.1:" + client.port, null);
        assertTrue(a.status() == 404 || a.status() == 400, () -> path + " -> " + a);
        assertTrue(!a.body().contains("root:") && !a.body().contains("<project"), a::toString);
    }

    @Test
    void thePagesFilesAreServedWithTheirTypes() throws Exception {
        Client.Answer page = client.get("/");
        assertEquals(200, page.status());
        assertTrue(page.body().contains("data-testid=\"tab-playground\""));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        for (String m : StaticFiles.MODULES) {
            Client.Answer js = client.get("/js/" + m);
            assertEquals(200, js.status(), m);
            assertEquals("text/javascript; charset=utf-8", js.headers().firstValue("Content-Type").orElse(""), m);
        }
        assertEquals(200, client.get("/lib/uPlot.esm.js").status());
        assertEquals(405, client.post("/", "x").status());
    }

    @Test
    void runsAreCappedAndIdleOnesEnd() throws Exception {
        try (Studio small = Studio.start(new Studio.Settings("127.0.0.1", 0, Map.of(), 2, 1.5, List.of()))) {
            Client c = new Client(small.port());
            c.playground("{}");
            c.playground("{}");
            Client.Answer third = c.post("/api/runs", "{}");
            assertEquals(429, third.status(), third::toString);
            long end = System.nanoTime() + 8_000_000_000L;
            while (small.runs() > 0 && System.nanoTime() < end) {
                Thread.sleep(200);
            }
            assertEquals(0, small.runs(), "runs nobody looked at for 1.5 s ended");
            String watched = c.playground("{}");
            java.net.http.HttpResponse<java.io.InputStream> stream = c.http.send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create("http://127.0.0.1:" + c.port + "/api/runs/" + watched
                            + "/events")).build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            Thread.sleep(3_000);
            assertEquals(200, c.get("/api/runs/" + watched + "?grids=false").status(), "a page watches it: kept");
            stream.body().close();                             // the page goes away
            end = System.nanoTime() + 15_000_000_000L;
            while (small.runs() > 0 && System.nanoTime() < end) {
                Thread.sleep(200);
            }
            assertEquals(0, small.runs(), "its page went away: ended");
        }
    }
}
