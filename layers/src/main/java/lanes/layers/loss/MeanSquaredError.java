package lanes.layers.loss;

import java.util.Arrays;
import lanes.engine.Tensor;
import lanes.engine.math.Losses;
import lanes.layers.internal.Workspace;

/** {@code loss = mean((y - t)^2)}, {@code dy = 2 (y - t) / n}, as PyTorch's {@code nn.MSELoss}. */
public final class MeanSquaredError implements Loss {
    private Tensor dy;
    private final Workspace dyBuffer = new Workspace();
    private final Workspace targetBuffer = new Workspace();

    /** A mean-squared-error loss. */
    public MeanSquaredError() {
    }

    /** The loss of {@code y} against targets {@code t} (same shape, not modified). */
    @Override
    public float forward(Tensor yIn, Tensor tIn) {
        if (!Arrays.equals(yIn.shape(), tIn.shape())) {
            throw new IllegalArgumentException("MSELoss: output " + Arrays.toString(yIn.shape()) + " and targets "
                    + Arrays.toString(tIn.shape()) + " differ in shape");
        }
        Tensor y = yIn.contiguous();
        Tensor t = tIn.contiguous();
        int n = y.size();
        dy = dyBuffer.getLike(y);
        return Losses.meanSquaredError(n, y.data(), y.offset(), t.data(), t.offset(), dy.data());
    }

    /** dL/dy of the last forward; owned by this loss. */
    @Override
    public Tensor backward() {
        if (dy == null) {
            throw new IllegalStateException("MSELoss: backward called before forward");
        }
        return dy;
    }

    /** (n, width): one-hot rows, 1 at each example's label. */
    @Override
    public Tensor targets(int[] labels, int n, int width) {
        Tensor t = targetBuffer.get(n, width);
        float[] d = t.data();
        java.util.Arrays.fill(d, t.offset(), t.offset() + n * width, 0f);
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= width) {
                throw new IllegalArgumentException("MSELoss: label " + i + " is " + labels[i] + ", not one of the "
                        + width + " output columns");
            }
            d[t.offset() + i * width + labels[i]] = 1f;
        }
        return t;
    }

    /** The column with the largest output. */
    @Override
    public int predictedClass(float[] z, int at, int width) {
        return Loss.argmax(z, at, width);
    }
}
