package lanes.layers.nn;

import java.util.List;
import java.util.Random;
import lanes.engine.Tensor;
import lanes.engine.conv.Conv;
import lanes.engine.conv.ConvSpec;
import lanes.engine.gemm.Epilogue;
import lanes.layers.internal.Buffers;
import lanes.layers.internal.Recent;
import lanes.layers.internal.Workspace;

/**
 * What {@link Conv1d} and {@link Conv2d} share: parameters, the cached geometry of the last input shape, and
 * forward / backward on the engine's {@link Conv} kernels. Subclasses say how an input shape becomes a
 * {@link ConvSpec}.
 *
 * <pre>
 *   forward   y  = conv(x, W) + b                  (fused ReLU: y = max(conv(x, W) + b, 0), in the kernel's write-back)
 *   backward  dW += conv_w(x, dy), db += sums of dy, dx = conv^T(dy, W)   (fused ReLU: dy := dy * [y > 0] first)
 * </pre>
 */
public abstract sealed class ConvolutionLayer implements Layer permits Conv1d, Conv2d {
    /** (OC, C/groups, kernel...). */
    public final Parameter weight;
    /** (OC), or null without a bias. */
    public final Parameter bias;
    /** Whether a ReLU is fused into this layer ({@link #withRelu}). */
    final boolean relu;
    private final Epilogue epilogue;     // Epilogue.relu() when fused, else null
    ConvSpec spec;
    /** The geometries of the last few input shapes, so that alternating batch sizes build each once. */
    final Recent<ConvSpec> specs = new Recent<>();
    private Tensor x;
    private Tensor y;
    private final Workspace yBuffer = new Workspace();
    private Tensor dx;
    private final Workspace dxBuffer = new Workspace();
    private Tensor dyMasked;
    private final Workspace dyMaskedBuffer = new Workspace();
    private boolean inputGradient = true;

    /** Weights of {@code weightShape} and an optional bias of {@code outChannels}, PyTorch-initialised. */
    ConvolutionLayer(int[] weightShape, int fanIn, boolean bias, long seed) {
        Random r = new Random(seed);
        this.weight = new Parameter("weight", Init.pytorchDefault(Tensor.zeros(weightShape), fanIn, r));
        this.bias = bias ? new Parameter("bias", Init.pytorchDefault(Tensor.zeros(weightShape[0]), fanIn, r)) : null;
        this.relu = false;
        this.epilogue = null;
    }

    /**
     * Whether a ReLU is fused into this layer ({@link #withRelu}).
     *
     * @return true if the layer's output passes through {@code max(y, 0)}
     */
    public boolean fusedRelu() {
        return relu;
    }

    /** A layer with the parameters of {@code from} (shared, not copied), fused with a ReLU or not. */
    ConvolutionLayer(ConvolutionLayer from, boolean relu) {
        this.weight = from.weight;
        this.bias = from.bias;
        this.relu = relu;
        this.epilogue = relu ? Epilogue.relu() : null;
        this.inputGradient = from.inputGradient;
    }

    /**
     * The same layer with a following ReLU fused into it, sharing its parameters: the ReLU is applied in the
     * kernel's write-back on the way forward and as a mask on dy on the way back, with the same results, bit for
     * bit, as this layer then {@code Activation.relu()}, and one pass over y fewer each way.
     *
     * @return a new layer sharing this one's parameters
     */
    public abstract ConvolutionLayer withRelu();

    /** The geometry for {@code input} (the cached {@link #spec} where the shape is unchanged); throws on a misfit. */
    abstract ConvSpec specFor(Tensor input);

    /** The kept geometry ({@link #specs}) that fits {@code input}, or null. */
    final ConvSpec keptSpecFor(Tensor input) {
        for (int i = 0; i < Recent.SIZE; i++) {
            ConvSpec s = specs.get(i);
            if (s != null && s.fitsInput(input)) {
                return s;
            }
        }
        return null;
    }

    // x (N,C,...), w (OC,C/g,...), b (OC) -> y (N,OC,...)
    @Override
    public Tensor forward(Tensor input) {
        ConvSpec s = specFor(input);
        x = input;
        y = s.rank == 1 ? yBuffer.get(s.batch, s.outChannels, s.outW)
                : yBuffer.get(s.batch, s.outChannels, s.outH, s.outW);
        Conv.forward(s, y, x, weight.value, bias == null ? null : bias.value, epilogue);
        return y;
    }

    // dy (N,OC,...) -> dW +=, db +=, dx (N,C,...) (null when no input gradient is asked for)
    @Override
    public Tensor backward(Tensor dy) {
        Buffers.requireGradient(this, dy, y);
        if (relu) {
            dyMasked = dyMaskedBuffer.getLike(y);
            Buffers.maskByPositive(dy.contiguous(), y, dyMasked);
            dy = dyMasked;
        }
        Conv.backwardWeights(spec, weight.grad, bias == null ? null : bias.grad, dy, x);
        if (!inputGradient) {
            return null;
        }
        ConvSpec s = spec;
        dx = s.rank == 1 ? dxBuffer.get(s.batch, s.inChannels, s.inW)
                : dxBuffer.get(s.batch, s.inChannels, s.inH, s.inW);
        dx.fill(0f);
        Conv.backwardData(spec, dx, dy, weight.value);
        return dx;
    }

    @Override
    public void setInputGradient(boolean needed) {
        inputGradient = needed;
    }

    @Override
    public List<Parameter> parameters() {
        return Parameters.of(weight, bias);
    }
}
