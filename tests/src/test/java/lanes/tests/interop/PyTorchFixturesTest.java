package lanes.tests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import lanes.engine.Tensor;
import lanes.layers.data.Dataset;
import lanes.layers.io.JsonText;
import lanes.layers.io.ModelFile;
import lanes.layers.models.Architecture;
import lanes.layers.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * Weights PyTorch wrote (interop/python/torch_interop.py fixtures: a state_dict in safetensors, F32, F16 or BF16,
 * without Lanes' metadata) load into Lanes' models and give PyTorch's logits within the float32 error bound.
 */
class PyTorchFixturesTest {
    static final List<String> FIXTURES = List.of("lenet5", "lenet5-classic", "mlp", "softmax", "logistic", "tdnn");

    @Test
    void everyPyTorchStateDictLoadsAndReproducesItsLogitsWithinTheFloat32Bound() throws Exception {
        Tensor probes = probes(16);
        for (String name : FIXTURES) {
            Fixture f = Fixture.read(name);
            ModelFile.Loaded loaded = ModelFile.readSafetensors(f.weights, f.architecture);
            float[] logits = loaded.model().forward(probes).toArray();
            float[] tolerance = ForwardBound.of(loaded.model(), probes);
            assertEquals(f.logits.length, logits.length, name + ": logits");
            int worst = 0;
            for (int i = 0; i < logits.length; i++) {
                if (Math.abs(logits[i] - f.logits[i]) / tolerance[i] > Math.abs(logits[worst] - f.logits[worst])
                        / tolerance[worst]) {
                    worst = i;
                }
            }
            int width = logits.length / 16;
            double diff = Math.abs(logits[worst] - f.logits[worst]);
            System.out.printf("%s (%s): closest to its bound: image %d class %d, |Lanes - PyTorch| %.3g <= %.3g%n",
                    name, f.dtype, worst / width, worst % width, diff, tolerance[worst]);
            assertTrue(diff <= tolerance[worst], name + " (" + f.architecture + ", " + f.dtype + "): image "
                    + worst / width + " class " + worst % width + ": Lanes " + logits[worst] + ", PyTorch "
                    + f.logits[worst] + ", difference " + diff + " > tolerance " + tolerance[worst]);
        }
    }

    @Test
    void theLeNetTrainedInPyTorchHasItsAccuracyInLanes() throws Exception {
        Fixture f = Fixture.read("lenet5");
        ModelFile.Loaded loaded = ModelFile.readSafetensors(f.weights, f.architecture);
        Dataset test = Dataset.readIdx(digits().resolve("t10k-images-idx3-ubyte.gz"),
                digits().resolve("t10k-labels-idx1-ubyte.gz"), 10);
        Trainer.Evaluation e = Trainer.evaluate(loaded.model(), test, 100);
        double images = ((Double) f.record.get("test_images"));
        assertEquals(images, test.count);
        double torch = (Double) f.record.get("test_accuracy");
        System.out.printf("LeNet-5 trained in PyTorch: test accuracy %.4f in PyTorch, %.4f in Lanes%n", torch,
                e.accuracy());
        // float32 summation order may move an image that sits on a decision boundary: one at most
        assertTrue(Math.abs(e.accuracy() - torch) * images <= 1.0001, "PyTorch " + torch + ", Lanes " + e.accuracy()
                + " on " + images + " images");
    }

    static Path digits() {
        return Path.of(System.getProperty("lanes.data", "../data"), "digits");
    }

    /** The first {@code n} test digits, as PyTorch's script reads them. */
    static Tensor probes(int n) throws Exception {
        Dataset test = Dataset.readIdx(digits().resolve("t10k-images-idx3-ubyte.gz"),
                digits().resolve("t10k-labels-idx1-ubyte.gz"), 10);
        Tensor x = Tensor.zeros(n, 1, 28, 28);
        test.range(0, n, x, new int[n]);
        return x;
    }

    /** A fixture: the state_dict file and what the script recorded beside it. */
    record Fixture(Path weights, Architecture architecture, String dtype, float[] logits, Map<String, Object> record) {
        @SuppressWarnings("unchecked")
        static Fixture read(String name) throws Exception {
            Path dir = Path.of(System.getProperty("lanes.interop", "../interop"), "fixtures");
            Map<String, Object> r = (Map<String, Object>) JsonText.parse(
                    java.nio.file.Files.readString(dir.resolve(name + ".logits.json")));
            int[] input = ((List<Double>) r.get("input")).stream().mapToInt(Double::intValue).toArray();
            List<List<Double>> rows = (List<List<Double>>) r.get("logits");
            return new Fixture(dir.resolve(name + ".safetensors"), new Architecture((String) r.get("architecture"),
                    input), (String) r.get("dtype"), flatten(rows), r);
        }

        private static float[] flatten(List<List<Double>> rows) {
            float[] out = new float[rows.size() * rows.get(0).size()];
            int at = 0;
            for (List<Double> row : rows) {
                for (double v : row) {
                    out[at++] = (float) v;
                }
            }
            return out;
        }
    }
}
