package lanes.engine.conv;

import lanes.engine.Tensor;
import lanes.engine.VectorApi;

/**
 * The geometry of one convolution, with PyTorch's semantics: a cross-correlation of an input {@code x (N, C, H, W)}
 * with weights {@code w (OC, C/groups, KH, KW)} giving {@code y (N, OC, OH, OW)}, where per dimension
 *
 * <pre>
 *   out = floor((in + padBefore + padAfter - dilation*(k - 1) - 1) / stride) + 1
 *   y[n, o, oh, ow] = bias[o] + sum_{c, kh, kw} w[o, c, kh, kw] * x[n, g*C/groups + c, oh*sh + kh*dh - padTop,
 *                                                                                  ow*sw + kw*dw - padLeft]
 *   (g = o / (OC/groups); x outside the input reads as 0)
 * </pre>
 *
 * A 1-D convolution ({@link #conv1d}) is the 2-D one with {@code H = KH = 1}; its tensors are {@code (N, C, L)}.
 * Instances are immutable; the {@code with...} methods return changed copies and every one is validated, so an
 * invalid geometry cannot exist: the exception names the offending values.
 */
public final class ConvSpec {
    /** 1 for {@code (N, C, L)} tensors, 2 for {@code (N, C, H, W)}. */
    public final int rank;
    /** N, images (or sequences) per batch. */
    public final int batch;
    /** C, input channels. */
    public final int inChannels;
    /** H, input height (1 for 1-D). */
    public final int inH;
    /** W, input width (L for 1-D). */
    public final int inW;
    /** OC, output channels. */
    public final int outChannels;
    /** KH, kernel height (1 for 1-D). */
    public final int kernelH;
    /** KW, kernel width. */
    public final int kernelW;
    /** Vertical stride (1 for 1-D). */
    public final int strideH;
    /** Horizontal stride. */
    public final int strideW;
    /** Rows of zeros above the input. */
    public final int padTop;
    /** Rows of zeros below the input. */
    public final int padBottom;
    /** Columns of zeros left of the input. */
    public final int padLeft;
    /** Columns of zeros right of the input. */
    public final int padRight;
    /** Vertical dilation (1 for 1-D). */
    public final int dilationH;
    /** Horizontal dilation. */
    public final int dilationW;
    /** Groups: each output channel sees C/groups input channels. */
    public final int groups;
    /** Output height, from the formula above. */
    public final int outH;
    /** Output width, from the formula above. */
    public final int outW;

    private ConvSpec(int rank, int batch, int inChannels, int inH, int inW, int outChannels, int kernelH,
                     int kernelW, int strideH, int strideW, int padTop, int padBottom, int padLeft, int padRight,
                     int dilationH, int dilationW, int groups) {
        VectorApi.require();       // one clear line where the JVM lacks --add-modules jdk.incubator.vector
        this.rank = rank;
        this.batch = batch;
        this.inChannels = inChannels;
        this.inH = inH;
        this.inW = inW;
        this.outChannels = outChannels;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.padTop = padTop;
        this.padBottom = padBottom;
        this.padLeft = padLeft;
        this.padRight = padRight;
        this.dilationH = dilationH;
        this.dilationW = dilationW;
        this.groups = groups;
        positive("batch", batch);
        positive("in channels", inChannels);
        positive("input height", inH);
        positive("input width", inW);
        positive("out channels", outChannels);
        positive("kernel height", kernelH);
        positive("kernel width", kernelW);
        positive("stride height", strideH);
        positive("stride width", strideW);
        positive("dilation height", dilationH);
        positive("dilation width", dilationW);
        positive("groups", groups);
        if (padTop < 0 || padBottom < 0 || padLeft < 0 || padRight < 0) {
            throw invalid("padding must be >= 0");
        }
        if (inChannels % groups != 0 || outChannels % groups != 0) {
            throw invalid("in channels " + inChannels + " and out channels " + outChannels
                    + " must both be divisible by groups " + groups);
        }
        this.outH = outSize(inH, padTop, padBottom, dilationH, kernelH, strideH);
        this.outW = outSize(inW, padLeft, padRight, dilationW, kernelW, strideW);
        if (outH <= 0 || outW <= 0) {
            throw invalid("output size " + outH + " x " + outW + " is empty: the dilated kernel "
                    + (dilationH * (kernelH - 1) + 1) + " x " + (dilationW * (kernelW - 1) + 1)
                    + " is larger than the padded input " + (inH + padTop + padBottom) + " x "
                    + (inW + padLeft + padRight));
        }
        long xs = (long) batch * inChannels * inH * inW;
        long ys = (long) batch * outChannels * outH * outW;
        long ws = (long) outChannels * (inChannels / groups) * kernelH * kernelW;
        long padded = (long) (inChannels / groups) * (inH + padTop + padBottom) * (inW + padLeft + padRight);
        if (Math.max(Math.max(xs, ys), Math.max(ws, padded)) > Integer.MAX_VALUE - 64) {
            throw invalid("a tensor would have more than 2^31 elements");
        }
    }

