package lanes.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import lanes.engine.Tensor;
import lanes.engine.conv.Conv;
import lanes.engine.conv.ConvSpec;

/**
 * 1-D convolution over time as PyTorch's {@code nn.Conv1d}: x (N, C, L), weight (OC, C/groups, K), bias (OC) ->
 * y (N, OC, OL); the layer of a time-delay network.
 */
public final class Conv1d implements Layer {
    public final int inChannels;
    public final int outChannels;
    public final int kernel;
    public final int stride;
    public final int padding;
    public final int dilation;
    public final int groups;
    public final Parameter weight;
    public final Parameter bias;
    private ConvSpec spec;
    private Tensor x;
    private Tensor y;
    private Tensor dx;
    private boolean inputGradient = true;

    /** {@code nn.Conv1d(in, out, k, stride, padding)} with one group, dilation 1 and a bias. */
    public Conv1d(int inChannels, int outChannels, int kernel, int stride, int padding, long seed) {
        this(inChannels, outChannels, kernel, stride, padding, 1, 1, true, seed);
    }

    /** Every option; weights and bias drawn from {@code seed} with PyTorch's default initialisation. */
    public Conv1d(int inChannels, int outChannels, int kernel, int stride, int padding, int dilation, int groups,
                  boolean bias, long seed) {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
        ConvSpec.conv1d(1, inChannels, Math.max(1, dilation * (kernel - 1) + 1), outChannels, kernel, stride,
                padding, padding, dilation, groups);
        int fanIn = inChannels / groups * kernel;
        Random r = new Random(seed);
        this.weight = new Parameter("weight", Init.pytorchDefault(
                Tensor.zeros(outChannels, inChannels / groups, kernel), fanIn, r));
        this.bias = bias ? new Parameter("bias", Init.pytorchDefault(Tensor.zeros(outChannels), fanIn, r)) : null;
    }

    private ConvSpec specFor(Tensor input) {
        Buffers.requireRank(toString(), "x", input, 3);
        int[] s = input.shape();
        if (s[1] != inChannels) {
            throw new IllegalArgumentException(this + ": x has shape " + Arrays.toString(s) + " but needs "
                    + inChannels + " channels");
        }
        if (spec == null || spec.batch != s[0] || spec.inW != s[2]) {
            spec = ConvSpec.conv1d(s[0], inChannels, s[2], outChannels, kernel, stride, padding, padding, dilation,
                    groups);
        }
        return spec;
    }

    // x (N,C,L), w (OC,C/g,K), b (OC) -> y (N,OC,OL)
    @Override
    public Tensor forward(Tensor input) {
        ConvSpec s = specFor(input);
        x = input;
        y = Buffers.reuse(y, s.outputShape());
        Conv.forward(s, y, x, weight.value, bias == null ? null : bias.value);
        return y;
    }

    // dy (N,OC,OL) -> dW +=, db +=, dx (N,C,L)
    @Override
    public Tensor backward(Tensor dy) {
        Buffers.requireGradient(toString(), dy, y);
        Conv.backwardWeights(spec, weight.grad, bias == null ? null : bias.grad, dy, x);
        if (!inputGradient) {
            return null;
        }
        dx = Buffers.reuse(dx, spec.inputShape());
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
        List<Parameter> p = new ArrayList<>();
        p.add(weight);
        if (bias != null) {
            p.add(bias);
        }
        return p;
    }

    @Override
    public String toString() {
        return "Conv1d(" + inChannels + ", " + outChannels + ", kernel=" + kernel + ", stride=" + stride
                + ", padding=" + padding + (dilation > 1 ? ", dilation=" + dilation : "")
                + (groups > 1 ? ", groups=" + groups : "") + (bias == null ? ", bias=false" : "") + ")";
    }
}
