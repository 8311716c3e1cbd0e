package lanes.app.studio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import lanes.engine.Tensor;
import lanes.layers.io.ModelFile;
import lanes.layers.models.Architecture;
import lanes.layers.nn.Layer;
import lanes.layers.nn.ModelText;
import lanes.layers.nn.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A train run of the train view on the embedded digits, and the lecture view's two computations. */
class TrainAndLectureApiTest extends LiveStudio {
    @Test
    @SuppressWarnings("unchecked")
    void aTrainRunLearnsTheDigitsAndAnswersAboutThem(@TempDir Path dir) throws Exception {
        Client.Answer made = client.post("/api/runs", "{\"kind\":\"train\", \"model\":\"Conv2d(1, 4, 5, padding=2), "
                + "ReLU(), MaxPool2d(2), Flatten(), Linear(784, 10)\", \"epochs\":1, \"batchSize\":32, "
                + "\"learningRate\":0.05, \"threads\":1}");
        assertEquals(201, made.status(), made::toString);
        String id = (String) made.get("id");
        assertEquals(409, client.post("/api/runs/" + id + "/step", "{}").status(), "train runs play");
        assertEquals(200, client.post("/api/runs/" + id + "/play", "{}").status());
        long end = System.nanoTime() + 120_000_000_000L;
        Map<String, Object> s;
        do {
            Thread.sleep(250);
            s = client.get("/api/runs/" + id).json();
        } while (!(Boolean) s.get("done") && System.nanoTime() < end);
        assertEquals(true, s.get("done"), "one epoch within two minutes");
        assertTrue((Double) s.get("testAccuracy") > 0.85, "test accuracy " + s.get("testAccuracy"));
        assertTrue((Double) s.get("imagesPerSecond") > 0);
        List<List<Double>> confusion = (List<List<Double>>) s.get("confusion");
        assertEquals(10, confusion.size());
        assertEquals(2004.0, confusion.stream().flatMap(List::stream).mapToDouble(Double::doubleValue).sum());
        Map<String, Object> filters = (Map<String, Object>) s.get("filters");
        assertEquals(List.of(4.0, 1.0, 5.0, 5.0), filters.get("shape"));
        assertEquals(100, ((List<?>) filters.get("values")).size());
        List<?> times = (List<?>) ((Map<?, ?>) s.get("layerTimes")).get("layers");
        assertEquals(4, times.size(), "conv with its ReLU fused, pool, flatten, linear: as the trainer runs them");
        assertEquals(1, ((List<?>) s.get("epochLog")).size(), "one epoch logged");

        int diagonal = confusion.get(3).get(3).intValue();
        Map<String, Object> ex = client.get("/api/runs/" + id + "/examples?true=3&predicted=3").json();
        assertEquals(Math.min(60, diagonal), ((List<?>) ex.get("images")).size());
        assertEquals(400, client.get("/api/runs/" + id + "/examples?true=10&predicted=3").status());
        assertEquals("predicted", client.get("/api/runs/" + id + "/examples?true=1").field());

        // a "1": a vertical stroke on a 56 x 56 pad
        StringBuilder px = new StringBuilder();
        for (int y = 0; y < 56; y++) {
            for (int x = 0; x < 56; x++) {
                px.append(px.length() == 0 ? "" : ",").append(Math.abs(x - 28) <= 2 && y > 8 && y < 48 ? "1" : "0");
            }
        }
        Map<String, Object> p = client.post("/api/runs/" + id + "/predict", "{\"width\":56, \"height\":56, "
                + "\"pixels\":[" + px + "]}").json();
        List<Double> probs = (List<Double>) p.get("probabilities");
        assertEquals(1.0, probs.stream().mapToDouble(Double::doubleValue).sum(), 1e-4);
        assertEquals(1.0, p.get("predicted"), () -> "a vertical stroke is a 1: " + probs);
        List<Map<String, Object>> layers = (List<Map<String, Object>>) p.get("layers");
        assertEquals(5, layers.size());
        assertEquals(4, ((List<?>) layers.get(0).get("maps")).size(), "one map per channel of the convolution");
        assertEquals("pixels", client.post("/api/runs/" + id + "/predict", "{\"width\":56, \"height\":56, "
                + "\"pixels\":[0,1]}").field());
        assertEquals("pixels[1]", client.post("/api/runs/" + id + "/predict", "{\"width\":2, \"height\":1, "
                + "\"pixels\":[0,7]}").field());

        Path file = dir.resolve("digits.lanes");
        Files.write(file, client.bytes("/api/runs/" + id + "/model"));
        ModelFile.Loaded loaded = ModelFile.read(file);
        assertEquals(1, loaded.model().layers().stream().filter(l -> l instanceof lanes.layers.nn.Linear).count());
    }