    /**
     * A 2-D convolution of {@code x (batch, inChannels, inH, inW)} with {@code outChannels} kernels of
     * {@code kernelH x kernelW}, stride 1, no padding, dilation 1, one group.
     *
     * @param batch examples in a batch (N)
     * @param inChannels input channels (C)
     * @param inH input height (H)
     * @param inW input width (W)
     * @param outChannels output channels (OC)
     * @param kernelH kernel height (KH)
     * @param kernelW kernel width (KW)
     * @return the spec
     */
    public static ConvSpec conv2d(int batch, int inChannels, int inH, int inW, int outChannels, int kernelH,
                                  int kernelW) {
        return new ConvSpec(2, batch, inChannels, inH, inW, outChannels, kernelH, kernelW, 1, 1, 0, 0, 0, 0, 1, 1,
                1);
    }

    /**
     * A 2-D convolution with every parameter given at once (useful where the kernel only fits once padded).
     *
     * @param batch examples in a batch (N)
     * @param inChannels input channels (C)
     * @param inH input height (H)
     * @param inW input width (W)
     * @param outChannels output channels (OC)
     * @param kernelH kernel height (KH)
     * @param kernelW kernel width (KW)
     * @param strideH step between windows down the rows
     * @param strideW step between windows along a row
     * @param padTop rows of zeros above the input
     * @param padBottom rows of zeros below
     * @param padLeft zeros before each row (or sequence)
     * @param padRight zeros after each row (or sequence)
     * @param dilationH step between kernel taps down the rows
     * @param dilationW step between kernel taps along a row
     * @param groups groups the channels split into (divides C and OC)
     * @return the spec
     */
    public static ConvSpec conv2d(int batch, int inChannels, int inH, int inW, int outChannels, int kernelH,
                                  int kernelW, int strideH, int strideW, int padTop, int padBottom, int padLeft,
                                  int padRight, int dilationH, int dilationW, int groups) {
        return new ConvSpec(2, batch, inChannels, inH, inW, outChannels, kernelH, kernelW, strideH, strideW, padTop,
                padBottom, padLeft, padRight, dilationH, dilationW, groups);
    }

    /**
     * A 1-D convolution with every parameter given at once.
     *
     * @param batch examples in a batch (N)
     * @param inChannels input channels (C)
     * @param length input length (L)
     * @param outChannels output channels (OC)
     * @param kernel kernel length (K)
     * @param stride step between windows
     * @param padLeft zeros before each row (or sequence)
     * @param padRight zeros after each row (or sequence)
     * @param dilation step between kernel taps
     * @param groups groups the channels split into (divides C and OC)
     * @return the spec
     */
    public static ConvSpec conv1d(int batch, int inChannels, int length, int outChannels, int kernel, int stride,
                                  int padLeft, int padRight, int dilation, int groups) {
        return new ConvSpec(1, batch, inChannels, 1, length, outChannels, 1, kernel, 1, stride, 0, 0, padLeft,
                padRight, 1, dilation, groups);
    }

    /**
     * A 1-D convolution of {@code x (batch, inChannels, length)} with {@code outChannels} kernels of {@code k}.
     *
     * @param batch examples in a batch (N)
     * @param inChannels input channels (C)
     * @param length input length (L)
     * @param outChannels output channels (OC)
     * @param kernel kernel length (K)
     * @return the spec
     */
    public static ConvSpec conv1d(int batch, int inChannels, int length, int outChannels, int kernel) {
        return new ConvSpec(1, batch, inChannels, 1, length, outChannels, 1, kernel, 1, 1, 0, 0, 0, 0, 1, 1, 1);
    }

