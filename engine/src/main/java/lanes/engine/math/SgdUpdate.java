package lanes.engine.math;

import static lanes.engine.Simd.LANES;
import static lanes.engine.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;
import lanes.engine.Simd;

/**
 * The parameter updates of stochastic gradient descent, PyTorch's {@code torch.optim.SGD} formulas with L2 weight
 * decay, one vector at a time:
 *
 * <pre>
 *   d = g + weightDecay * w
 *   momentum:  b = first ? d : momentum * b + (1 - dampening) * d
 *              d = nesterov ? d + momentum * b : b
 *   w = w - lr * d
 * </pre>
 *
 * The vector loop and its scalar tail do the same float operations in the same order (multiplies and adds, no
 * fused multiply-add), so every element gets the same bits whichever of the two updates it.
 */
public final class SgdUpdate {
    private SgdUpdate() {
    }

    /**
     * Plain SGD: {@code w[wOff+i] -= lr * (g[gOff+i] + weightDecay * w[wOff+i])} for {@code i < n}; g not modified.
     *
     * @param n number of weights
     * @param lr the learning rate
     * @param weightDecay the L2 weight decay (0: none)
     * @param w the weights, modified
     * @param wOff index of the first weight
     * @param g the gradients, not modified
     * @param gOff index of the first gradient
     */
    public static void plain(int n, float lr, float weightDecay, float[] w, int wOff, float[] g, int gOff) {
        // w (n), g (n) -> w (n)
        FloatVector rate = FloatVector.broadcast(SPECIES, lr);
        FloatVector decay = FloatVector.broadcast(SPECIES, weightDecay);
        int i = 0;
        for (int bound = Simd.loopBound(n); i < bound; i += LANES) {
            FloatVector wv = FloatVector.fromArray(SPECIES, w, wOff + i);
            FloatVector d = FloatVector.fromArray(SPECIES, g, gOff + i).add(decay.mul(wv));
            wv.sub(rate.mul(d)).intoArray(w, wOff + i);
        }
        for (; i < n; i++) {
            float d = g[gOff + i] + weightDecay * w[wOff + i];
            w[wOff + i] -= lr * d;
        }
    }

    /**
     * SGD with momentum: updates the momentum buffer {@code b} and then {@code w} by the formulas above, for
     * {@code i < n}; {@code first} is true on the first step, when the buffer is set to d instead of updated. w and
     * b modified, g not.
     *
     * @param n number of weights
     * @param lr the learning rate
     * @param momentum the momentum factor
     * @param dampening the dampening of the gradient added to the buffer
     * @param weightDecay the L2 weight decay (0: none)
     * @param nesterov true for Nesterov's momentum
     * @param first true on the first step (the buffer is set, not updated)
     * @param w the weights, modified
     * @param wOff index of the first weight
     * @param g the gradients, not modified
     * @param gOff index of the first gradient
     * @param b the momentum buffer, modified
     * @param bOff index of the first buffer element
     */
    public static void momentum(int n, float lr, float momentum, float dampening, float weightDecay,
                                boolean nesterov, boolean first, float[] w, int wOff, float[] g, int gOff, float[] b,
                                int bOff) {
        // w (n), g (n), b (n) -> w (n), b (n)
        FloatVector rate = FloatVector.broadcast(SPECIES, lr);
        FloatVector decay = FloatVector.broadcast(SPECIES, weightDecay);
        FloatVector mom = FloatVector.broadcast(SPECIES, momentum);
        float keep = 1 - dampening;
        FloatVector damp = FloatVector.broadcast(SPECIES, keep);
        int i = 0;
        for (int bound = Simd.loopBound(n); i < bound; i += LANES) {
            FloatVector wv = FloatVector.fromArray(SPECIES, w, wOff + i);
            FloatVector d = FloatVector.fromArray(SPECIES, g, gOff + i).add(decay.mul(wv));
            FloatVector bv = first ? d : mom.mul(FloatVector.fromArray(SPECIES, b, bOff + i)).add(damp.mul(d));
            bv.intoArray(b, bOff + i);
            d = nesterov ? d.add(mom.mul(bv)) : bv;
            wv.sub(rate.mul(d)).intoArray(w, wOff + i);
        }
        for (; i < n; i++) {
            float d = g[gOff + i] + weightDecay * w[wOff + i];
            float bi = first ? d : momentum * b[bOff + i] + keep * d;
            b[bOff + i] = bi;
            d = nesterov ? d + momentum * bi : bi;
            w[wOff + i] -= lr * d;
        }
    }
}
