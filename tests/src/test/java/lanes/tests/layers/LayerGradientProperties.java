package lanes.tests.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import lanes.engine.Tensor;
import lanes.layers.nn.Activation;
import lanes.layers.nn.Conv1d;
import lanes.layers.nn.Conv2d;
import lanes.layers.nn.Flatten;
import lanes.layers.nn.GradCheck;
import lanes.layers.nn.Layer;
import lanes.layers.nn.Linear;
import lanes.layers.nn.Pooling;
import lanes.layers.nn.Sequential;
import lanes.layers.nn.Softmax;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Every layer's backward against central finite differences of its forward ({@link GradCheck}), over generated
 * shapes and hyper-parameters. Inputs to kinked functions (ReLU, max) are kept away from their kinks.
 */
class LayerGradientProperties {
    static final double H = 1e-2;
    static final double RTOL = 2e-2;

    /** Values in [-1, 1) from a seed, at least {@code gap} from zero. */
    static Tensor input(long seed, double gap, int... shape) {
        Tensor t = Tensor.zeros(shape);
        Random r = new Random(seed);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            double v = gap + r.nextDouble() * (1 - gap);
            d[i] = (float) (r.nextBoolean() ? v : -v);
        }
        return t;
    }

    /** Distinct values, at least 0.05 apart, in random order: max pooling has no near-ties. */
    static Tensor distinct(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (i - d.length / 2f) * 0.05f;
        }
        Random r = new Random(seed);
        for (int i = d.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            float s = d[i];
            d[i] = d[j];
            d[j] = s;
        }
        return t;
    }

    static void assertGradients(Layer layer, Tensor x, long seed) {
        GradCheck.Result r = GradCheck.check(layer, x, H, RTOL, 40, seed);
        assertTrue(r.passes(), layer + " at input shape " + java.util.Arrays.toString(x.shape()) + ", seed " + seed
                + ": " + r);
    }

    @Property(tries = 60)
    void linearGradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 6) int n,
                                               @ForAll @IntRange(min = 1, max = 40) int in,
                                               @ForAll @IntRange(min = 1, max = 40) int out,
                                               @ForAll boolean bias, @ForAll long seed) {
        assertGradients(new Linear(in, out, bias, seed), input(seed, 0, n, in), seed);
    }

    @Provide
    Arbitrary<Activation> activations() {
        return Arbitraries.of(Activation.sigmoid(), Activation.tanh(), Activation.relu(), Activation.leakyRelu(0.01f),
                Activation.leakyRelu(0.2f), Activation.elu(1f), Activation.elu(0.5f));
    }

    @Property(tries = 60)
    void activationGradientsMatchFiniteDifferences(@ForAll("activations") Activation a,
                                                   @ForAll @IntRange(min = 1, max = 4) int n,
                                                   @ForAll @IntRange(min = 1, max = 30) int d, @ForAll long seed) {
        assertGradients(a, input(seed, 2 * H, n, d), seed);
    }

    @Property(tries = 30)
    void softmaxGradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 4) int n,
                                                @ForAll @IntRange(min = 1, max = 12) int k, @ForAll long seed) {
        assertGradients(new Softmax(), input(seed, 0, n, k), seed);
    }

    /** Conv2d geometries: channels 1..6 in groups, kernel 1..4, stride 1..3, padding 0..k-1, dilation 1..2. */
    @Provide
    Arbitrary<int[]> conv2d() {
        return Combinators.combine(Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 3),
                        Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 4),
                        Arbitraries.integers().between(1, 3), Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(1, 2), Arbitraries.integers().between(1, 2))
                .as((n, ci, co, k, s, p, dil, g) -> new int[] {n, ci * g, co * g, k, s, Math.min(p, k - 1), dil, g});
    }

    @Property(tries = 40)
    void conv2dGradientsMatchFiniteDifferences(@ForAll("conv2d") int[] c,
                                               @ForAll @IntRange(min = 1, max = 9) int h,
                                               @ForAll @IntRange(min = 1, max = 9) int w, @ForAll boolean bias,
                                               @ForAll long seed) {
        int k = c[3];
        int span = c[6] * (k - 1) + 1;
        int hh = Math.max(h, span - 2 * c[5]);
        int ww = Math.max(w, span - 2 * c[5]);
        Conv2d conv = new Conv2d(c[1], c[2], k, k, c[4], c[4], c[5], c[5], c[6], c[6], c[7], bias, seed);
        assertGradients(conv, input(seed, 0, c[0], c[1], hh, ww), seed);
    }

    @Property(tries = 30)
    void conv1dGradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 3) int n,
                                               @ForAll @IntRange(min = 1, max = 5) int cin,
                                               @ForAll @IntRange(min = 1, max = 5) int cout,
                                               @ForAll @IntRange(min = 1, max = 5) int k,
                                               @ForAll @IntRange(min = 1, max = 3) int stride,
                                               @ForAll @IntRange(min = 0, max = 20) int extra, @ForAll long seed) {
        Conv1d conv = new Conv1d(cin, cout, k, stride, k / 2, seed);
        assertGradients(conv, input(seed, 0, n, cin, k + extra), seed);
    }

    @Property(tries = 30)
    void poolingGradientsMatchFiniteDifferences(@ForAll boolean max, @ForAll boolean twoD,
                                                @ForAll @IntRange(min = 1, max = 3) int k,
                                                @ForAll @IntRange(min = 1, max = 3) int s,
                                                @ForAll boolean ceil, @ForAll @IntRange(min = 0, max = 6) int extra,
                                                @ForAll long seed) {
        int p = k / 2;
        Pooling pool = twoD
                ? (max ? Pooling.maxPool2d(k, s, p, ceil) : Pooling.avgPool2d(k, s, p, ceil, seed % 2 == 0))
                : (max ? Pooling.maxPool1d(k, s, p, ceil) : Pooling.avgPool1d(k, s, p, ceil, seed % 2 == 0));
        int size = k + extra;
        Tensor x = twoD ? distinct(seed, 2, 2, size, size + 1) : distinct(seed, 2, 3, size);
        assertGradients(pool, x, seed);
    }

    @Property(tries = 20)
    void sequentialModelsMatchFiniteDifferencesEndToEnd(@ForAll @IntRange(min = 1, max = 3) int n,
                                                        @ForAll long seed) {
        Sequential cnn = new Sequential(
                new Conv2d(1, 3, 3, 1, 1, seed), Activation.tanh(),
                Pooling.avgPool2d(2, 2, 0, false, true),
                new Conv2d(3, 4, 3, 1, 0, seed + 1), Activation.elu(1f),
                new Flatten(),
                new Linear(4 * 2 * 2, 5, true, seed + 2), Activation.sigmoid(),
                new Linear(5, 3, true, seed + 3));
        assertGradients(cnn, input(seed, 0, n, 1, 8, 8), seed);
    }
}
