package lanes.layers.nn;

import java.util.Arrays;
import lanes.engine.Tensor;
import lanes.engine.conv.ConvSpec;
import lanes.layers.Lanes;
import lanes.layers.internal.Buffers;

/**
 * 1-D convolution over time as PyTorch's {@code nn.Conv1d}: x (N, C, L), weight (OC, C/groups, K), bias (OC) ->
 * y (N, OC, OL); the layer of a time-delay network.
 */
public final class Conv1d extends ConvolutionLayer {
    /** Input channels. */
    public final int inChannels;
    /** Output channels: the number of kernels. */
    public final int outChannels;
    /** Kernel length. */
    public final int kernel;
    /** Step between windows. */
    public final int stride;
    /** Zeros at each end of a sequence. */
    public final int padding;
    /** Step between kernel taps. */
    public final int dilation;
    /** Groups the channels split into. */
    public final int groups;

    /**
     * {@code nn.Conv1d(in, out, k)}: stride 1, no padding, dilation 1, one group, a bias, PyTorch's default
     * initialisation drawn from {@link Lanes#nextSeed}; the other options follow as {@link #stride},
     * {@link #padding} and {@link #dilation}.
     *
     * @param inChannels input channels
     * @param outChannels output channels (kernels)
     * @param kernel kernel length
     */
    public Conv1d(int inChannels, int outChannels, int kernel) {
        this(inChannels, outChannels, kernel, 1, 0, 1, 1, true, Lanes.nextSeed());
    }

    /**
     * {@code nn.Conv1d(in, out, k, stride, padding)} with one group, dilation 1 and a bias.
     *
     * @param inChannels input channels
     * @param outChannels output channels (kernels)
     * @param kernel kernel size
     * @param stride step between windows
     * @param padding zeros on each side
     * @param seed seed of the initial weights and bias
     */
    public Conv1d(int inChannels, int outChannels, int kernel, int stride, int padding, long seed) {
        this(inChannels, outChannels, kernel, stride, padding, 1, 1, true, seed);
    }

    /**
     * Every option; weights and bias drawn from {@code seed} with PyTorch's default initialisation.
     *
     * @param inChannels input channels
     * @param outChannels output channels (kernels)
     * @param kernel kernel size
     * @param stride step between windows
     * @param padding zeros on each side
     * @param dilation step between kernel taps
     * @param groups groups the channels split into (divides both channel counts)
     * @param bias true for a learned bias per output channel
     * @param seed seed of the initial weights and bias
     */
    public Conv1d(int inChannels, int outChannels, int kernel, int stride, int padding, int dilation, int groups,
                  boolean bias, long seed) {
        super(weightShape(inChannels, outChannels, kernel, stride, padding, dilation, groups),
                inChannels / groups * kernel, bias, seed);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
    }

    // the weights of `from` (shared) with another geometry that keeps their shape, fused with a ReLU or not
    private Conv1d(Conv1d from, boolean relu, int stride, int padding, int dilation) {
        super(from, relu);
        weightShape(from.inChannels, from.outChannels, from.kernel, stride, padding, dilation, from.groups);
        this.inChannels = from.inChannels;
        this.outChannels = from.outChannels;
        this.kernel = from.kernel;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = from.groups;
    }

    @Override
    public Conv1d withRelu() {
        return new Conv1d(this, true, stride, padding, dilation);
    }

    @Override
    public Conv1d replica() {
        return new Conv1d(this, relu, stride, padding, dilation);
    }

    /**
     * This layer's weights (shared, not copied) with stride {@code s}.
     *
     * @param s the stride
     * @return a new layer sharing this one's parameters
     */
    public Conv1d stride(int s) {
        return new Conv1d(this, relu, s, padding, dilation);
    }

    /**
     * This layer's weights (shared, not copied) with {@code p} zeros at each end.
     *
     * @param p the padding
     * @return a new layer sharing this one's parameters
     */
    public Conv1d padding(int p) {
        return new Conv1d(this, relu, stride, p, dilation);
    }

    /**
     * This layer's weights (shared, not copied) with dilation {@code d}.
     *
     * @param d the dilation
     * @return a new layer sharing this one's parameters
     */
    public Conv1d dilation(int d) {
        return new Conv1d(this, relu, stride, padding, d);
    }

    // validates every option but the input length (checked per batch) before any weight exists
    private static int[] weightShape(int inChannels, int outChannels, int kernel, int stride, int padding,
                                     int dilation, int groups) {
        ConvSpec.conv1d(1, inChannels, Math.max(1, dilation * (kernel - 1) + 1), outChannels, kernel, stride,
                padding, padding, dilation, groups);
        return new int[] {outChannels, inChannels / groups, kernel};
    }

    @Override
    ConvSpec specFor(Tensor input) {
        Buffers.requireRank(this, "x", input, 3);
        if (input.shape(1) != inChannels) {
            throw new IllegalArgumentException(this + ": x has shape " + Arrays.toString(input.shape())
                    + " but needs " + inChannels + " channels");
        }
        if (spec == null || !spec.fitsInput(input)) {
            ConvSpec kept = keptSpecFor(input);
            spec = kept != null ? kept : specs.add(ConvSpec.conv1d(input.shape(0), inChannels, input.shape(2),
                    outChannels, kernel, stride, padding, padding, dilation, groups));
        }
        return spec;
    }

    @Override
    public String toString() {
        return "Conv1d(" + inChannels + ", " + outChannels + ", kernel_size=" + kernel
                + PyTorchText.option("stride", stride, stride, 1) + PyTorchText.option("padding", padding, padding, 0)
                + PyTorchText.option("dilation", dilation, dilation, 1) + (groups > 1 ? ", groups=" + groups : "")
                + (bias == null ? ", bias=False" : "") + ")" + (relu ? ", ReLU()" : "");
    }
}
