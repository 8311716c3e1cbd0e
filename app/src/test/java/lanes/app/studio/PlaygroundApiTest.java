package lanes.app.studio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import lanes.app.Features;
import lanes.layers.data.DataFolder;
import lanes.layers.data.ToyData;
import lanes.layers.io.JsonText;
import lanes.layers.io.ModelFile;
import lanes.layers.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The playground's API on a real studio on loopback: every endpoint, as the page and curl use them. */
class PlaygroundApiTest extends LiveStudio {
    static double num(Object o) {
        return ((Double) o).doubleValue();
    }

    @Test
    void infoListsTheChoicesAndLimits() throws Exception {
        Client.Answer a = client.get("/api/info");
        assertEquals(200, a.status(), a::toString);
        assertEquals(Features.ALL, a.get("features"));
        assertEquals(32.0, a.get("maxNeurons"));
        assertTrue(((List<?>) a.get("trainData")).contains("digits"));
    }

    @Test
    void aRunIsMadeSteppedAndReadWithItsBoundaryGrids() throws Exception {
        Client.Answer made = client.post("/api/runs", "{\"kind\":\"playground\", \"dataset\":\"spiral\", "
                + "\"noise\":0.1, \"trainFraction\":0.5, \"features\":[\"x1\",\"x2\"], \"hidden\":[8,8], "
                + "\"activation\":\"tanh\", \"learningRate\":0.03, \"regularization\":\"none\", "
                + "\"regularizationRate\":0, \"batchSize\":10, \"seed\":1}");
        assertEquals(201, made.status(), made::toString);
        String id = (String) made.get("id");
        assertEquals("/api/runs/" + id, made.headers().firstValue("Location").orElseThrow());
        Map<String, Object> s = client.get("/api/runs/" + id).json();
        assertEquals(0.0, s.get("step"));
        @SuppressWarnings("unchecked")
        Map<String, Object> b = (Map<String, Object>) s.get("boundary");
        assertEquals(100.0, b.get("size"));
        assertEquals(100, ((List<?>) b.get("output")).size());
        assertEquals(100, ((List<?>) ((List<?>) b.get("output")).get(0)).size());
        assertEquals(16, ((List<?>) b.get("neurons")).size(), "8 + 8 hidden neurons");
        Map<?, ?> neuron = (Map<?, ?>) ((List<?>) b.get("neurons")).get(0);
        assertEquals(100 * 100, java.util.Base64.getDecoder().decode((String) neuron.get("grid")).length);
        Map<String, Object> after = client.post("/api/runs/" + id + "/step", "{\"steps\": 500}").json();
        assertEquals(500.0, after.get("step"));
        assertEquals(20.0, after.get("epoch"), "500 steps of 10 over 250 training points");
        assertTrue(num(after.get("trainLoss")) < num(s.get("trainLoss")), () -> "the loss fell: " + after);
        Client.Answer noGrids = client.get("/api/runs/" + id + "?grids=false");
        assertTrue(!noGrids.json().containsKey("boundary"));
        assertEquals(204, client.send("DELETE", "/api/runs/" + id, null).status());
        assertEquals(404, client.get("/api/runs/" + id).status());
    }

    @Test
    void spiralWithSineFeaturesTrainsBelowATestLossOfOneTenth() throws Exception {
        String id = client.playground("{\"dataset\":\"spiral\", \"features\":[\"x1\",\"x2\",\"sin(x1)\","
                + "\"sin(x2)\"]}");
        Map<String, Object> s = client.post("/api/runs/" + id + "/step", "{\"steps\": 60000}").json();
        assertTrue(num(s.get("testLoss")) < 0.1, () -> "test loss " + s.get("testLoss"));
        assertTrue(num(s.get("testAccuracy")) > 0.95, () -> "test accuracy " + s.get("testAccuracy"));
    }

    @Test
    void theDownloadedModelEvaluatesToTheRunsTestFigures(@TempDir Path dir) throws Exception {
        String id = client.playground("{\"dataset\":\"xor\", \"noise\":0.2, \"features\":[\"x1\",\"x2\",\"x1x2\"],"
                + " \"hidden\":[4], \"seed\":7}");
        Map<String, Object> s = client.post("/api/runs/" + id + "/step", "{\"steps\": 3000}").json();
        Path file = dir.resolve("xor.lanes");
        Files.write(file, client.bytes("/api/runs/" + id + "/model"));
        ModelFile.Loaded loaded = ModelFile.read(file);
        Features f = Features.of(loaded.metadata());
        assertEquals(List.of("x1", "x2", "x1x2"), f.names());
        DataFolder points = ToyData.generate("xor", 500, 0.2, 0.5, 7);
        Trainer.Evaluation e = Trainer.evaluate(loaded.model(), loaded.architecture().loss(), f.apply(points.test()),
                100);
        assertEquals(num(s.get("testAccuracy")), e.accuracy(), 1e-9);
        assertEquals(num(s.get("testLoss")), e.meanLoss(), 1e-5);
        assertTrue(((String) s.get("evalCommand")).contains("--data toy:xor --points 500 --noise 0.2"));
    }

