package lanes.tests.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import lanes.engine.Tensor;
import lanes.layers.models.Models;
import lanes.layers.nn.Activation;
import lanes.layers.nn.Parameter;
import lanes.layers.nn.Sequential;
import org.junit.jupiter.api.Test;

/** The course's models: shapes, parameter counts as in PyTorch, seeded reproducibility and end-to-end gradients. */
class ModelsTest {
    static int count(Sequential m) {
        int n = 0;
        for (Parameter p : m.parameters()) {
            n += p.value.size();
        }
        return n;
    }

    @Test
    void lenet5HasPyTorchsShapesAndParameterCount() {
        for (boolean classic : new boolean[] {false, true}) {
            Sequential lenet = Models.lenet5(classic, 1);
            Tensor y = lenet.forward(LayerGradientProperties.input(1, 0, 3, 1, 28, 28));
            assertArrayEquals(new int[] {3, 10}, y.shape());
            // 156 + 2,416 + 48,120 + 10,164 + 850, as torchsummary counts it
            assertEquals(61706, count(lenet));
        }
    }

    @Test
    void mlpAndLogisticRegressionHaveTheirSizes() {
        assertEquals(784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10,
                count(Models.mlp(Activation::relu, 1, 784, 256, 128, 10)));
        assertEquals(3, count(Models.logisticRegression(2, 1)));
    }

    @Test
    void theSameSeedGivesBitIdenticalModels() {
        float[] a = Models.lenet5(false, 42).forward(LayerGradientProperties.input(5, 0, 2, 1, 28, 28)).toArray();
        float[] b = Models.lenet5(false, 42).forward(LayerGradientProperties.input(5, 0, 2, 1, 28, 28)).toArray();
        assertArrayEquals(a, b);
    }

    /**
     * A time-delay network learns where in time nothing is fixed: 3 channels of noise, and the class is the channel
     * that carries a short pulse, at a random time step.
     */
    @Test
    void theTimeDelayNetworkLearnsWhichChannelCarriesAPulse() {
        int n = 300;
        int len = 20;
        java.util.Random r = new java.util.Random(9);
        float[] x = new float[n * 3 * len];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(3);
            int at = r.nextInt(len - 3);
            for (int c = 0; c < 3; c++) {
                for (int t = 0; t < len; t++) {
                    float pulse = c == labels[i] && t >= at && t < at + 3 ? 1f : 0f;
                    x[(i * 3 + c) * len + t] = pulse + (float) (0.2 * r.nextGaussian());
                }
            }
        }
        lanes.layers.data.Dataset data = new lanes.layers.data.Dataset(x, labels, 3, 1, len, 3);
        Sequential tdnn = Models.tdnn(3, len, 8, 3, 7);
        // Dataset rows x cols = 1 x len: reshape each batch (N, 3, 1, len) to the (N, 3, len) a Conv1d takes
        Sequential model = new Sequential(new Squeeze(), tdnn);
        lanes.layers.train.Trainer t = new lanes.layers.train.Trainer(model,
                new lanes.layers.optim.Sgd(model.parameters(), 0.1f, 0.9f, 0f, 0f, false), 20, 1);
        t.fit(data, 40, new lanes.layers.train.Trainer.Listener() { });
        lanes.layers.train.Trainer.Evaluation e = t.evaluate(data);
        assertTrue(e.accuracy() >= 0.95, "TDNN on the pulse task: " + e);
    }

    /** (N, C, 1, L) -> (N, C, L): a view. */
    static final class Squeeze implements lanes.layers.nn.Layer {
        private int[] shape;

        @Override
        public Tensor forward(Tensor x) {
            shape = x.shape();
            return x.reshape(shape[0], shape[1], shape[3]);
        }

        @Override
        public Tensor backward(Tensor dy) {
            return dy.reshape(shape);
        }
    }

    /** Without the input gradient a model skips its first layer's dx and gives the same parameter gradients. */
    @Test
    void skippingTheInputGradientLeavesParameterGradientsUnchanged() {
        for (Sequential m : new Sequential[] {Models.lenet5(false, 4), Models.mlp(Activation::relu, 4, 784, 32, 10)}) {
            Tensor x = LayerGradientProperties.input(4, 0, 3, 1, 28, 28);
            Tensor dy = LayerGradientProperties.input(5, 0, 3, 10);
            m.parameters().forEach(Parameter::zeroGrad);
            m.forward(x);
            Tensor dx = m.backward(dy);
            assertArrayEquals(new int[] {3, 1, 28, 28}, dx.shape());
            float[][] with = m.parameters().stream().map(p -> p.grad.toArray()).toArray(float[][]::new);
            m.setInputGradient(false);
            m.parameters().forEach(Parameter::zeroGrad);
            m.forward(x);
            assertEquals(null, m.backward(dy), m + ": no input gradient asked for");
            for (int i = 0; i < with.length; i++) {
                assertArrayEquals(with[i], m.parameters().get(i).grad.toArray(), m + ": parameter " + i);
            }
            m.setInputGradient(true);
            m.forward(x);
            assertArrayEquals(new int[] {3, 1, 28, 28}, m.backward(dy).shape());
        }
    }
}
