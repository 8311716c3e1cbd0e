package lanes.layers;

import java.util.Arrays;
import lanes.engine.Tensor;

/** {@code loss = mean((y - t)^2)}, {@code dy = 2 (y - t) / n}, as PyTorch's {@code nn.MSELoss}. */
public final class MeanSquaredError {
    private Tensor dy;
    private final Workspace dyBuffer = new Workspace();

    /** A mean-squared-error loss. */
    public MeanSquaredError() {
    }

    /** The loss of {@code y} against targets {@code t} (same shape, not modified). */
    public float forward(Tensor yIn, Tensor tIn) {
        if (!Arrays.equals(yIn.shape(), tIn.shape())) {
            throw new IllegalArgumentException("MSELoss: output " + Arrays.toString(yIn.shape()) + " and targets "
                    + Arrays.toString(tIn.shape()) + " differ in shape");
        }
        Tensor y = yIn.contiguous();
        Tensor t = tIn.contiguous();
        int n = y.size();
        dy = dyBuffer.getLike(y);
        float[] g = dy.data();
        double total = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) y.data()[y.offset() + i] - t.data()[t.offset() + i];
            total += d * d;
            g[i] = (float) (2 * d / n);
        }
        return (float) (total / n);
    }

    /** dL/dy of the last forward; owned by this loss. */
    public Tensor backward() {
        if (dy == null) {
            throw new IllegalStateException("MSELoss: backward called before forward");
        }
        return dy;
    }
}
