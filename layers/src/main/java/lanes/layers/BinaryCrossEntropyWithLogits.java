package lanes.layers;

import java.util.Arrays;
import lanes.engine.Tensor;

/**
 * Binary cross-entropy from logits, as PyTorch's {@code nn.BCEWithLogitsLoss} (mean): logistic regression's loss.
 *
 * <pre>
 *   loss = mean( max(z, 0) - z t + log(1 + e^-|z|) )        dz = (sigmoid(z) - t) / n
 * </pre>
 */
public final class BinaryCrossEntropyWithLogits {
    private Tensor dz;
    private final Workspace dzBuffer = new Workspace();

    /** A binary cross-entropy loss on logits. */
    public BinaryCrossEntropyWithLogits() {
    }

    /** The loss of logits {@code z} against targets {@code t} in [0, 1] (same shape, not modified). */
    public float forward(Tensor zIn, Tensor tIn) {
        if (!Arrays.equals(zIn.shape(), tIn.shape())) {
            throw new IllegalArgumentException("BCEWithLogits: logits " + Arrays.toString(zIn.shape())
                    + " and targets " + Arrays.toString(tIn.shape()) + " differ in shape");
        }
        Tensor z = zIn.contiguous();
        Tensor t = tIn.contiguous();
        int n = z.size();
        dz = dzBuffer.getLike(z);
        float[] zd = z.data();
        float[] td = t.data();
        float[] g = dz.data();
        double total = 0;
        for (int i = 0; i < n; i++) {
            double v = zd[z.offset() + i];
            double y = td[t.offset() + i];
            total += Math.max(v, 0) - v * y + Math.log1p(Math.exp(-Math.abs(v)));
            g[i] = (float) ((1 / (1 + Math.exp(-v)) - y) / n);
        }
        return (float) (total / n);
    }

    /** dL/dz of the last forward; owned by this loss. */
    public Tensor backward() {
        if (dz == null) {
            throw new IllegalStateException("BCEWithLogits: backward called before forward");
        }
        return dz;
    }
}