    @Test
    void theEventStreamSendsStatesWhilePlayingAndPauseStopsIt() throws Exception {
        String id = client.playground("{\"dataset\":\"circle\"}");
        Client.Answer play = client.post("/api/runs/" + id + "/play", "{\"stepsPerSecond\": 0}");
        assertEquals(200, play.status(), play::toString);
        HttpResponse<java.io.InputStream> r = client.http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + client.port + "/api/runs/" + id + "/events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals("text/event-stream; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        List<Double> steps = new ArrayList<>();
        long start = System.nanoTime();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String event = null;
            for (String line; steps.size() < 5 && (line = in.readLine()) != null; ) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ") && "state".equals(event)) {
                    Map<?, ?> st = (Map<?, ?>) JsonText.parse(line.substring(6));
                    steps.add((Double) st.get("step"));
                    assertNotNull(st.get("boundary"));
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(5, steps.size());
        assertTrue(steps.get(4) > steps.get(1), () -> "steps grow while playing: " + steps);
        assertTrue(seconds < 10, "5 frames in " + seconds + " s");
        Map<String, Object> paused = client.post("/api/runs/" + id + "/pause", "{}").json();
        assertEquals(false, paused.get("playing"));
        double at = num(paused.get("step"));
        Thread.sleep(200);
        assertEquals(at, num(client.get("/api/runs/" + id + "?grids=false").get("step")), "no steps after pause");
        client.send("DELETE", "/api/runs/" + id, null);
    }

    @Test
    void theRateAndRegularisationChangeWhileTheRunGoesOn() throws Exception {
        String id = client.playground("{\"dataset\":\"gauss\"}");
        client.post("/api/runs/" + id + "/step", "{\"steps\": 10}");
        Map<String, Object> s = client.post("/api/runs/" + id + "/settings", "{\"learningRate\": 0.3, "
                + "\"regularization\": \"L2\", \"regularizationRate\": 0.01}").json();
        assertEquals(0.3, s.get("learningRate"));
        assertEquals("L2", s.get("regularization"));
        assertEquals(10.0, s.get("step"), "the run goes on");
    }

    @Test
    void aHighLearningRateDivergesAndTheStateSaysWhyAndWhatToTry() throws Exception {
        String id = client.playground("{\"dataset\":\"spiral\", \"learningRate\": 10}");
        Map<String, Object> s = client.post("/api/runs/" + id + "/step", "{\"steps\": 3000}").json();
        Map<?, ?> d = (Map<?, ?>) s.get("divergence");
        assertNotNull(d, () -> "diverged at rate 10: " + s.get("trainLoss"));
        assertEquals(1.0, d.get("suggestedLearningRate"));
        assertTrue(((String) d.get("message")).contains("learning rate of 1 or lower"), d::toString);
        assertTrue(num(s.get("step")) < 3000, "stopped at the divergence");
        Client.Answer again = client.post("/api/runs/" + id + "/step", "{\"steps\": 1}");
        assertEquals(409, again.status());
        Client.Answer play = client.post("/api/runs/" + id + "/play", "{}");
        assertEquals(409, play.status());
    }

