package lanes.tests.engine.math;

import static lanes.tests.Compare.assertBitwiseEqual;

import lanes.engine.math.Activations;
import lanes.tests.Gen;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Every activation and its backward, vector loop and scalar tail alike, give the bits of its formula written as a
 * plain float loop, at any length and offset, and write nothing outside their n outputs. ReLU keeps a NaN (Java's
 * max) and its backward passes nothing where x is NaN or zero.
 */
class ActivationsProperties {
    private static final int PAD = 3;

    private record Case(int n, int xOff, int dyOff, int outOff, float[] x, float[] y, float[] dy) {
        String describe(String op) {
            return op + "(n = " + n + ", xOff = " + xOff + ", dyOff = " + dyOff + ", outOff = " + outOff + ")";
        }
    }

    private static Case draw(int n, int xOff, int dyOff, int outOff, long seed) {
        float[] x = new float[xOff + n + PAD];
        float[] v = Gen.floats(seed, n);
        for (int i = 0; i < n; i++) {
            x[xOff + i] = 4 * v[i];
        }
        if (n > 2) {
            x[xOff + n / 2] = Float.NaN;
        }
        float[] y = Gen.floats(seed + 1, xOff + n + PAD);
        float[] dy = Gen.floats(seed + 2, dyOff + n + PAD);
        return new Case(n, xOff, dyOff, outOff, x, y, dy);
    }

    private static float[] out(Case c) {
        float[] o = new float[c.outOff + c.n + PAD];
        java.util.Arrays.fill(o, -7f);          // padding that must survive
        return o;
    }

    @Property
    void forwardsEqualTheirFormulasBitForBit(@ForAll("lengths") int n, @ForAll @IntRange(max = 9) int xOff,
                                             @ForAll @IntRange(max = 9) int outOff, @ForAll long seed) {
        Case c = draw(n, xOff, 0, outOff, seed);
        float slope = 0.01f;
        float alpha = 1.3f;
        for (String op : new String[] {"relu", "sigmoid", "tanh", "leakyRelu", "elu"}) {
            float[] expected = out(c);
            float[] actual = out(c);
            for (int i = 0; i < n; i++) {
                float v = c.x[xOff + i];
                expected[outOff + i] = switch (op) {
                    case "relu" -> Math.max(v, 0f);
                    case "sigmoid" -> (float) (1 / (1 + Math.exp(-v)));
                    case "tanh" -> (float) Math.tanh(v);
                    case "leakyRelu" -> v > 0 ? v : v * slope;
                    default -> v > 0 ? v : (float) (alpha * Math.expm1(v));
                };
            }
            switch (op) {
                case "relu" -> Activations.relu(n, c.x, xOff, actual, outOff);
                case "sigmoid" -> Activations.sigmoid(n, c.x, xOff, actual, outOff);
                case "tanh" -> Activations.tanh(n, c.x, xOff, actual, outOff);
                case "leakyRelu" -> Activations.leakyRelu(n, slope, c.x, xOff, actual, outOff);
                default -> Activations.elu(n, alpha, c.x, xOff, actual, outOff);
            }
            assertBitwiseEqual(c.describe(op), expected, actual);
        }
    }

    @Property
    void backwardsEqualTheirFormulasBitForBit(@ForAll("lengths") int n, @ForAll @IntRange(max = 9) int xOff,
                                              @ForAll @IntRange(max = 9) int dyOff,
                                              @ForAll @IntRange(max = 9) int outOff, @ForAll long seed) {
        Case c = draw(n, xOff, dyOff, outOff, seed);
        float slope = 0.01f;
        float alpha = 1.3f;
        for (String op : new String[] {"relu", "sigmoid", "tanh", "leakyRelu", "elu"}) {
            float[] expected = out(c);
            float[] actual = out(c);
            for (int i = 0; i < n; i++) {
                float v = c.x[xOff + i];
                float w = c.y[xOff + i];
                float g = c.dy[dyOff + i];
                expected[outOff + i] = switch (op) {
                    case "relu" -> v > 0 ? g : 0f;
                    case "sigmoid" -> g * w * (1 - w);
                    case "tanh" -> g * (1 - w * w);
                    case "leakyRelu" -> v > 0 ? g : g * slope;
                    default -> v > 0 ? g : g * (w + alpha);
                };
            }
            switch (op) {
                case "relu" -> Activations.reluBackward(n, actual, outOff, c.dy, dyOff, c.x, xOff);
                case "sigmoid" -> Activations.sigmoidBackward(n, actual, outOff, c.dy, dyOff, c.y, xOff);
                case "tanh" -> Activations.tanhBackward(n, actual, outOff, c.dy, dyOff, c.y, xOff);
                case "leakyRelu" -> Activations.leakyReluBackward(n, slope, actual, outOff, c.dy, dyOff, c.x, xOff);
                default -> Activations.eluBackward(n, alpha, actual, outOff, c.dy, dyOff, c.x, xOff, c.y, xOff);
            }
            assertBitwiseEqual(c.describe(op + "Backward"), expected, actual);
        }
    }

    @Provide
    Arbitrary<Integer> lengths() {
        return Gen.lengths();
    }
}
