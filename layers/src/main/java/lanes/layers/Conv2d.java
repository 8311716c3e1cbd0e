package lanes.layers;

import java.util.Arrays;
import lanes.engine.Tensor;
import lanes.engine.conv.ConvSpec;

/**
 * 2-D convolution as PyTorch's {@code nn.Conv2d}: x (N, C, H, W), weight (OC, C/groups, KH, KW), bias (OC) ->
 * y (N, OC, OH, OW), on the engine's direct kernels ({@link Conv}). Stride, symmetric padding, dilation and groups
 * per dimension; the geometry for a batch is derived from the input's shape.
 */
public final class Conv2d extends ConvolutionLayer {
    public final int inChannels;
    public final int outChannels;
    public final int kernelH;
    public final int kernelW;
    public final int strideH;
    public final int strideW;
    public final int padH;
    public final int padW;
    public final int dilationH;
    public final int dilationW;
    public final int groups;

    /** {@code nn.Conv2d(in, out, k, stride, padding)} with one group, dilation 1 and a bias. */
    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, long seed) {
        this(inChannels, outChannels, kernel, kernel, stride, stride, padding, padding, 1, 1, 1, true, seed);
    }

    /** Every option; weights and bias drawn from {@code seed} with PyTorch's default initialisation. */
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

    private Conv2d(Conv2d unfused) {
        super(unfused);
        this.inChannels = unfused.inChannels;
        this.outChannels = unfused.outChannels;
        this.kernelH = unfused.kernelH;
        this.kernelW = unfused.kernelW;
        this.strideH = unfused.strideH;
        this.strideW = unfused.strideW;
        this.padH = unfused.padH;
        this.padW = unfused.padW;
        this.dilationH = unfused.dilationH;
        this.dilationW = unfused.dilationW;
        this.groups = unfused.groups;
    }

    @Override
    public Conv2d withRelu() {
        return new Conv2d(this);
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
        return "Conv2d(" + inChannels + ", " + outChannels + ", kernel=" + kernelH + "x" + kernelW + ", stride="
                + strideH + "x" + strideW + ", padding=" + padH + "x" + padW
                + (dilationH * dilationW > 1 ? ", dilation=" + dilationH + "x" + dilationW : "")
                + (groups > 1 ? ", groups=" + groups : "") + (bias == null ? ", bias=false" : "") + ")"
                + (relu ? "+ReLU" : "");
    }
}
