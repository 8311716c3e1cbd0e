package lanes.tests.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import lanes.engine.Tensor;
import lanes.engine.math.SgdUpdate;
import lanes.tests.Gen;
import lanes.layers.loss.BinaryCrossEntropyWithLogits;
import lanes.layers.loss.MeanSquaredError;
import lanes.layers.loss.SoftmaxCrossEntropy;
import lanes.layers.nn.Parameter;
import lanes.layers.optim.Adam;
import lanes.layers.optim.LrSchedule;
import lanes.layers.optim.Sgd;
import lanes.tests.Compare;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Losses against their definitions and finite differences; SGD against steps computed by hand. */
class LossAndOptimizerProperties {

    /** Central differences of {@code loss} at every element of {@code z}, in double. */
    static double[] numeric(Tensor z, ToDoubleFunction<Tensor> loss) {
        double h = 1e-2;
        float[] d = z.data();
        double[] g = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            float old = d[i];
            d[i] = old + (float) h;
            double plus = loss.applyAsDouble(z);
            d[i] = old - (float) h;
            double minus = loss.applyAsDouble(z);
            d[i] = old;
            g[i] = (plus - minus) / ((double) (old + (float) h) - (old - (float) h));
        }
        return g;
    }

    static double[] tolerance(double[] numeric, float[] analytic) {
        double[] t = new double[numeric.length];
        for (int i = 0; i < t.length; i++) {
            // truncation O(h^2) relative, plus the float loss's rounding over 2h
            t[i] = 2e-2 * Math.max(Math.abs(numeric[i]), Math.abs(analytic[i])) + 2e-4;
        }
        return t;
    }

    static Tensor logits(long seed, int n, int k, float scale) {
        Tensor t = Tensor.zeros(n, k);
        Random r = new Random(seed);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return t;
    }

    @Property(tries = 50)
    void crossEntropyMatchesItsDefinitionAndItsGradientTheDifferences(@ForAll @IntRange(min = 1, max = 8) int n,
                                                                     @ForAll @IntRange(min = 1, max = 12) int k,
                                                                     @ForAll boolean weighted, @ForAll long seed) {
        Random r = new Random(seed);
        int[] targets = new int[n];
        for (int i = 0; i < n; i++) {
            targets[i] = r.nextInt(k);
        }
        float[] w = null;
        if (weighted) {
            w = new float[k];
            for (int j = 0; j < k; j++) {
                w[j] = 0.25f + r.nextFloat();
            }
        }
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy(w);
        Tensor z = logits(seed, n, k, 3f);
        float loss = ce.forward(z, targets);
        // the definition, in double: weighted mean of -log softmax(z)[t]
        double num = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(z.get(i, j));
            }
            double wi = w == null ? 1 : w[targets[i]];
            num += wi * -Math.log(Math.exp(z.get(i, targets[i])) / sum);
            den += wi;
        }
        assertEquals(num / den, loss, 1e-5 * Math.max(1, Math.abs(num / den)), "cross-entropy value");
        float[] analytic = ce.backward().toArray();
        SoftmaxCrossEntropy probe = new SoftmaxCrossEntropy(w);
        double[] numeric = numeric(z, t -> probe.forward(t, targets));
        Compare.assertClose("cross-entropy gradient, n=" + n + " k=" + k + " weighted=" + weighted + " seed=" + seed,
                numeric, analytic, tolerance(numeric, analytic));
    }

    @Example
    void crossEntropyIsStableForHugeLogits() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        Tensor z = Tensor.wrap(new float[] {1000f, 0f, -1000f}, 1, 3);
        assertEquals(0f, ce.forward(z, new int[] {0}), 1e-6);
        assertEquals(2000f, ce.forward(z, new int[] {2}), 1e-2);
        assertThrows(IllegalArgumentException.class, () -> ce.forward(z, new int[] {3}));
    }

    @Property(tries = 50)
    void binaryCrossEntropyWithLogitsMatchesItsDefinitionAndGradient(@ForAll @IntRange(min = 1, max = 20) int n,
                                                                    @ForAll long seed) {
        Tensor z = logits(seed, 1, n, 6f);
        Tensor t = logits(seed + 1, 1, n, 1f);
        for (int i = 0; i < n; i++) {
            t.data()[i] = (t.data()[i] + 1) / 2;                            // targets in [0, 1]
        }
        BinaryCrossEntropyWithLogits bce = new BinaryCrossEntropyWithLogits();
        float loss = bce.forward(z, t);
        double expected = 0;
        for (int i = 0; i < n; i++) {
            double p = 1 / (1 + Math.exp(-z.data()[i]));
            expected -= t.data()[i] * Math.log(p) + (1 - t.data()[i]) * Math.log(1 - p);
        }
        expected /= n;
        assertEquals(expected, loss, 1e-5 * Math.max(1, expected), "BCE value");
        float[] analytic = bce.backward().toArray();
        BinaryCrossEntropyWithLogits probe = new BinaryCrossEntropyWithLogits();
        double[] numeric = numeric(z, zz -> probe.forward(zz, t));
        Compare.assertClose("BCE gradient, n=" + n + " seed=" + seed, numeric, analytic, tolerance(numeric, analytic));
    }

    @Property(tries = 30)
    void meanSquaredErrorGradientMatchesTheDifferences(@ForAll @IntRange(min = 1, max = 20) int n,
                                                       @ForAll long seed) {
        Tensor y = logits(seed, 2, n, 2f);
        Tensor t = logits(seed + 1, 2, n, 2f);
        MeanSquaredError mse = new MeanSquaredError();
        mse.forward(y, t);
        float[] analytic = mse.backward().toArray();
        MeanSquaredError probe = new MeanSquaredError();
        double[] numeric = numeric(y, yy -> probe.forward(yy, t));
        Compare.assertClose("MSE gradient, n=" + n + " seed=" + seed, numeric, analytic, tolerance(numeric, analytic));
    }

    @Example
    void sgdFollowsPyTorchsFormulasStepByStep() {
        // one weight w = 1, gradient 0.5 every step, lr 0.1, weight decay 0.01, momentum 0.9
        for (boolean nesterov : new boolean[] {false, true}) {
            Parameter p = new Parameter("w", Tensor.wrap(new float[] {1f}, 1));
            Sgd sgd = new Sgd(List.of(p), 0.1f, 0.9f, 0f, 0.01f, nesterov);
            double w = 1;
            double b = 0;
            for (int step = 0; step < 4; step++) {
                p.grad.fill(0.5f);
                sgd.step();
                double g = 0.5 + 0.01 * w;
                b = step == 0 ? g : 0.9 * b + g;
                w -= 0.1 * (nesterov ? g + 0.9 * b : b);
                assertEquals(w, p.value.get(0), 1e-6, "step " + step + (nesterov ? " (Nesterov)" : ""));
            }
        }
        // plain SGD with L2 weight decay, as in the lecture: w <- w - lr (grad + lambda w)
        Parameter p = new Parameter("w", Tensor.wrap(new float[] {2f, -4f}, 2));
        p.grad.fill(1f);
        new Sgd(List.of(p), 0.5f, 0.1f).step();
        assertEquals(2 - 0.5 * (1 + 0.2), p.value.get(0), 1e-6);
        assertEquals(-4 - 0.5 * (1 - 0.4), p.value.get(1), 1e-6);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new Sgd(List.of(p), 0.1f, 0f, 0f, 0f, true)).getMessage().contains("Nesterov"));
    }

    @Example
    void adamAndAdamWFollowPyTorchsFormulasStepByStep() {
        for (boolean decoupled : new boolean[] {false, true}) {
            Parameter p = new Parameter("w", Tensor.wrap(new float[] {1.5f}, 1));
            Adam adam = new Adam(List.of(p), 0.01f, 0.9f, 0.999f, 1e-8f, 0.1f, decoupled);
            double w = 1.5;
            double m = 0;
            double v = 0;
            for (int t = 1; t <= 5; t++) {
                double grad = 0.3 * t - 0.7;                 // a gradient that changes sign
                p.grad.fill((float) grad);
                adam.step();
                double g = grad;
                if (decoupled) {
                    w -= 0.01 * 0.1 * w;
                } else {
                    g += 0.1 * w;
                }
                m = 0.9 * m + 0.1 * g;
                v = 0.999 * v + 0.001 * g * g;
                w -= 0.01 * (m / (1 - Math.pow(0.9, t))) / (Math.sqrt(v / (1 - Math.pow(0.999, t))) + 1e-8);
                assertEquals(w, p.value.get(0), 1e-6, "step " + t + (decoupled ? " (AdamW)" : " (Adam)"));
            }
        }
    }

    @Example
    void adamWsFactoryIsTorchsAdamWDefaultsAndAdamsIsTorchsAdam() {
        for (boolean w : new boolean[] {false, true}) {
            Parameter viaFactory = new Parameter("w", Tensor.wrap(new float[] {1.5f, -0.25f, 3f}, 3));
            Parameter explicit = new Parameter("w", Tensor.wrap(new float[] {1.5f, -0.25f, 3f}, 3));
            Adam a = w ? Adam.adamW(List.of(viaFactory), 0.02f) : Adam.adam(List.of(viaFactory), 0.02f);
            Adam b = new Adam(List.of(explicit), 0.02f, 0.9f, 0.999f, 1e-8f, w ? 0.01f : 0f, w);
            for (int t = 1; t <= 4; t++) {
                viaFactory.grad.fill(0.2f * t - 0.5f);
                explicit.grad.fill(0.2f * t - 0.5f);
                a.step();
                b.step();
                assertArrayEquals(explicit.value.toArray(), viaFactory.value.toArray(),
                        (w ? "AdamW" : "Adam") + " step " + t);
            }
            if (w) {        // with a zero gradient AdamW still shrinks w, by exactly lr * wd * w: its decay skips the moments
                Parameter still = new Parameter("w", Tensor.wrap(new float[] {2f}, 1));
                Adam.adamW(List.of(still), 0.1f).step();
                assertEquals(2f - 0.1f * 0.01f * 2f, still.value.get(0), 0f, "AdamW with a zero gradient");
            }
        }
    }

    @Example
    void schedulesGiveTheirLearningRates() {
        LrSchedule step = LrSchedule.step(0.1f, 3, 0.5f);
        assertEquals(0.1f, step.lr(0), 1e-7);
        assertEquals(0.1f, step.lr(2), 1e-7);
        assertEquals(0.05f, step.lr(3), 1e-7);
        assertEquals(0.025f, step.lr(7), 1e-7);
        LrSchedule cos = LrSchedule.cosine(0.1f, 10, 0.001f);
        assertEquals(0.1f, cos.lr(0), 1e-7);
        assertEquals(0.0505f, cos.lr(5), 1e-6);
        assertEquals(0.001f, cos.lr(10), 1e-7);
    }

    @Property(tries = 30)
    void plainSgdUpdatesEveryElementExactlyAsTheFormulaInFloat(@ForAll @IntRange(min = 1, max = 200) int n,
                                                               @ForAll long seed) {
        checkPlain(n, seed);
    }

    @Property(tries = 30)
    void anSgdUpdateSplitOverThreadsGivesEveryElementTheFormulasBits(@ForAll @IntRange(min = 1, max = 3) int threads,
            @ForAll @IntRange(min = 0, max = 40) int extra, @ForAll boolean nesterov, @ForAll long seed) {
        // past SgdUpdate.PARALLEL_MIN the update runs in one range per thread; an odd count leaves a scalar tail
        int n = 2 * SgdUpdate.PARALLEL_MIN + extra;
        Gen.onThreads(threads, () -> {
            checkPlain(n, seed);
            checkMomentum(n, nesterov, seed);
            return null;
        });
    }

    private static void checkPlain(int n, long seed) {
        Tensor w = logits(seed, 1, n, 2f);
        Tensor g = logits(seed + 1, 1, n, 1f);
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) {
            float wi = w.data()[i];
            expected[i] = wi - 0.05f * (g.data()[i] + 0.001f * wi);
        }
        Parameter p = new Parameter("w", w);
        p.grad.copyFrom(g);
        new Sgd(List.of(p), 0.05f, 0.001f).step();
        Compare.assertBitwiseEqual("SGD step on " + n + " elements", expected, p.value.toArray());
    }

    @Property(tries = 30)
    void momentumSgdUpdatesEveryElementAndBufferExactlyAsTheFormulaInFloat(
            @ForAll @IntRange(min = 1, max = 200) int n, @ForAll boolean nesterov, @ForAll long seed) {
        checkMomentum(n, nesterov, seed);
    }

    private static void checkMomentum(int n, boolean nesterov, long seed) {
        float lr = 0.05f;
        float momentum = 0.9f;
        float dampening = nesterov ? 0f : 0.25f;
        float decay = 0.001f;
        Tensor w = logits(seed, 1, n, 2f);
        float[] expected = w.toArray();
        float[] buffer = new float[n];
        Parameter p = new Parameter("w", w);
        Sgd sgd = new Sgd(List.of(p), lr, momentum, dampening, decay, nesterov);
        for (int step = 0; step < 3; step++) {
            Tensor g = logits(seed + 1 + step, 1, n, 1f);
            for (int i = 0; i < n; i++) {
                float d = g.data()[i] + decay * expected[i];
                buffer[i] = step == 0 ? d : momentum * buffer[i] + (1 - dampening) * d;
                d = nesterov ? d + momentum * buffer[i] : buffer[i];
                expected[i] -= lr * d;
            }
            p.grad.copyFrom(g);
            sgd.step();
            Compare.assertBitwiseEqual("momentum SGD step " + step + " on " + n + " elements, nesterov = " + nesterov
                    + ", seed = " + seed, expected, p.value.toArray());
        }
    }
}
