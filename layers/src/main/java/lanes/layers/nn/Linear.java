package lanes.layers.nn;

import java.util.List;
import java.util.Random;
import lanes.engine.Parallel;
import lanes.engine.Tensor;
import lanes.engine.gemm.Epilogue;
import lanes.engine.gemm.Gemm;
import lanes.engine.math.ColumnSums;
import lanes.layers.Lanes;
import lanes.layers.internal.Buffers;
import lanes.layers.internal.Workspace;

/**
 * {@code y = x W^T + b}: x (N, in), W (out, in) as in PyTorch, b (out) -> y (N, out). The bias is added in GEMM's
 * write-back (no extra pass over y).
 *
 * <pre>
 *   forward   y  = x W^T + b                      (fused ReLU: y = max(x W^T + b, 0), in the same write-back)
 *   backward  dW += dy^T x,  db += sum over rows of dy,  dx = dy W     (fused ReLU: dy := dy * [y > 0] first)
 * </pre>
 *
 * {@link #withRelu} fuses a following ReLU: the same results, bit for bit, as {@code Linear} then
 * {@code Activation.relu()}, with one pass over y fewer each way.
 */
public final class Linear implements Layer {
    /** Input features. */
    public final int in;
    /** Output features. */
    public final int out;
    /** The weights (out, in), as PyTorch lays them out. */
    public final Parameter weight;
    /** The bias (out), or null. */
    public final Parameter bias;
    private final boolean relu;
    private final Epilogue epilogue;
    private Tensor x;
    private Tensor y;
    private final Workspace yBuffer = new Workspace();
    private Tensor dx;
    private final Workspace dxBuffer = new Workspace();
    private Tensor dyMasked;
    private final Workspace dyMaskedBuffer = new Workspace();
    private boolean inputGradient = true;

    /**
     * {@code nn.Linear(in, out)}: with a bias, PyTorch's default initialisation drawn from {@link Lanes#nextSeed}.
     *
     * @param in input features
     * @param out output features
     */
    public Linear(int in, int out) {
        this(in, out, true);
    }

    /**
     * {@code nn.Linear(in, out, bias)}: the initial weights drawn from {@link Lanes#nextSeed}.
     *
     * @param in input features
     * @param out output features
     * @param bias true for a learned bias
     */
    public Linear(int in, int out, boolean bias) {
        this(in, out, bias, Lanes.nextSeed());
    }

    /**
     * A layer with PyTorch's default initialisation drawn from {@code seed}.
     *
     * @param in input features
     * @param out output features
     * @param bias true for a learned bias
     * @param seed seed of the initial weights and bias
     */
    public Linear(int in, int out, boolean bias, long seed) {
        this(in, out, bias, seed, false);
    }

    private Linear(int in, int out, boolean bias, long seed, boolean relu) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("Linear(" + in + ", " + out + "): sizes must be >= 1");
        }
        this.in = in;
        this.out = out;
        Random r = new Random(seed);
        this.weight = new Parameter("weight", Init.pytorchDefault(Tensor.zeros(out, in), in, r));
        this.bias = bias ? new Parameter("bias", Init.pytorchDefault(Tensor.zeros(out), in, r)) : null;
        Epilogue addBias = bias ? Epilogue.addToEachRow(this.bias.value.data(), this.bias.value.offset()) : null;
        this.relu = relu;
        this.epilogue = !relu ? addBias : addBias == null ? Epilogue.relu() : addBias.andThen(Epilogue.relu());
    }

    /**
     * The same layer with a ReLU fused into it: the same parameters (shared, not copied), applied in GEMM's
     * write-back on the way forward and as a mask on dy on the way back.
     *
     * @return a new layer sharing this one's parameters
     */
    public Linear withRelu() {
        return new Linear(this);
    }

    private Linear(Linear unfused) {
        this(unfused, true);
    }

    // the parameters of `from` (shared), fused with a ReLU or not
    private Linear(Linear from, boolean relu) {
        this.in = from.in;
        this.out = from.out;
        this.weight = from.weight;
        this.bias = from.bias;
        this.relu = relu;
        this.inputGradient = from.inputGradient;
        Epilogue addBias = bias == null ? null : Epilogue.addToEachRow(bias.value.data(), bias.value.offset());
        this.epilogue = !relu ? addBias : addBias == null ? Epilogue.relu() : addBias.andThen(Epilogue.relu());
    }

    @Override
    public Linear replica() {
        return new Linear(this, relu);
    }

    // x (N, in), W (out, in), b (out) -> y (N, out)
    @Override
    public Tensor forward(Tensor input) {
        Buffers.requireRank(this, "x", input, 2);
        if (input.shape(1) != in) {
            throw new IllegalArgumentException("Linear(" + in + ", " + out + "): x has shape [" + input.shape(0)
                    + ", " + input.shape(1) + "] but needs [N, " + in + "]");
        }
        int n = input.shape(0);
        x = input.contiguous();
        y = yBuffer.get(n, out);
        Tensor w = weight.value;
        Gemm.sgemm(false, true, n, out, in, 1f, x.data(), x.offset(), in, w.data(), w.offset(), in, 0f, y.data(),
                0, out, epilogue, Parallel.threads());
        return y;
    }

    // dy (N, out), x (N, in), W (out, in) -> dW += dy^T x, db += colsum(dy), dx (N, in) = dy W
    @Override
    public Tensor backward(Tensor dyIn) {
        Buffers.requireGradient("Linear", dyIn, y);
        Tensor dy = dyIn.contiguous();
        int n = dy.shape(0);
        if (relu) {
            // dy * [y > 0]: y > 0 exactly where the pre-activation was, NaN included (NaN > 0 is false)
            dyMasked = dyMaskedBuffer.get(n, out);
            Buffers.maskByPositive(dy, y, dyMasked);
            dy = dyMasked;
        }
        Tensor w = weight.value;
        Tensor dw = weight.grad;
        Gemm.sgemm(true, false, out, in, n, 1f, dy.data(), dy.offset(), out, x.data(), x.offset(), in, 1f,
                dw.data(), dw.offset(), in, null, Parallel.threads());
        if (bias != null) {
            ColumnSums.add(n, out, dy.data(), dy.offset(), out, bias.grad.data(), bias.grad.offset());
        }
        if (!inputGradient) {
            return null;
        }
        dx = dxBuffer.get(n, in);
        Gemm.sgemm(false, false, n, in, out, 1f, dy.data(), dy.offset(), out, w.data(), w.offset(), in, 0f,
                dx.data(), 0, in, null, Parallel.threads());
        return dx;
    }

    /**
     * Whether a ReLU is fused into this layer ({@link #withRelu}).
     *
     * @return true if the layer's output is {@code max(x W^T + b, 0)}
     */
    public boolean fusedRelu() {
        return relu;
    }

    @Override
    public void setInputGradient(boolean needed) {
        inputGradient = needed;
    }

    @Override
    public List<Parameter> parameters() {
        return Parameters.of(weight, bias);
    }

    @Override
    public String toString() {
        return "Linear(" + in + ", " + out + (bias == null ? ", bias=False" : "") + ")" + (relu ? ", ReLU()" : "");
    }
}
