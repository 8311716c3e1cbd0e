package lanes.engine.math;

/**
 * The losses of a classifier, each computed with its gradient in one pass (the gradient is what backward hands
 * on): the mean loss over the batch, and {@code dz} = dL/dz for the same batch. Sums run in double.
 *
 * <pre>
 *   softmax cross-entropy  L = sum_i w[t_i] (logsumexp(z_i) - z_i[t_i]) / sum_i w[t_i]
 *                          dz_ij = w[t_i] (softmax(z_i)_j - [j = t_i]) / sum_i w[t_i]       (w = 1 unweighted)
 *   BCE with logits        L = mean(max(z, 0) - z y + log1p(exp(-|z|))),  dz = (sigmoid(z) - y) / n
 *   mean squared error     L = mean((y - t)^2),                            dy = 2 (y - t) / n
 * </pre>
 */
public final class Losses {
    private Losses() {
    }

    /**
     * Softmax cross-entropy of logits z (n, k) against class indices; targets must lie in [0, k) (not checked).
     *
     * @param n rows (examples)
     * @param k classes
     * @param z the logits, rows of k from zOff, not modified
     * @param zOff index of z's first element
     * @param targets n class indices, not modified
     * @param classWeights one weight per class, or null for none; not modified
     * @param dz the gradient, n x k from 0, modified
     * @return the (weighted) mean loss
     */
    public static float softmaxCrossEntropy(int n, int k, float[] z, int zOff, int[] targets, float[] classWeights,
                                            float[] dz) {
        // z (n, k), targets (n) -> loss, dz (n, k)
        double total = 0;
        double weightSum = 0;
        for (int i = 0; i < n; i++) {
            int t = targets[i];
            int at = zOff + i * k;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, z[at + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                double e = Math.exp(z[at + j] - max);
                dz[i * k + j] = (float) e;
                sum += e;
            }
            double w = classWeights == null ? 1 : classWeights[t];
            total += w * (Math.log(sum) + max - z[at + t]);
            weightSum += w;
            for (int j = 0; j < k; j++) {
                dz[i * k + j] = (float) (w * (dz[i * k + j] / sum - (j == t ? 1 : 0)));
            }
        }
        float scale = (float) (1 / weightSum);
        for (int i = 0; i < n * k; i++) {
            dz[i] *= scale;
        }
        return (float) (total / weightSum);
    }

    /**
     * Binary cross-entropy of n logits against target probabilities, with the stable form above.
     *
     * @param n elements
     * @param z the logits from zOff, not modified
     * @param zOff index of z's first element
     * @param y the targets (probabilities of class 1) from yOff, not modified
     * @param yOff index of y's first element
     * @param dz the gradient, n from 0, modified
     * @return the mean loss
     */
    public static float binaryCrossEntropyWithLogits(int n, float[] z, int zOff, float[] y, int yOff, float[] dz) {
        // z (n), y (n) -> loss, dz (n)
        double total = 0;
        for (int i = 0; i < n; i++) {
            double v = z[zOff + i];
            double t = y[yOff + i];
            total += Math.max(v, 0) - v * t + Math.log1p(Math.exp(-Math.abs(v)));
            dz[i] = (float) ((1 / (1 + Math.exp(-v)) - t) / n);
        }
        return (float) (total / n);
    }

    /**
     * Mean squared error of n outputs against n targets.
     *
     * @param n elements
     * @param y the outputs from yOff, not modified
     * @param yOff index of y's first element
     * @param t the targets from tOff, not modified
     * @param tOff index of t's first element
     * @param dy the gradient, n from 0, modified
     * @return the mean loss
     */
    public static float meanSquaredError(int n, float[] y, int yOff, float[] t, int tOff, float[] dy) {
        // y (n), t (n) -> loss, dy (n)
        double total = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) y[yOff + i] - t[tOff + i];
            total += d * d;
            dy[i] = (float) (2 * d / n);
        }
        return (float) (total / n);
    }
}
