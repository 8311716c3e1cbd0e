package lanes.layers.loss;

import java.util.Arrays;
import lanes.engine.Tensor;
import lanes.engine.math.Losses;
import lanes.layers.internal.Buffers;
import lanes.layers.internal.Recent;
import lanes.layers.internal.Workspace;

/**
 * Softmax cross-entropy from logits, as PyTorch's {@code nn.CrossEntropyLoss} (mean reduction, optional class
 * weights), computed with a stable log-sum-exp:
 *
 * <pre>
 *   loss   = sum_i w[t_i] (logsumexp(z_i) - z_i[t_i]) / sum_i w[t_i]          (w = 1 without weights)
 *   dz_i,j = w[t_i] (softmax(z_i)_j - [j = t_i]) / sum_i w[t_i]
 * </pre>
 *
 * logits (N, K), targets N class indices in [0, K).
 */
public final class SoftmaxCrossEntropy implements Loss {
    private final float[] classWeights;
    private Tensor dz;
    private final Workspace targetBuffer = new Workspace();
    private final Recent<int[]> indices = new Recent<>();
    private final Workspace dzBuffer = new Workspace();

    /** Unweighted: the mean over the batch. */
    public SoftmaxCrossEntropy() {
        this(null);
    }

    /**
     * With one weight per class (not modified; null for none).
     *
     * @param classWeights one weight per class, or null
     */
    public SoftmaxCrossEntropy(float[] classWeights) {
        this.classWeights = classWeights == null ? null : classWeights.clone();
    }

    /**
     * The loss for {@code logits} (N, K) and {@code targets} (N) holding class indices as whole numbers (as
     * {@link #targets} makes them; PyTorch's class-index form); keeps the gradient for {@link #backward}.
     */
    @Override
    public float forward(Tensor logits, Tensor targets) {
        if (targets.rank() != 1 || logits.rank() < 1 || targets.shape(0) != logits.shape(0)) {
            throw new IllegalArgumentException("SoftmaxCrossEntropy: targets " + Arrays.toString(targets.shape())
                    + " for logits " + Arrays.toString(logits.shape()) + "; needs one class index per row");
        }
        int n = targets.shape(0);
        int[] t = Recent.ints(indices, n);
        float[] d = targets.data();
        for (int i = 0; i < n; i++) {
            float v = d[targets.offset() + i * targets.stride(0)];
            if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("SoftmaxCrossEntropy: target[" + i + "] = " + v
                        + " is not a class index");
            }
            t[i] = (int) v;
        }
        return forward(logits, t);
    }

    /** (n): the labels as class indices; each must be a column of the width-wide logits. */
    @Override
    public Tensor targets(int[] labels, int n, int width) {
        Tensor t = targetBuffer.get(n);
        float[] d = t.data();
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= width) {
                throw new IllegalArgumentException("SoftmaxCrossEntropy: label " + i + " is " + labels[i]
                        + ", not one of the " + width + " classes");
            }
            d[t.offset() + i] = labels[i];
        }
        return t;
    }

    /** The class with the largest logit. */
    @Override
    public int predictedClass(float[] z, int at, int width) {
        return Loss.argmax(z, at, width);
    }

    /**
     * The loss for {@code logits} and class indices {@code targets}, read as they are (no target tensor); keeps
     * the gradient for {@link #backward}.
     */
    @Override
    public float forward(Tensor logitsIn, int[] targets) {
        Buffers.requireRank("SoftmaxCrossEntropy", "logits", logitsIn, 2);
        Tensor z = logitsIn.contiguous();
        int n = z.shape(0);
        int k = z.shape(1);
        if (targets.length != n) {
            throw new IllegalArgumentException("SoftmaxCrossEntropy: " + targets.length + " targets for logits of"
                    + " shape " + Arrays.toString(z.shape()));
        }
        if (classWeights != null && classWeights.length != k) {
            throw new IllegalArgumentException("SoftmaxCrossEntropy: " + classWeights.length + " class weights for "
                    + k + " classes");
        }
        for (int i = 0; i < n; i++) {
            if (targets[i] < 0 || targets[i] >= k) {
                throw new IllegalArgumentException("SoftmaxCrossEntropy: target[" + i + "] = " + targets[i]
                        + " is not a class in [0, " + k + ")");
            }
        }
        dz = dzBuffer.get(n, k);
        return Losses.softmaxCrossEntropy(n, k, z.data(), z.offset(), targets, classWeights, dz.data());
    }

    /** dL/dlogits of the last forward (N, K); owned by this loss. */
    @Override
    public Tensor backward() {
        if (dz == null) {
            throw new IllegalStateException("SoftmaxCrossEntropy: backward called before forward");
        }
        return dz;
    }
}