    @Test
    void aTrainRunMayUseOnlyTheFoldersTheCommandLineGave() throws Exception {
        Path digits = Path.of(System.getProperty("lanes.data"), "digits");
        try (Studio s = Studio.start(new Studio.Settings("127.0.0.1", 0, Studio.folders(List.of(digits)), 4, 60, List.of()))) {
            Client c = new Client(s.port());
            assertTrue(((List<?>) c.get("/api/info").get("trainData")).contains("digits-2"));
            Client.Answer a = c.post("/api/runs", "{\"kind\":\"train\", \"data\":\"digits-2\", \"model\":\"softmax\"}");
            assertEquals(201, a.status(), a::toString);
            String data = (String) c.get("/api/runs/" + a.get("id")).get("data");
            assertTrue(data.contains(digits.toString()), data);
            assertEquals("data", c.post("/api/runs", "{\"kind\":\"train\", \"data\":\"" + digits + "\"}").field());
        }
    }

    @Test
    void theGradientDescentDemoMarksTheStableRate() throws Exception {
        Map<String, Object> slow = client.post("/api/gradient-descent", "{\"learningRate\": 0.05}").json();
        double limit = (Double) slow.get("max_stable_lr");
        assertEquals(2 / (5 + Math.sqrt(10)), limit, 1e-9, "2 / lambda_max of [[2, 1], [1, 8]]");
        assertEquals("converged", ((Map<?, ?>) ((List<?>) slow.get("runs")).get(0)).get("verdict"));
        Map<String, Object> fast = client.post("/api/gradient-descent", "{\"learningRate\": 0.26}").json();
        assertEquals("diverged", ((Map<?, ?>) ((List<?>) fast.get("runs")).get(0)).get("verdict"));
        assertTrue(((String) fast.get("describe")).contains("> 1"), () -> (String) fast.get("describe"));
        assertEquals("learningRate", client.post("/api/gradient-descent", "{\"learningRate\": -1}").field());
    }

    /**
     * The region the API names is the region that matters: perturbing one input pixel changes unit (row, col) of
     * the layer exactly when the pixel lies inside (a random model and input, so no unit is dead by chance).
     */
    @Test
    void theReceptiveFieldIsWherePerturbingTheInputChangesTheUnit() throws Exception {
        String text = "Conv2d(1, 3, 5, padding=2), Tanh(), MaxPool2d(2), Conv2d(3, 2, 3, stride=2, padding=1), "
                + "Tanh(), Flatten(), Linear(98, 10)";
        int layer = 3;
        int row = 2;
        int col = 5;
        Map<String, Object> r = client.post("/api/receptive-field", "{\"model\": \"" + text + "\", \"layer\": "
                + layer + ", \"row\": " + row + ", \"col\": " + col + "}").json();
        Map<?, ?> clipped = (Map<?, ?>) ((Map<?, ?>) r.get("region")).get("clipped");
        int[] rows = ((List<?>) clipped.get("row")).stream().mapToInt(o -> ((Double) o).intValue()).toArray();
        int[] cols = ((List<?>) clipped.get("col")).stream().mapToInt(o -> ((Double) o).intValue()).toArray();
        Sequential model = new Architecture(text, new int[] {1, 28, 28}).build(3);
        List<Layer> layers = model.flattened();
        float[] x = new float[28 * 28];
        java.util.Random random = new java.util.Random(4);
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat();
        }
        float base = unit(layers, layer, x, row, col);
        int[] seen = {28, 28, -1, -1};
        for (int i = 0; i < x.length; i++) {
            float[] y = x.clone();
            y[i] += 1;
            if (unit(layers, layer, y, row, col) != base) {
                seen[0] = Math.min(seen[0], i / 28);
                seen[1] = Math.min(seen[1], i % 28);
                seen[2] = Math.max(seen[2], i / 28);
                seen[3] = Math.max(seen[3], i % 28);
            }
        }
        assertEquals(List.of(rows[0], cols[0], rows[1], cols[1]), List.of(seen[0], seen[1], seen[2], seen[3]),
                () -> "the pixels that move unit (" + row + ", " + col + ") of layer " + layer + " vs the API's "
                        + r.get("region"));
        assertNotNull(r.get("summary"));
        assertEquals("layer", client.post("/api/receptive-field", "{\"layer\": 99}").field());
        assertEquals("model", client.post("/api/receptive-field", "{\"model\": \"Conv9d(1)\"}").field());
        ModelText.plan(text, 1, 28, 28);
    }

    private static float unit(List<Layer> layers, int last, float[] x, int row, int col) {
        Tensor h = Tensor.wrap(x.clone(), 1, 1, 28, 28);
        for (int i = 0; i <= last; i++) {
            h = layers.get(i).forward(h);
        }
        return h.contiguous().get(0, 0, row, col);
    }
}
