package lanes.engine.math;

import static jdk.incubator.vector.VectorOperators.GT;
import static lanes.engine.Simd.LANES;
import static lanes.engine.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import lanes.engine.Simd;

/**
 * The elementwise activations, each forward with its backward directly below, over {@code n} contiguous floats
 * from the given offsets. Backward takes the gradient first: {@code dx = dy * f'(x)}, written (not accumulated),
 * with f' read from the forward's input x or output y, whichever the formula needs. Inputs are not modified; the
 * output may be the same array region as the input.
 */
public final class Activations {
    private Activations() {
    }

    /**
     * {@code y = 1 / (1 + e^-x)}, rounded once from double.
     *
     * @param n     the number of elements
     * @param x     the input, not modified
     * @param xOff  where x starts
     * @param y     the output, written (it may be x's region)
     * @param yOff  where y starts
     */
    public static void sigmoid(int n, float[] x, int xOff, float[] y, int yOff) {
        // x (n) -> y (n)
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) (1 / (1 + Math.exp(-x[xOff + i])));
        }
    }

    /**
     * {@code dx = dy * y * (1 - y)}, y the sigmoid's output.
     *
     * @param n     the number of elements
     * @param dx    dL/dx, written
     * @param dxOff where dx starts
     * @param dy    dL/dy, not modified
     * @param dyOff where dy starts
     * @param y     the forward's output, not modified
     * @param yOff  where y starts
     */
    public static void sigmoidBackward(int n, float[] dx, int dxOff, float[] dy, int dyOff, float[] y, int yOff) {
        // dy (n), y (n) -> dx (n)
        for (int i = 0; i < n; i++) {
            float v = y[yOff + i];
            dx[dxOff + i] = dy[dyOff + i] * v * (1 - v);
        }
    }

    /**
     * {@code y = tanh(x)}, rounded once from double.
     *
     * @param n     the number of elements
     * @param x     the input, not modified
     * @param xOff  where x starts
     * @param y     the output, written (it may be x's region)
     * @param yOff  where y starts
     */
    public static void tanh(int n, float[] x, int xOff, float[] y, int yOff) {
        // x (n) -> y (n)
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) Math.tanh(x[xOff + i]);
        }
    }

    /**
     * {@code dx = dy * (1 - y^2)}, y the tanh's output.
     *
     * @param n     the number of elements
     * @param dx    dL/dx, written
     * @param dxOff where dx starts
     * @param dy    dL/dy, not modified
     * @param dyOff where dy starts
     * @param y     the forward's output, not modified
     * @param yOff  where y starts
     */
    public static void tanhBackward(int n, float[] dx, int dxOff, float[] dy, int dyOff, float[] y, int yOff) {
        // dy (n), y (n) -> dx (n)
        for (int i = 0; i < n; i++) {
            float v = y[yOff + i];
            dx[dxOff + i] = dy[dyOff + i] * (1 - v * v);
        }
    }

    /**
     * {@code y = max(x, 0)} with Java's max: a NaN stays NaN.
     *
     * @param n     the number of elements
     * @param x     the input, not modified
     * @param xOff  where x starts
     * @param y     the output, written (it may be x's region)
     * @param yOff  where y starts
     */
    public static void relu(int n, float[] x, int xOff, float[] y, int yOff) {
        // x (n) -> y (n)
        int i = 0;
        for (int bound = Simd.loopBound(n); i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, x, xOff + i).max(0f).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = Math.max(x[xOff + i], 0f);
        }
    }

    /**
     * {@code dx = x > 0 ? dy : 0}. x may be the forward's input or its output (a ReLU's output is positive exactly
     * where its input is), so this is also the mask a fused conv + ReLU or linear + ReLU applies on the way back.
     *
     * @param n     the number of elements
     * @param dx    dL/dx, written
     * @param dxOff where dx starts
     * @param dy    dL/dy, not modified
     * @param dyOff where dy starts
     * @param x     the forward's input, not modified
     * @param xOff  where x starts
     */
    public static void reluBackward(int n, float[] dx, int dxOff, float[] dy, int dyOff, float[] x, int xOff) {
        // dy (n), x (n) -> dx (n)
        FloatVector zero = FloatVector.zero(SPECIES);
        int i = 0;
        for (int bound = Simd.loopBound(n); i < bound; i += LANES) {
            VectorMask<Float> on = FloatVector.fromArray(SPECIES, x, xOff + i).compare(GT, 0f);
            zero.blend(FloatVector.fromArray(SPECIES, dy, dyOff + i), on).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            dx[dxOff + i] = x[xOff + i] > 0 ? dy[dyOff + i] : 0f;
        }
    }

    /**
     * {@code y = x > 0 ? x : slope * x}.
     *
     * @param n     the number of elements
     * @param slope the negative slope
     * @param x     the input, not modified
     * @param xOff  where x starts
     * @param y     the output, written (it may be x's region)
     * @param yOff  where y starts
     */
    public static void leakyRelu(int n, float slope, float[] x, int xOff, float[] y, int yOff) {
        // x (n) -> y (n)
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            y[yOff + i] = v > 0 ? v : v * slope;
        }
    }

    /**
     * {@code dx = x > 0 ? dy : slope * dy}, x the forward's input.
     *
     * @param n     the number of elements
     * @param slope the negative slope
     * @param dx    dL/dx, written
     * @param dxOff where dx starts
     * @param dy    dL/dy, not modified
     * @param dyOff where dy starts
     * @param x     the forward's input, not modified
     * @param xOff  where x starts
     */
    public static void leakyReluBackward(int n, float slope, float[] dx, int dxOff, float[] dy, int dyOff, float[] x,
                                         int xOff) {
        // dy (n), x (n) -> dx (n)
        for (int i = 0; i < n; i++) {
            float g = dy[dyOff + i];
            dx[dxOff + i] = x[xOff + i] > 0 ? g : g * slope;
        }
    }

    /**
     * {@code y = x > 0 ? x : alpha * (e^x - 1)}, the exponential rounded once from double.
     *
     * @param n     the number of elements
     * @param alpha ELU's alpha
     * @param x     the input, not modified
     * @param xOff  where x starts
     * @param y     the output, written (it may be x's region)
     * @param yOff  where y starts
     */
    public static void elu(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        // x (n) -> y (n)
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            y[yOff + i] = v > 0 ? v : (float) (alpha * Math.expm1(v));
        }
    }

    /**
     * {@code dx = x > 0 ? dy : dy * (y + alpha)}, x the forward's input and y its output.
     *
     * @param n     the number of elements
     * @param alpha ELU's alpha
     * @param dx    dL/dx, written
     * @param dxOff where dx starts
     * @param dy    dL/dy, not modified
     * @param dyOff where dy starts
     * @param x     the forward's input, not modified
     * @param xOff  where x starts
     * @param y     the forward's output, not modified
     * @param yOff  where y starts
     */
    public static void eluBackward(int n, float alpha, float[] dx, int dxOff, float[] dy, int dyOff, float[] x,
                                   int xOff, float[] y, int yOff) {
        // dy (n), x (n), y (n) -> dx (n)
        for (int i = 0; i < n; i++) {
            float g = dy[dyOff + i];
            dx[dxOff + i] = x[xOff + i] > 0 ? g : g * (y[yOff + i] + alpha);
        }
    }
}
