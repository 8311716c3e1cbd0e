package lanes.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import lanes.engine.Parallel;
import lanes.engine.Tensor;
import lanes.engine.gemm.Epilogue;
import lanes.engine.gemm.Gemm;

/**
 * {@code y = x W^T + b}: x (N, in), W (out, in) as in PyTorch, b (out) -> y (N, out). The bias is added in GEMM's
 * write-back (no extra pass over y).
 *
 * <pre>
 *   forward   y  = x W^T + b
 *   backward  dW += dy^T x,  db += sum over rows of dy,  dx = dy W
 * </pre>
 */
public final class Linear implements Layer {
    public final int in;
    public final int out;
    public final Parameter weight;
    public final Parameter bias;
    private final Epilogue addBias;
    private Tensor x;
    private Tensor y;
    private Tensor dx;

    /** A layer with PyTorch's default initialisation drawn from {@code seed}. */
    public Linear(int in, int out, boolean bias, long seed) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("Linear(" + in + ", " + out + "): sizes must be >= 1");
        }
        this.in = in;
        this.out = out;
        Random r = new Random(seed);
        this.weight = new Parameter("weight", Init.pytorchDefault(Tensor.zeros(out, in), in, r));
        this.bias = bias ? new Parameter("bias", Init.pytorchDefault(Tensor.zeros(out), in, r)) : null;
        this.addBias = bias ? Epilogue.addToEachRow(this.bias.value.data(), this.bias.value.offset()) : null;
    }

    // x (N, in), W (out, in), b (out) -> y (N, out)
    @Override
    public Tensor forward(Tensor input) {
        Buffers.requireRank("Linear(" + in + ", " + out + ")", "x", input, 2);
        if (input.shape(1) != in) {
            throw new IllegalArgumentException("Linear(" + in + ", " + out + "): x has shape [" + input.shape(0)
                    + ", " + input.shape(1) + "] but needs [N, " + in + "]");
        }
        int n = input.shape(0);
        x = input.contiguous();
        y = Buffers.reuse(y, n, out);
        Tensor w = weight.value;
        Gemm.sgemm(false, true, n, out, in, 1f, x.data(), x.offset(), in, w.data(), w.offset(), in, 0f, y.data(),
                0, out, addBias, Parallel.threads());
        return y;
    }

    // dy (N, out), x (N, in), W (out, in) -> dW += dy^T x, db += colsum(dy), dx (N, in) = dy W
    @Override
    public Tensor backward(Tensor dyIn) {
        Buffers.requireGradient("Linear", dyIn, y);
        Tensor dy = dyIn.contiguous();
        int n = dy.shape(0);
        Tensor w = weight.value;
        Tensor dw = weight.grad;
        Gemm.sgemm(true, false, out, in, n, 1f, dy.data(), dy.offset(), out, x.data(), x.offset(), in, 1f,
                dw.data(), dw.offset(), in, null, Parallel.threads());
        if (bias != null) {
            float[] g = bias.grad.data();
            int go = bias.grad.offset();
            float[] d = dy.data();
            for (int i = 0; i < n; i++) {
                int row = dy.offset() + i * out;
                for (int j = 0; j < out; j++) {
                    g[go + j] += d[row + j];
                }
            }
        }
        dx = Buffers.reuse(dx, n, in);
        Gemm.sgemm(false, false, n, in, out, 1f, dy.data(), dy.offset(), out, w.data(), w.offset(), in, 0f,
                dx.data(), 0, in, null, Parallel.threads());
        return dx;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> p = new ArrayList<>();
        p.add(weight);
        if (bias != null) {
            p.add(bias);
        }
        return p;
    }

    @Override
    public String toString() {
        return "Linear(" + in + ", " + out + (bias == null ? ", bias=false" : "") + ")";
    }
}
