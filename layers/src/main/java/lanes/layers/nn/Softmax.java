package lanes.layers.nn;

import lanes.engine.Tensor;
import lanes.layers.internal.Buffers;
import lanes.layers.internal.Workspace;
import lanes.layers.loss.SoftmaxCrossEntropy;

/**
 * Softmax over the last dimension: {@code y_i = e^(x_i - max) / sum_j e^(x_j - max)}, and
 * {@code dx_i = y_i (dy_i - sum_j dy_j y_j)}. For training with cross-entropy use {@link SoftmaxCrossEntropy} on
 * the logits instead: it is fused and stable.
 */
public final class Softmax implements Layer {
    private Tensor y;
    private final Workspace yBuffer = new Workspace();
    private Tensor dx;
    private final Workspace dxBuffer = new Workspace();

    /** A softmax over the last dimension. */
    public Softmax() {
    }

    @Override
    public Softmax replica() {
        return new Softmax();
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input.contiguous();
        y = yBuffer.getLike(x);
        int k = x.shape(x.rank() - 1);
        lanes.engine.math.Softmax.forward(x.size() / k, k, y.data(), y.offset(), x.data(), x.offset());
        return y;
    }

    @Override
    public Tensor backward(Tensor dyIn) {
        Buffers.requireGradient("Softmax", dyIn, y);
        Tensor dy = dyIn.contiguous();
        dx = dxBuffer.getLike(y);
        int k = y.shape(y.rank() - 1);
        lanes.engine.math.Softmax.backward(y.size() / k, k, dx.data(), dx.offset(), dy.data(), dy.offset(),
                y.data(), y.offset());
        return dx;
    }

    @Override
    public String toString() {
        return "Softmax(dim=-1)";
    }
}
