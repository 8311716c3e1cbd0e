package lanes.engine.math;

/**
 * The parameter update of Adam and AdamW, PyTorch's {@code torch.optim.Adam} / {@code AdamW} formulas at step
 * t = 1, 2, ...:
 *
 * <pre>
 *   Adam:   g = grad + weightDecay * w                 (L2, coupled)
 *   AdamW:  w = w - lr * weightDecay * w, g = grad     (decoupled)
 *   m = b1 m + (1 - b1) g,  v = b2 v + (1 - b2) g^2
 *   w = w - lr * (m / c1) / (sqrt(v / c2) + eps)      c1 = 1 - b1^t, c2 = 1 - b2^t (in double)
 * </pre>
 *
 * One element at a time, in float except the bias-corrected step (in double, as written): memory-bound, and
 * the square root and division would cost a vector loop its bit-for-bit agreement with this one.
 */
public final class AdamUpdate {
    private AdamUpdate() {
    }

    /**
     * One step for {@code n} weights: {@code m}, {@code v} and {@code w} updated by the formulas above; g not
     * modified.
     *
     * @param n number of weights
     * @param lr the learning rate
     * @param beta1 decay of the first moment
     * @param beta2 decay of the second moment
     * @param eps added to the square root of the corrected second moment
     * @param weightDecay the weight decay (0: none)
     * @param decoupled true for AdamW's decay of w, false for Adam's L2 term in g
     * @param c1 {@code 1 - beta1^t}
     * @param c2 {@code 1 - beta2^t}
     * @param w the weights, modified
     * @param wOff index of the first weight
     * @param g the gradients, not modified
     * @param gOff index of the first gradient
     * @param m the first moments (n from 0), modified
     * @param v the second moments (n from 0), modified
     */
    public static void step(int n, float lr, float beta1, float beta2, float eps, float weightDecay,
                            boolean decoupled, double c1, double c2, float[] w, int wOff, float[] g, int gOff,
                            float[] m, float[] v) {
        // w (n), g (n), m (n), v (n) -> w, m, v
        for (int i = 0; i < n; i++) {
            float gi = g[gOff + i];
            if (decoupled) {
                w[wOff + i] -= lr * weightDecay * w[wOff + i];
            } else {
                gi += weightDecay * w[wOff + i];
            }
            m[i] = beta1 * m[i] + (1 - beta1) * gi;
            v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
            w[wOff + i] -= (float) (lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps));
        }
    }
}
