package lanes.layers.loss;

import java.util.Arrays;
import lanes.engine.Tensor;
import lanes.engine.math.Losses;
import lanes.layers.internal.Workspace;

/**
 * Binary cross-entropy from logits, as PyTorch's {@code nn.BCEWithLogitsLoss} (mean): logistic regression's loss.
 *
 * <pre>
 *   loss = mean( max(z, 0) - z t + log(1 + e^-|z|) )        dz = (sigmoid(z) - t) / n
 * </pre>
 */
public final class BinaryCrossEntropyWithLogits implements Loss {
    private Tensor dz;
    private final Workspace dzBuffer = new Workspace();
    private final Workspace targetBuffer = new Workspace();

    /** A binary cross-entropy loss on logits. */
    public BinaryCrossEntropyWithLogits() {
    }

    /** The loss of logits {@code z} against targets {@code t} in [0, 1] (same shape, not modified). */
    @Override
    public float forward(Tensor zIn, Tensor tIn) {
        if (!Arrays.equals(zIn.shape(), tIn.shape())) {
            throw new IllegalArgumentException("BCEWithLogits: logits " + Arrays.toString(zIn.shape())
                    + " and targets " + Arrays.toString(tIn.shape()) + " differ in shape");
        }
        Tensor z = zIn.contiguous();
        Tensor t = tIn.contiguous();
        int n = z.size();
        dz = dzBuffer.getLike(z);
        return Losses.binaryCrossEntropyWithLogits(n, z.data(), z.offset(), t.data(), t.offset(), dz.data());
    }

    /** dL/dz of the last forward; owned by this loss. */
    @Override
    public Tensor backward() {
        if (dz == null) {
            throw new IllegalStateException("BCEWithLogits: backward called before forward");
        }
        return dz;
    }

    /** (n, 1): label 0 or 1 as the target probability of class 1; the output must be one logit wide. */
    @Override
    public Tensor targets(int[] labels, int n, int width) {
        if (width != 1) {
            throw new IllegalArgumentException("BCEWithLogits: outputs " + width + " wide; binary cross-entropy "
                    + "takes one logit per example (use SoftmaxCrossEntropy for " + width + " classes)");
        }
        Tensor t = targetBuffer.get(n, 1);
        float[] d = t.data();
        for (int i = 0; i < n; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException("BCEWithLogits: label " + i + " is " + labels[i]
                        + "; binary cross-entropy takes labels 0 and 1");
            }
            d[t.offset() + i] = labels[i];
        }
        return t;
    }

    /** Class 1 where the logit is positive (probability above 1/2), else 0. */
    @Override
    public int predictedClass(float[] z, int at, int width) {
        return z[at] > 0 ? 1 : 0;
    }
}