    @Test
    void moreThanTwoClassesAndOnesOwnCsvPointsTrain() throws Exception {
        String blobs = client.playground("{\"dataset\":\"blobs:4\", \"hidden\":[6]}");
        Map<String, Object> s = client.post("/api/runs/" + blobs + "/step", "{\"steps\": 2000}").json();
        assertEquals(4.0, s.get("classes"));
        assertTrue(num(s.get("testAccuracy")) > 0.9, () -> "blobs:4 " + s.get("testAccuracy"));
        Map<?, ?> b = (Map<?, ?>) s.get("boundary");
        assertEquals(100, ((List<?>) b.get("winner")).size());
        StringBuilder csv = new StringBuilder("x1,x2,label\n");
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 200; i++) {
            double x = r.nextGaussian() * 2;
            double y = r.nextGaussian() * 2;
            csv.append(x).append(',').append(y).append(',').append(x + y > 0 ? 1 : 0).append('\n');
        }
        String own = client.playground("{\"dataset\":\"csv\", \"csv\":" + JsonText.quote(csv.toString())
                + ", \"hidden\":[]}");
        Map<String, Object> t = client.post("/api/runs/" + own + "/step", "{\"steps\": 2000}").json();
        assertEquals(100.0, t.get("trainPoints"));
        assertTrue(num(t.get("testAccuracy")) > 0.95, () -> "a line in CSV: " + t.get("testAccuracy"));
        Map<?, ?> pts = client.get("/api/runs/" + own + "/points").json();
        assertEquals(100, ((List<?>) pts.get("train")).size());
    }

    @Test
    void theRegressionSetsFitTheirTargets() throws Exception {
        String plane = client.playground("{\"dataset\":\"plane\", \"hidden\":[], \"learningRate\":0.01}");
        Map<String, Object> s = client.post("/api/runs/" + plane + "/step", "{\"steps\": 3000}").json();
        assertEquals(0.0, s.get("classes"));
        assertEquals(null, s.get("testAccuracy"));
        assertTrue(num(s.get("testLoss")) < 1e-3, () -> "one linear unit fits a plane: " + s.get("testLoss"));
        Map<?, ?> b = (Map<?, ?>) s.get("boundary");
        List<?> top = (List<?>) ((List<?>) b.get("output")).get(0);
        assertEquals(0, num(top.get(0)), 0.15, "the top-left corner (-6, 6) has target 0");
        assertTrue(num(top.get(99)) > 0.8, () -> "the top-right corner (6, 6) has target 1: " + top.get(99));
        String bumps = client.playground("{\"dataset\":\"multigauss\", \"hidden\":[8,8], \"learningRate\":0.03}");
        Map<String, Object> m0 = client.get("/api/runs/" + bumps + "?grids=false").json();
        Map<String, Object> m1 = client.post("/api/runs/" + bumps + "/step", "{\"steps\": 20000}").json();
        assertTrue(num(m1.get("testLoss")) < num(m0.get("testLoss")) / 3, () -> "multigauss from "
                + m0.get("testLoss") + " to " + m1.get("testLoss"));
        List<?> pts = (List<?>) client.get("/api/runs/" + bumps + "/points").json().get("train");
        double target = num(((List<?>) pts.get(0)).get(2));
        assertTrue(target >= -1 && target <= 1 && target != Math.rint(target), "targets, not classes: " + target);
    }

    @Test
    void lanesEvalReadsTheDownloadedModel(@TempDir Path dir) throws Exception {
        String id = client.playground("{\"dataset\":\"circle\", \"noise\":0.1, \"features\":[\"x1^2\",\"x2^2\"],"
                + " \"hidden\":[3], \"seed\":2}");
        Map<String, Object> s = client.post("/api/runs/" + id + "/step", "{\"steps\": 2000}").json();
        Path file = dir.resolve("playground.lanes");
        Files.write(file, client.bytes("/api/runs/" + id + "/model"));
        String[] command = ((String) s.get("evalCommand")).replace("playground.lanes", file.toString()).split(" ");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.out;
        int status;
        try {
            System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
            status = lanes.app.cli.LanesApp.run(java.util.Arrays.copyOfRange(command, 1, command.length));
        } finally {
            System.setOut(saved);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, printed);
        assertTrue(printed.contains(String.format(java.util.Locale.ROOT, "test accuracy %.2f %%",
                100 * num(s.get("testAccuracy")))), () -> printed + " vs " + s.get("testAccuracy"));
        assertTrue(printed.contains(String.format(java.util.Locale.ROOT, "test loss %.4f", num(s.get("testLoss")))),
                printed);
    }

    @Test
    void sixteenRunsStepAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Map<String, Object>>> done = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int seed = i;
                done.add(pool.submit(() -> {
                    String id = client.playground("{\"dataset\":\"xor\", \"seed\":" + seed + "}");
                    Map<String, Object> last = null;
                    for (int k = 0; k < 5; k++) {
                        Client.Answer a = client.post("/api/runs/" + id + "/step", "{\"steps\": 400}");
                        if (a.status() != 200) {
                            throw new AssertionError("run " + id + " step " + k + ": " + a);
                        }
                        last = a.json();
                    }
                    client.send("DELETE", "/api/runs/" + id, null);
                    return last;
                }));
            }
            for (Future<Map<String, Object>> f : done) {
                Map<String, Object> s = f.get();
                assertEquals(2000.0, s.get("step"));
                assertTrue(Double.isFinite(num(s.get("testLoss"))));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theSameSettingsGiveTheSameRun() throws Exception {
        String spec = "{\"dataset\":\"circle\", \"noise\":0.3, \"seed\":5}";
        String a = client.playground(spec);
        String b = client.playground(spec);
        double la = num(client.post("/api/runs/" + a + "/step", "{\"steps\": 300}").get("testLoss"));
        double lb = num(client.post("/api/runs/" + b + "/step", "{\"steps\": 300}").get("testLoss"));
        assertEquals(la, lb, 0.0, "seeded runs are repeatable");
    }
}
