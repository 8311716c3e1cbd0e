package lanes.layers;

import lanes.engine.Tensor;

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
        int rows = x.size() / k;
        float[] in = x.data();
        float[] out = y.data();
        for (int r = 0; r < rows; r++) {
            int at = x.offset() + r * k;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, in[at + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                float e = (float) Math.exp(in[at + j] - max);
                out[r * k + j] = e;
                sum += e;
            }
            float inv = (float) (1 / sum);
            for (int j = 0; j < k; j++) {
                out[r * k + j] *= inv;
            }
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor dyIn) {
        Buffers.requireGradient("Softmax", dyIn, y);
        Tensor dy = dyIn.contiguous();
        dx = dxBuffer.getLike(y);
        int k = y.shape(y.rank() - 1);
        int rows = y.size() / k;
        float[] g = dy.data();
        float[] out = y.data();
        float[] d = dx.data();
        for (int r = 0; r < rows; r++) {
            int at = r * k;
            double dot = 0;
            for (int j = 0; j < k; j++) {
                dot += (double) g[dy.offset() + at + j] * out[at + j];
            }
            for (int j = 0; j < k; j++) {
                d[at + j] = (float) (out[at + j] * (g[dy.offset() + at + j] - dot));
            }
        }
        return dx;
    }

    @Override
    public String toString() {
        return "Softmax(dim=-1)";
    }
}
