package lanes.layers.optim;

import java.util.List;
import lanes.engine.Tensor;
import lanes.engine.VectorApi;
import lanes.engine.math.SgdUpdate;
import lanes.layers.nn.Parameter;

/**
 * Stochastic gradient descent with PyTorch's {@code torch.optim.SGD} formulas, L2 weight decay as in the lecture
 * (the vector loops are {@link SgdUpdate}'s):
 *
 * <pre>
 *   g = grad + weightDecay * w
 *   momentum > 0:  b = momentum * b + (1 - dampening) * g    (b = g on the first step)
 *                  g = nesterov ? g + momentum * b : b
 *   w = w - lr * g
 * </pre>
 */
public final class Sgd implements Optimizer {
    private final List<Parameter> params;
    private float lr;
    private final float momentum;
    private final float dampening;
    private final float weightDecay;
    private final boolean nesterov;
    private final float[][] buffers;
    private long steps;

    /**
     * {@code torch.optim.SGD(params, lr, momentum, dampening, weight_decay, nesterov)}: every option.
     *
     * @param params the parameters to update
     * @param lr the learning rate
     * @param momentum the momentum factor (0: none)
     * @param dampening the dampening of the gradient added to the momentum buffer
     * @param weightDecay the L2 weight decay (0: none)
     * @param nesterov true for Nesterov's momentum
     */
    public Sgd(List<Parameter> params, float lr, float momentum, float dampening, float weightDecay,
               boolean nesterov) {
        VectorApi.require();       // one clear line where the JVM lacks --add-modules jdk.incubator.vector
        if (!(lr >= 0) || !(momentum >= 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("SGD: lr = " + lr + ", momentum = " + momentum + ", weight decay = "
                    + weightDecay + ": all must be >= 0");
        }
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum needs momentum > 0 and dampening 0 (got "
                    + momentum + ", " + dampening + ")");
        }
        this.params = List.copyOf(params);
        this.lr = lr;
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
        this.buffers = new float[this.params.size()][];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = momentum > 0 ? new float[this.params.get(i).value.size()] : null;
        }
    }

    /**
     * {@code torch.optim.SGD(params, lr)}: plain SGD, no momentum, no weight decay.
     *
     * @param params the parameters to update
     * @param lr the learning rate
     */
    public Sgd(List<Parameter> params, float lr) {
        this(params, lr, 0f, 0f, 0f, false);
    }

    /**
     * Plain SGD with learning rate {@code lr} and L2 weight decay {@code weightDecay}.
     *
     * @param params the parameters to update
     * @param lr the learning rate
     * @param weightDecay the L2 weight decay
     */
    public Sgd(List<Parameter> params, float lr, float weightDecay) {
        this(params, lr, 0f, 0f, weightDecay, false);
    }

    /** The learning rate (schedules change it between steps). */
    @Override
    public float lr() {
        return lr;
    }

    @Override
    public void setLr(float lr) {
        this.lr = lr;
    }

    /** One update of every parameter from its gradient. */
    @Override
    public void step() {
        for (int p = 0; p < params.size(); p++) {
            Tensor w = params.get(p).value;
            Tensor g = params.get(p).grad;
            float[] b = buffers[p];
            if (b == null) {
                SgdUpdate.plain(w.size(), lr, weightDecay, w.data(), w.offset(), g.data(), g.offset());
            } else {
                SgdUpdate.momentum(w.size(), lr, momentum, dampening, weightDecay, nesterov, steps == 0, w.data(),
                        w.offset(), g.data(), g.offset(), b, 0);
            }
        }
        steps++;
    }

    @Override
    public long steps() {
        return steps;
    }

    /** The momentum buffers, one per parameter (none without momentum). */
    @Override
    public List<float[]> state() {
        List<float[]> s = new java.util.ArrayList<>();
        for (float[] b : buffers) {
            if (b != null) {
                s.add(b);
            }
        }
        return s;
    }

    @Override
    public void restore(List<float[]> state, long steps) {
        Optimizer.copyState("SGD", state, state());
        this.steps = steps;
    }

    /** Zeroes every parameter's gradient. */
    @Override
    public void zeroGrad() {
        for (int i = 0; i < params.size(); i++) {       // indexed: an iterator per step would be garbage
            params.get(i).zeroGrad();
        }
    }
}
