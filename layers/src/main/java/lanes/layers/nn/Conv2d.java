package lanes.layers.nn;

import java.util.Arrays;
import lanes.engine.Tensor;
import lanes.engine.conv.ConvSpec;
import lanes.layers.Lanes;
import lanes.layers.internal.Buffers;

/**
 * 2-D convolution as PyTorch's {@code nn.Conv2d}: x (N, C, H, W), weight (OC, C/groups, KH, KW), bias (OC) ->
 * y (N, OC, OH, OW), on the engine's direct kernels ({@link lanes.engine.conv.Conv}). Stride, symmetric padding,
 * dilation and groups per dimension; the geometry for a batch is derived from the input's shape.
 */
public final class Conv2d extends ConvolutionLayer {
    /** Input channels. */
    public final int inChannels;
    /** Output channels: the number of kernels. */
    public final int outChannels;
    /** Kernel height. */
    public final int kernelH;
    /** Kernel width. */
    public final int kernelW;
    /** Step between windows down the rows. */
    public final int strideH;
    /** Step between windows along a row. */
    public final int strideW;
    /** Rows of zeros above and below the input. */
    public final int padH;
    /** Columns of zeros left and right of the input. */
    public final int padW;
    /** Step between kernel taps down the rows. */
    public final int dilationH;
    /** Step between kernel taps along a row. */
    public final int dilationW;
    /** Groups the channels split into. */
    public final int groups;

    /**
     * {@code nn.Conv2d(in, out, k)}: stride 1, no padding, dilation 1, one group, a bias, PyTorch's default
     * initialisation drawn from {@link Lanes#nextSeed}. The other options follow as {@link #stride}, {@link #padding}
     * and {@link #dilation}: {@code new Conv2d(1, 6, 5).padding(2)}.
     *
     * @param inChannels input channels
     * @param outChannels output channels (kernels)
     * @param kernel kernel height and width
     */
    public Conv2d(int inChannels, int outChannels, int kernel) {
        this(inChannels, outChannels, kernel, kernel, 1, 1, 0, 0, 1, 1, 1, true, Lanes.nextSeed());
    }

