package lanes.tests.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import lanes.engine.Tensor;
import lanes.layers.infer.Predictor;
import lanes.layers.io.ModelFile;
import lanes.layers.models.Architecture;
import lanes.layers.models.Models;
import lanes.layers.nn.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inference from many threads at once gives, bit for bit, what one thread gives, and never touches the model. */
class PredictorTest {
    static final int EXAMPLES = 64;

    @Test
    void eightThreadsOfAThousandCallsMatchOneThreadBitForBit() throws Exception {
        Sequential model = Models.lenet5(false, 3);
        Predictor p = new Predictor(model, 1, 28, 28);
        float[][] inputs = new float[EXAMPLES][];
        float[][] expected = new float[EXAMPLES][];
        for (int i = 0; i < EXAMPLES; i++) {
            inputs[i] = LayerGradientProperties.input(100 + i, 0, 1, 28, 28).toArray();
            expected[i] = p.predict(inputs[i]);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    for (int call = 0; call < 1000; call++) {
                        int i = (call * 7 + thread * 13) % EXAMPLES;
                        float[] got = call % 2 == 0 ? p.predict(inputs[i]) : p.predict(inputs[i], 1);
                        for (int j = 0; j < got.length; j++) {
                            if (Float.floatToRawIntBits(got[j]) != Float.floatToRawIntBits(expected[i][j])) {
                                return "thread " + thread + ", call " + call + ", example " + i + ", class " + j
                                        + ": " + got[j] + " but one thread gave " + expected[i][j];
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<String> r : results) {
                String problem = r.get();
                if (problem != null) {
                    fail(problem);
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aBatchMatchesItsExamplesOneByOneAndProbabilitiesSumToOne() {
        Predictor p = new Predictor(Models.mlp(lanes.layers.nn.Activation::relu, 2, 784, 32, 10), 1, 28, 28);
        assertEquals(10, p.classes());
        Tensor batch = LayerGradientProperties.input(9, 0, 5, 1, 28, 28);
        float[] all = p.predict(batch.toArray(), 5);
        for (int i = 0; i < 5; i++) {
            float[] one = p.predict(java.util.Arrays.copyOfRange(batch.toArray(), i * 784, (i + 1) * 784));
            assertArrayEquals(one, java.util.Arrays.copyOfRange(all, i * 10, (i + 1) * 10), 1e-6f, "example " + i);
            double sum = 0;
            int best = 0;
            for (int j = 0; j < 10; j++) {
                sum += one[j];
                best = one[j] > one[best] ? j : best;
            }
            assertEquals(1.0, sum, 1e-5, "example " + i);
            assertEquals(best, p.classify(java.util.Arrays.copyOfRange(batch.toArray(), i * 784, (i + 1) * 784)));
        }
    }

    @Test
    void aSavedModelLoadsAsAPredictorAndBadInputIsNamed(@TempDir Path dir) throws Exception {
        Architecture arch = Architecture.forImages("lenet5", 1, 28, 28, 10);
        Sequential model = arch.build(5);
        Path file = dir.resolve("m.lanes");
        ModelFile.write(file, arch, model, Map.of());
        float[] x = LayerGradientProperties.input(6, 0, 1, 28, 28).toArray();
        assertArrayEquals(new Predictor(model, 1, 28, 28).predict(x), Predictor.load(file).predict(x));
        Predictor p = Predictor.load(file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.predict(new float[10]));
        assertTrue(e.getMessage().contains("10 floats for 1 example of shape [1, 28, 28] (784 floats each)"),
                e.getMessage());
        float[] nan = x.clone();
        nan[3] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> p.predict(nan));
        assertTrue(e.getMessage().contains("is the input finite"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Predictor(model, 1, 28));
        assertTrue(e.getMessage().contains("must have rank 4 but has shape [1, 1, 28]"), e.getMessage());
    }
}