    /**
     * The same geometry with stride {@code s} in every dimension.
     *
     * @param s the geometry: batch, channels, sizes, window, stride, padding
     * @return a new spec, this one unchanged
     */
    public ConvSpec withStride(int s) {
        return withStride(rank == 1 ? 1 : s, s);
    }

    /**
     * The same geometry with strides {@code sh, sw} (a 1-D spec takes {@code sh = 1}).
     *
     * @param sh stride down the rows
     * @param sw stride along a row
     * @return a new spec, this one unchanged
     */
    public ConvSpec withStride(int sh, int sw) {
        requireRank2IfSet("stride height", sh, 1);
        return new ConvSpec(rank, batch, inChannels, inH, inW, outChannels, kernelH, kernelW, sh, sw, padTop,
                padBottom, padLeft, padRight, dilationH, dilationW, groups);
    }

    /**
     * The same geometry with padding {@code p} on every side.
     *
     * @param p zeros on each side
     * @return a new spec, this one unchanged
     */
    public ConvSpec withPadding(int p) {
        return rank == 1 ? withPadding(0, 0, p, p) : withPadding(p, p, p, p);
    }

    /**
     * The same geometry with padding per side (a 1-D spec takes {@code top = bottom = 0}).
     *
     * @param top rows of zeros above
     * @param bottom rows of zeros below
     * @param left zeros before each row
     * @param right zeros after each row
     * @return a new spec, this one unchanged
     */
    public ConvSpec withPadding(int top, int bottom, int left, int right) {
        requireRank2IfSet("top padding", top, 0);
        requireRank2IfSet("bottom padding", bottom, 0);
        return new ConvSpec(rank, batch, inChannels, inH, inW, outChannels, kernelH, kernelW, strideH, strideW, top,
                bottom, left, right, dilationH, dilationW, groups);
    }

    /**
     * The same geometry with dilation {@code d} in every dimension.
     *
     * @param d step between kernel taps
     * @return a new spec, this one unchanged
     */
    public ConvSpec withDilation(int d) {
        return withDilation(rank == 1 ? 1 : d, d);
    }

    /**
     * The same geometry with dilations {@code dh, dw} (a 1-D spec takes {@code dh = 1}).
     *
     * @param dh step between taps down the rows
     * @param dw step between taps along a row
     * @return a new spec, this one unchanged
     */
    public ConvSpec withDilation(int dh, int dw) {
        requireRank2IfSet("dilation height", dh, 1);
        return new ConvSpec(rank, batch, inChannels, inH, inW, outChannels, kernelH, kernelW, strideH, strideW,
                padTop, padBottom, padLeft, padRight, dh, dw, groups);
    }

    /**
     * The same geometry in {@code g} groups ({@code g = inChannels = outChannels} is depthwise).
     *
     * @param g the number of groups
     * @return a new spec, this one unchanged
     */
    public ConvSpec withGroups(int g) {
        return new ConvSpec(rank, batch, inChannels, inH, inW, outChannels, kernelH, kernelW, strideH, strideW,
                padTop, padBottom, padLeft, padRight, dilationH, dilationW, g);
    }

    /**
     * Input channels per group.
     *
     * @return C / groups
     */
    public int inPerGroup() {
        return inChannels / groups;
    }

    /**
     * Output channels per group.
     *
     * @return OC / groups
     */
    public int outPerGroup() {
        return outChannels / groups;
    }

    /**
     * The input's shape: {@code (N, C, H, W)}, or {@code (N, C, L)} for 1-D.
     *
     * @return a new array
     */
    public int[] inputShape() {
        return rank == 1 ? new int[] {batch, inChannels, inW} : new int[] {batch, inChannels, inH, inW};
    }

    /**
     * True if {@code t} has the {@link #inputShape()}; allocates nothing.
     *
     * @param t the tensor to check; not modified
     * @return true if the shape fits
     */
    public boolean fitsInput(Tensor t) {
        return t.rank() == rank + 2 && t.shape(0) == batch && t.shape(1) == inChannels
                && (rank == 1 || t.shape(2) == inH) && t.shape(rank + 1) == inW;
    }