    /**
     * {@code nn.Conv2d(in, out, k, stride, padding)} with one group, dilation 1 and a bias.
     *
     * @param inChannels input channels
     * @param outChannels output channels (kernels)
     * @param kernel kernel height and width
     * @param stride step between windows
     * @param padding zeros on each side
     * @param seed seed of the initial weights and bias
     */
    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, long seed) {
        this(inChannels, outChannels, kernel, kernel, stride, stride, padding, padding, 1, 1, 1, true, seed);
    }

    /**
     * Every option; weights and bias drawn from {@code seed} with PyTorch's default initialisation.
     *
     * @param inChannels input channels
     * @param outChannels output channels (kernels)
     * @param kernelH kernel height
     * @param kernelW kernel width
     * @param strideH step between windows down the rows
     * @param strideW step between windows along a row
     * @param padH rows of zeros above and below
     * @param padW columns of zeros left and right
     * @param dilationH step between kernel taps down the rows
     * @param dilationW step between kernel taps along a row
     * @param groups groups the channels split into (divides both channel counts)
     * @param bias true for a learned bias per output channel
     * @param seed seed of the initial weights and bias
     */
    public Conv2d(int inChannels, int outChannels, int kernelH, int kernelW, int strideH, int strideW, int padH,
                  int padW, int dilationH, int dilationW, int groups, boolean bias, long seed) {
        super(weightShape(inChannels, outChannels, kernelH, kernelW, strideH, strideW, padH, padW, dilationH,
                dilationW, groups), inChannels / groups * kernelH * kernelW, bias, seed);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.padH = padH;
        this.padW = padW;
        this.dilationH = dilationH;
        this.dilationW = dilationW;
        this.groups = groups;
    }

    // the weights of `from` (shared) with another geometry that keeps their shape, fused with a ReLU or not
    private Conv2d(Conv2d from, boolean relu, int strideH, int strideW, int padH, int padW, int dilationH,
                   int dilationW) {
        super(from, relu);
        weightShape(from.inChannels, from.outChannels, from.kernelH, from.kernelW, strideH, strideW, padH, padW,
                dilationH, dilationW, from.groups);        // validates the new options
        this.inChannels = from.inChannels;
        this.outChannels = from.outChannels;
        this.kernelH = from.kernelH;
        this.kernelW = from.kernelW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.padH = padH;
        this.padW = padW;
        this.dilationH = dilationH;
        this.dilationW = dilationW;
        this.groups = from.groups;
    }

    @Override
    public Conv2d withRelu() {
        return new Conv2d(this, true, strideH, strideW, padH, padW, dilationH, dilationW);
    }

    @Override
    public Conv2d replica() {
        return new Conv2d(this, relu, strideH, strideW, padH, padW, dilationH, dilationW);
    }

    /**
     * This layer's weights (shared, not copied) with stride {@code s} in both dimensions.
     *
     * @param s the stride
     * @return a new layer sharing this one's parameters
     */
    public Conv2d stride(int s) {
        return stride(s, s);
    }

    /**
     * This layer's weights (shared, not copied) with strides {@code sh} (rows) and {@code sw} (columns).
     *
     * @param sh stride down the rows
     * @param sw stride along a row
     * @return a new layer sharing this one's parameters
     */
    public Conv2d stride(int sh, int sw) {
        return new Conv2d(this, relu, sh, sw, padH, padW, dilationH, dilationW);
    }

    /**
     * This layer's weights (shared, not copied) with {@code p} rows and columns of zeros on every side.
     *
     * @param p the padding
     * @return a new layer sharing this one's parameters
     */
    public Conv2d padding(int p) {
        return padding(p, p);
    }

    /**
     * This layer's weights (shared, not copied) with {@code ph} rows (top, bottom) and {@code pw} columns of zeros.
     *
     * @param ph rows of zeros above and below
     * @param pw columns of zeros left and right
     * @return a new layer sharing this one's parameters
     */
    public Conv2d padding(int ph, int pw) {
        return new Conv2d(this, relu, strideH, strideW, ph, pw, dilationH, dilationW);
    }

    /**
     * This layer's weights (shared, not copied) with dilation {@code d} in both dimensions.
     *
     * @param d the dilation
     * @return a new layer sharing this one's parameters
     */
    public Conv2d dilation(int d) {
        return new Conv2d(this, relu, strideH, strideW, padH, padW, d, d);
    }

    // validates every option but the input size (checked per batch) before any weight exists
    private static int[] weightShape(int inChannels, int outChannels, int kernelH, int kernelW, int strideH,
                                     int strideW, int padH, int padW, int dilationH, int dilationW, int groups) {
        ConvSpec.conv2d(1, inChannels, Math.max(1, dilationH * (kernelH - 1) + 1),
                Math.max(1, dilationW * (kernelW - 1) + 1), outChannels, kernelH, kernelW, strideH, strideW, padH,
                padH, padW, padW, dilationH, dilationW, groups);
        return new int[] {outChannels, inChannels / groups, kernelH, kernelW};
    }

    /** The geometry for input {@code x}; throws naming the layer and the shape if it does not fit. */
    @Override
    ConvSpec specFor(Tensor input) {
        Buffers.requireRank(this, "x", input, 4);
        if (input.shape(1) != inChannels) {
            throw new IllegalArgumentException(this + ": x has shape " + Arrays.toString(input.shape())
                    + " but needs " + inChannels + " channels");
        }
        if (spec == null || !spec.fitsInput(input)) {
            ConvSpec kept = keptSpecFor(input);
            spec = kept != null ? kept : specs.add(ConvSpec.conv2d(input.shape(0), inChannels, input.shape(2),
                    input.shape(3), outChannels, kernelH, kernelW, strideH, strideW, padH, padH, padW, padW,
                    dilationH, dilationW, groups));
        }
        return spec;
    }

    @Override
    public String toString() {
        return "Conv2d(" + inChannels + ", " + outChannels + ", kernel_size=" + PyTorchText.pair(kernelH, kernelW)
                + PyTorchText.option("stride", strideH, strideW, 1) + PyTorchText.option("padding", padH, padW, 0)
                + PyTorchText.option("dilation", dilationH, dilationW, 1) + (groups > 1 ? ", groups=" + groups : "")
                + (bias == null ? ", bias=False" : "") + ")" + (relu ? ", ReLU()" : "");
    }
}
