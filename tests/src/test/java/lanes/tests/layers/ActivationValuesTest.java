package lanes.tests.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import lanes.engine.Tensor;
import lanes.layers.nn.Activation;
import org.junit.jupiter.api.Test;

/** Activation values at the points that matter: zero, negatives, NaN, and lengths past a vector's edge. */
class ActivationValuesTest {
    @Test
    void reluKeepsNaNAndZeroesNegativesAtEveryLength() {
        for (int n = 1; n <= 40; n++) {
            float[] x = new float[n];
            float[] expected = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = i % 5 == 0 ? Float.NaN : (i % 2 == 0 ? i : -i);
                expected[i] = Float.isNaN(x[i]) ? Float.NaN : Math.max(x[i], 0f);
            }
            Activation relu = Activation.relu();
            assertArrayEquals(expected, relu.forward(Tensor.wrap(x, 1, n)).toArray(), "relu, n = " + n);
            float[] dy = new float[n];
            java.util.Arrays.fill(dy, 2f);
            float[] dx = relu.backward(Tensor.wrap(dy, 1, n)).toArray();
            for (int i = 0; i < n; i++) {
                assertEquals(x[i] > 0 ? 2f : 0f, dx[i], "relu gradient at " + i + " (x = " + x[i] + ")");
            }
        }
    }

    @Test
    void definitionsMatchPyTorchAtKnownPoints() {
        Tensor x = Tensor.wrap(new float[] {-2f, 0f, 3f}, 1, 3);
        assertArrayEquals(new float[] {-0.02f, 0f, 3f}, Activation.leakyRelu(0.01f).forward(x).toArray(), 1e-7f);
        assertArrayEquals(new float[] {(float) Math.expm1(-2), 0f, 3f}, Activation.elu(1f).forward(x).toArray(),
                1e-7f);
        assertArrayEquals(new float[] {(float) (1 / (1 + Math.exp(2))), 0.5f, (float) (1 / (1 + Math.exp(-3)))},
                Activation.sigmoid().forward(x).toArray(), 1e-7f);
    }
}
