package lanes.layers.optim;

import java.util.List;
import lanes.engine.Tensor;
import lanes.engine.VectorApi;
import lanes.engine.math.AdamUpdate;
import lanes.layers.nn.Parameter;

/**
 * Adam and AdamW with PyTorch's {@code torch.optim.Adam} / {@code AdamW} formulas, at step t = 1, 2, ...:
 *
 * <pre>
 *   Adam:   g = grad + weightDecay * w                 (L2, coupled)
 *   AdamW:  w = w - lr * weightDecay * w, g = grad     (decoupled)
 *   m = b1 m + (1 - b1) g,  v = b2 v + (1 - b2) g^2
 *   w = w - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * </pre>
 */
public final class Adam implements Optimizer {
    private final List<Parameter> params;
    private float lr;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float weightDecay;
    private final boolean decoupled;
    private final float[][] m;
    private final float[][] v;
    private int t;

    /**
     * {@code torch.optim.Adam(params, lr)}: betas (0.9, 0.999), eps 1e-8, no weight decay.
     *
     * @param params the parameters to update
     * @param lr the learning rate
     */
    public Adam(List<Parameter> params, float lr) {
        this(params, lr, 0.9f, 0.999f, 1e-8f, 0f, false);
    }

    /**
     * Every option; {@code decoupled}: AdamW's weight decay (applied to w, not added to the gradient).
     *
     * @param params the parameters to update
     * @param lr the learning rate
     * @param beta1 decay of the first moment (0.9)
     * @param beta2 decay of the second moment (0.999)
     * @param eps added to the square root of the second moment (1e-8)
     * @param weightDecay the weight decay (0: none)
     * @param decoupled true for AdamW's decoupled decay
     */
    public Adam(List<Parameter> params, float lr, float beta1, float beta2, float eps, float weightDecay,
                boolean decoupled) {
        VectorApi.require();       // one clear line where the JVM lacks --add-modules jdk.incubator.vector
        if (!(lr >= 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0)
                || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("Adam: lr = " + lr + ", betas = (" + beta1 + ", " + beta2 + "), eps = "
                    + eps + ", weight decay = " + weightDecay + ": need lr, decay >= 0, betas in [0, 1), eps > 0");
        }
        this.params = List.copyOf(params);
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        this.m = new float[this.params.size()][];
        this.v = new float[this.params.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = new float[this.params.get(i).value.size()];
            v[i] = new float[this.params.get(i).value.size()];
        }
    }

    /**
     * Adam with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay.
     *
     * @param params the parameters to update
     * @param lr the learning rate
     * @return the optimizer
     */
    public static Adam adam(List<Parameter> params, float lr) {
        return new Adam(params, lr, 0.9f, 0.999f, 1e-8f, 0f, false);
    }

    /**
     * AdamW with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, decoupled weight decay 0.01.
     *
     * @param params the parameters to update
     * @param lr the learning rate
     * @return the optimizer
     */
    public static Adam adamW(List<Parameter> params, float lr) {
        return new Adam(params, lr, 0.9f, 0.999f, 1e-8f, 0.01f, true);
    }

    @Override
    public void step() {
        t++;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        for (int p = 0; p < params.size(); p++) {
            Tensor w = params.get(p).value;
            Tensor g = params.get(p).grad;
            AdamUpdate.step(w.size(), lr, beta1, beta2, eps, weightDecay, decoupled, c1, c2, w.data(), w.offset(),
                    g.data(), g.offset(), m[p], v[p]);
        }
    }

    @Override
    public long steps() {
        return t;
    }

    /** The first moments, one array per parameter, then the second moments. */
    @Override
    public List<float[]> state() {
        List<float[]> s = new java.util.ArrayList<>(List.of(m));
        s.addAll(List.of(v));
        return s;
    }

    @Override
    public void restore(List<float[]> state, long steps) {
        Optimizer.copyState("Adam", state, state());
        this.t = Math.toIntExact(steps);
    }

    @Override
    public void zeroGrad() {
        for (int i = 0; i < params.size(); i++) {       // indexed: an iterator per step would be garbage
            params.get(i).zeroGrad();
        }
    }

    @Override
    public float lr() {
        return lr;
    }

    @Override
    public void setLr(float lr) {
        this.lr = lr;
    }
}
