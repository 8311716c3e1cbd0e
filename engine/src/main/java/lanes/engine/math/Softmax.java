package lanes.engine.math;

/**
 * Softmax over the last axis, forward and backward side by side, on rows of k contiguous floats:
 *
 * <pre>
 *   forward   y_j = exp(x_j - max x) / sum_i exp(x_i - max x)     (the sum in double)
 *   backward  dx_j = y_j (dy_j - sum_i dy_i y_i)                  (the dot in double)
 * </pre>
 */
public final class Softmax {
    private Softmax() {
    }

    /**
     * {@code y := softmax(x)} row by row; x not modified.
     *
     * @param rows rows
     * @param k the row length
     * @param y the output, rows x k from yOff, modified
     * @param yOff index of y's first element
     * @param x the input, rows x k from xOff
     * @param xOff index of x's first element
     */
    public static void forward(int rows, int k, float[] y, int yOff, float[] x, int xOff) {
        // x (rows, k) -> y (rows, k)
        for (int r = 0; r < rows; r++) {
            int in = xOff + r * k;
            int out = yOff + r * k;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, x[in + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                float e = (float) Math.exp(x[in + j] - max);
                y[out + j] = e;
                sum += e;
            }
            float inv = (float) (1 / sum);
            for (int j = 0; j < k; j++) {
                y[out + j] *= inv;
            }
        }
    }

    /**
     * {@code dx := y (dy - <dy, y>)} row by row, from the forward's output y; y and dy not modified.
     *
     * @param rows rows
     * @param k the row length
     * @param dx the input gradient, modified
     * @param dxOff index of dx's first element
     * @param dy the output gradient
     * @param dyOff index of dy's first element
     * @param y the forward's output
     * @param yOff index of y's first element
     */
    public static void backward(int rows, int k, float[] dx, int dxOff, float[] dy, int dyOff, float[] y,
                                int yOff) {
        // dy (rows, k), y (rows, k) -> dx (rows, k)
        for (int r = 0; r < rows; r++) {
            int at = r * k;
            double dot = 0;
            for (int j = 0; j < k; j++) {
                dot += (double) dy[dyOff + at + j] * y[yOff + at + j];
            }
            for (int j = 0; j < k; j++) {
                dx[dxOff + at + j] = (float) (y[yOff + at + j] * (dy[dyOff + at + j] - dot));
            }
        }
    }
}