    /**
     * True if {@code t} has the {@link #outputShape()}; allocates nothing.
     *
     * @param t the tensor to check; not modified
     * @return true if the shape fits
     */
    public boolean fitsOutput(Tensor t) {
        return t.rank() == rank + 2 && t.shape(0) == batch && t.shape(1) == outChannels
                && (rank == 1 || t.shape(2) == outH) && t.shape(rank + 1) == outW;
    }

    /**
     * True if {@code t} has the {@link #weightShape()}; allocates nothing.
     *
     * @param t the tensor to check; not modified
     * @return true if the shape fits
     */
    public boolean fitsWeights(Tensor t) {
        return t.rank() == rank + 2 && t.shape(0) == outChannels && t.shape(1) == inPerGroup()
                && (rank == 1 || t.shape(2) == kernelH) && t.shape(rank + 1) == kernelW;
    }

    /**
     * The output's shape: {@code (N, OC, OH, OW)}, or {@code (N, OC, OL)} for 1-D.
     *
     * @return a new array
     */
    public int[] outputShape() {
        return rank == 1 ? new int[] {batch, outChannels, outW} : new int[] {batch, outChannels, outH, outW};
    }

    /**
     * The weights' shape: {@code (OC, C/groups, KH, KW)}, or {@code (OC, C/groups, K)} for 1-D.
     *
     * @return a new array
     */
    public int[] weightShape() {
        return rank == 1 ? new int[] {outChannels, inPerGroup(), kernelW}
                : new int[] {outChannels, inPerGroup(), kernelH, kernelW};
    }

    /**
     * Floating-point operations of one pass (forward, or either backward): {@code 2 N OC OH OW (C/g) KH KW}.
     *
     * @return the operation count
     */
    public double flops() {
        return 2.0 * batch * outChannels * outH * outW * inPerGroup() * kernelH * kernelW;
    }

    static int outSize(int in, int padBefore, int padAfter, int dilation, int kernel, int stride) {
        int span = in + padBefore + padAfter - dilation * (kernel - 1) - 1;
        return span < 0 ? 0 : span / stride + 1;
    }

    private void requireRank2IfSet(String name, int value, int neutral) {
        if (rank == 1 && value != neutral) {
            throw invalid(name + " is " + value + " but a 1-D convolution has none (must be " + neutral + ")");
        }
    }

    private void positive(String name, int value) {
        if (value < 1) {
            throw invalid(name + " is " + value + ", must be >= 1");
        }
    }

    private IllegalArgumentException invalid(String problem) {
        return new IllegalArgumentException("convolution " + this + ": " + problem);
    }

    @Override
    public String toString() {
        if (rank == 1) {
            return String.format("conv1d(N=%d, %d->%d, L=%d, k=%d, stride %d, pad %d/%d, dilation %d, groups %d)",
                    batch, inChannels, outChannels, inW, kernelW, strideW, padLeft, padRight, dilationW, groups);
        }
        return String.format("conv2d(N=%d, %d->%d, %dx%d, k=%dx%d, stride %dx%d, pad t%d b%d l%d r%d,"
                        + " dilation %dx%d, groups %d)", batch, inChannels, outChannels, inH, inW, kernelH, kernelW,
                strideH, strideW, padTop, padBottom, padLeft, padRight, dilationH, dilationW, groups);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConvSpec s && batch == s.batch && sameGeometry(s);
    }

    /**
     * True if {@code s} is this convolution at any batch size: every field but the batch equal. Allocates
     * nothing (a layer alternating between batch sizes compares specs on every call).
     *
     * @param s another spec
     * @return true if only the batch may differ
     */
    public boolean sameGeometry(ConvSpec s) {
        return s != null && rank == s.rank && inChannels == s.inChannels && inH == s.inH && inW == s.inW
                && outChannels == s.outChannels && kernelH == s.kernelH && kernelW == s.kernelW
                && strideH == s.strideH && strideW == s.strideW && padTop == s.padTop && padBottom == s.padBottom
                && padLeft == s.padLeft && padRight == s.padRight && dilationH == s.dilationH
                && dilationW == s.dilationW && groups == s.groups;
    }

    @Override
    public int hashCode() {
        int h = rank;
        for (int f : new int[] {batch, inChannels, inH, inW, outChannels, kernelH, kernelW, strideH, strideW, padTop,
            padBottom, padLeft, padRight, dilationH, dilationW, groups}) {
            h = 31 * h + f;
        }
        return h;
    }
}
