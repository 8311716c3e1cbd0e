package lanes.engine.math;

import static lanes.engine.Simd.LANES;
import static lanes.engine.Simd.SPECIES;

import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import lanes.engine.Parallel;
import lanes.engine.Simd;
import lanes.engine.internal.CallArguments;
import lanes.engine.internal.Ranges;

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
 * fused multiply-add), so every element gets the same bits whichever of the two updates it, and an update split
 * into ranges on several threads gives the bits of one pass.
 *
 * <p>Updates of at least {@link #PARALLEL_MIN} weights run on {@link Parallel#threads()} threads, one contiguous
 * range each, in order (the caller's first), as {@link Fill} splits a long fill. The linear layers' products split
 * their weights' rows the same way (a forward product x W^T gives each thread a contiguous block of W's rows), so
 * that each thread updates the weights its part of the next forward reads, in its own cache. On one thread the update ran on the caller while
 * the other thread's halves of the weights and gradients crossed over: the MLP 784-256-128-10's step on 2
 * threads ran at 0.8x its speed on one (Zen 5), 24 % of the caller's time in the update.
 */
public final class SgdUpdate {
    /** Weights below which an update runs on its caller alone: 64 K (256 KB of weights). */
    public static final int PARALLEL_MIN = Ranges.PARALLEL_MIN;

    /** One update's arguments ({@link CallArguments}); part p updates range p of {@code parts}. */
    private static final class Call extends CallArguments {
        private static final ThreadLocal<Call> MINE = ThreadLocal.withInitial(Call::new);
        int n;
        int parts;
        float lr;
        float momentum;
        float dampening;
        float weightDecay;
        boolean nesterov;
        boolean first;
        float[] w;
        int wOff;
        float[] g;
        int gOff;
        float[] b;
        int bOff;
        final IntConsumer plainPart = p -> plainRange(from(p), from(p + 1), lr, weightDecay, w, wOff, g, gOff);
        final IntConsumer momentumPart = p -> momentumRange(from(p), from(p + 1), lr, momentum, dampening,
                weightDecay, nesterov, first, w, wOff, g, gOff, b, bOff);

        static Call start(int n, float[] w, int wOff, float[] g, int gOff) {
            Call c = borrow(MINE, Call::new);
            c.n = n;
            c.parts = Ranges.parts(n);
            c.w = w;
            c.wOff = wOff;
            c.g = g;
            c.gOff = gOff;
            return c;
        }

        int from(int p) {
            return Ranges.from(n, p, parts);
        }

        @Override
        protected void clear() {
            w = g = b = null;
        }
    }

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
        if (Ranges.parts(n) == 1) {
            plainRange(0, n, lr, weightDecay, w, wOff, g, gOff);
            return;
        }
        try (Call c = Call.start(n, w, wOff, g, gOff)) {
            c.lr = lr;
            c.weightDecay = weightDecay;
            Parallel.run(c.parts, c.plainPart);
        }
    }

    // elements [from, to) of plain
    private static void plainRange(int from, int to, float lr, float weightDecay, float[] w, int wOff, float[] g,
                                   int gOff) {
        // w (n), g (n) -> w (n)
        FloatVector rate = FloatVector.broadcast(SPECIES, lr);
        FloatVector decay = FloatVector.broadcast(SPECIES, weightDecay);
        int i = from;
        for (int bound = from + Simd.loopBound(to - from); i < bound; i += LANES) {
            FloatVector wv = FloatVector.fromArray(SPECIES, w, wOff + i);
            FloatVector d = FloatVector.fromArray(SPECIES, g, gOff + i).add(decay.mul(wv));
            wv.sub(rate.mul(d)).intoArray(w, wOff + i);
        }
        for (; i < to; i++) {
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
        if (Ranges.parts(n) == 1) {
            momentumRange(0, n, lr, momentum, dampening, weightDecay, nesterov, first, w, wOff, g, gOff, b, bOff);
            return;
        }
        try (Call c = Call.start(n, w, wOff, g, gOff)) {
            c.lr = lr;
            c.momentum = momentum;
            c.dampening = dampening;
            c.weightDecay = weightDecay;
            c.nesterov = nesterov;
            c.first = first;
            c.b = b;
            c.bOff = bOff;
            Parallel.run(c.parts, c.momentumPart);
        }
    }

    // elements [from, to) of momentum
    private static void momentumRange(int from, int to, float lr, float momentum, float dampening,
                                      float weightDecay, boolean nesterov, boolean first, float[] w, int wOff,
                                      float[] g, int gOff, float[] b, int bOff) {
        // w (n), g (n), b (n) -> w (n), b (n)
        FloatVector rate = FloatVector.broadcast(SPECIES, lr);
        FloatVector decay = FloatVector.broadcast(SPECIES, weightDecay);
        FloatVector mom = FloatVector.broadcast(SPECIES, momentum);
        float keep = 1 - dampening;
        FloatVector damp = FloatVector.broadcast(SPECIES, keep);
        int i = from;
        for (int bound = from + Simd.loopBound(to - from); i < bound; i += LANES) {
            FloatVector wv = FloatVector.fromArray(SPECIES, w, wOff + i);
            FloatVector d = FloatVector.fromArray(SPECIES, g, gOff + i).add(decay.mul(wv));
            FloatVector bv = first ? d : mom.mul(FloatVector.fromArray(SPECIES, b, bOff + i)).add(damp.mul(d));
            bv.intoArray(b, bOff + i);
            d = nesterov ? d.add(mom.mul(bv)) : bv;
            wv.sub(rate.mul(d)).intoArray(w, wOff + i);
        }
        for (; i < to; i++) {
            float d = g[gOff + i] + weightDecay * w[wOff + i];
            float bi = first ? d : momentum * b[bOff + i] + keep * d;
            b[bOff + i] = bi;
            d = nesterov ? d + momentum * bi : bi;
            w[wOff + i] -= lr * d;
        }
    }
}
