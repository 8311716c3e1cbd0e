package lanes.engine.pool;

import lanes.engine.Tensor;
import lanes.engine.VectorApi;

/**
 * The geometry of a max or average pooling, with PyTorch's semantics: windows of {@code kernelH x kernelW} every
 * {@code stride}, over an input padded by {@code pad} on each side (at most half the window), and per dimension
 *
 * <pre>
 *   out = floor((in + 2*pad - kernel) / stride) + 1            (ceil instead of floor with ceilMode)
 *   with ceilMode, a last window that would start in the right padding is dropped: if (out-1)*stride >= in + pad
 *   then out -= 1
 * </pre>
 *
 * Average pooling divides by the window clipped to the padded input ({@code countIncludePad}) or by the number of
 * input elements it covers. A 1-D pooling ({@link #pool1d}) has {@code H = KH = 1}; its tensors are
 * {@code (N, C, L)}. Immutable; every instance is valid, and invalid values throw naming them.
 */
public final class PoolSpec {
    /** 1 for {@code (N, C, L)} tensors, 2 for {@code (N, C, H, W)}. */
    public final int rank;
    /** N, images (or sequences) per batch. */
    public final int batch;
    /** C, channels (pooled one by one). */
    public final int channels;
    /** H, input height (1 for 1-D). */
    public final int inH;
    /** W, input width (L for 1-D). */
    public final int inW;
    /** Window height (1 for 1-D). */
    public final int kernelH;
    /** Window width. */
    public final int kernelW;
    /** Vertical stride (1 for 1-D). */
    public final int strideH;
    /** Horizontal stride. */
    public final int strideW;
    /** Rows of padding above and below (minus infinity for max, zeros for average). */
    public final int padH;
    /** Columns of padding left and right. */
    public final int padW;
    /**
     * Whether the output size rounds up (PyTorch's ceil_mode): a last window may start inside the input and end
     * past it.
     */
    public final boolean ceilMode;
    /** For average pooling, whether padding counts in the divisor (PyTorch's count_include_pad). */
    public final boolean countIncludePad;
    /** Output height, from the formula above. */
    public final int outH;
    /** Output width, from the formula above. */
    public final int outW;

    private PoolSpec(int rank, int batch, int channels, int inH, int inW, int kernelH, int kernelW, int strideH,
                     int strideW, int padH, int padW, boolean ceilMode, boolean countIncludePad) {
        VectorApi.require();       // one clear line where the JVM lacks --add-modules jdk.incubator.vector
        this.rank = rank;
        this.batch = batch;
        this.channels = channels;
        this.inH = inH;
        this.inW = inW;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.padH = padH;
        this.padW = padW;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
        for (int[] v : new int[][] {{batch}, {channels}, {inH}, {inW}, {kernelH}, {kernelW}, {strideH}, {strideW}}) {
            if (v[0] < 1) {
                throw invalid("sizes, kernel and stride must be >= 1");
            }
        }
        if (padH < 0 || padW < 0 || 2 * padH > kernelH || 2 * padW > kernelW) {
            throw invalid("padding " + padH + " x " + padW + " must be >= 0 and at most half the window "
                    + kernelH + " x " + kernelW);
        }
        this.outH = outSize(inH, kernelH, strideH, padH, ceilMode);
        this.outW = outSize(inW, kernelW, strideW, padW, ceilMode);
        if (outH < 1 || outW < 1) {
            throw invalid("output size " + outH + " x " + outW + " is empty: window " + kernelH + " x " + kernelW
                    + " is larger than the padded input " + (inH + 2 * padH) + " x " + (inW + 2 * padW));
        }
        if ((long) batch * channels * inH * inW > Integer.MAX_VALUE - 64) {
            throw invalid("the input would have more than 2^31 elements");
        }
    }

    /**
     * 2-D pooling with window {@code kh x kw}, stride = window, no padding, floor mode, average including pad.
     *
     * @param batch examples in a batch (N)
     * @param channels channels (C)
     * @param inH input height (H)
     * @param inW input width (W)
     * @param kernelH window height
     * @param kernelW window width
     * @return the spec
     */
    public static PoolSpec pool2d(int batch, int channels, int inH, int inW, int kernelH, int kernelW) {
        return new PoolSpec(2, batch, channels, inH, inW, kernelH, kernelW, kernelH, kernelW, 0, 0, false, true);
    }

    /**
     * 2-D pooling with every parameter given at once (where the window only fits once padded).
     *
     * @param batch examples in a batch (N)
     * @param channels channels (C)
     * @param inH input height (H)
     * @param inW input width (W)
     * @param kernelH window height
     * @param kernelW window width
     * @param strideH step between windows down the rows
     * @param strideW step between windows along a row
     * @param padH rows of negative infinity (max) or zeros (average) above and below
     * @param padW padding before and after each row
     * @param ceilMode true to round the output size up (a last, partial window), as PyTorch's ceil_mode
     * @param countIncludePad true if an average divides by the whole window, padding included
     * @return the spec
     */
    public static PoolSpec pool2d(int batch, int channels, int inH, int inW, int kernelH, int kernelW, int strideH,
                                  int strideW, int padH, int padW, boolean ceilMode, boolean countIncludePad) {
        return new PoolSpec(2, batch, channels, inH, inW, kernelH, kernelW, strideH, strideW, padH, padW, ceilMode,
                countIncludePad);
    }

    /**
     * 1-D pooling with every parameter given at once.
     *
     * @param batch examples in a batch (N)
     * @param channels channels (C)
     * @param length input length (L)
     * @param kernel window length
     * @param stride step between windows
     * @param pad padding at each end
     * @param ceilMode true to round the output size up (a last, partial window), as PyTorch's ceil_mode
     * @param countIncludePad true if an average divides by the whole window, padding included
     * @return the spec
     */
    public static PoolSpec pool1d(int batch, int channels, int length, int kernel, int stride, int pad,
                                  boolean ceilMode, boolean countIncludePad) {
        return new PoolSpec(1, batch, channels, 1, length, 1, kernel, 1, stride, 0, pad, ceilMode, countIncludePad);
    }

    /**
     * 1-D pooling of {@code (batch, channels, length)} with window {@code k}, stride = window.
     *
     * @param batch examples in a batch (N)
     * @param channels channels (C)
     * @param length input length (L)
     * @param kernel window length
     * @return the spec
     */
    public static PoolSpec pool1d(int batch, int channels, int length, int kernel) {
        return new PoolSpec(1, batch, channels, 1, length, 1, kernel, 1, kernel, 0, 0, false, true);
    }

    /**
     * The same with stride {@code s} (a 1-D spec keeps height stride 1).
     *
     * @param s the stride in every dimension
     * @return a new spec, this one unchanged
     */
    public PoolSpec withStride(int s) {
        return withStride(rank == 1 ? 1 : s, s);
    }

    /**
     * The same with strides {@code sh, sw}.
     *
     * @param sh stride down the rows
     * @param sw stride along a row
     * @return a new spec, this one unchanged
     */
    public PoolSpec withStride(int sh, int sw) {
        if (rank == 1 && sh != 1) {
            throw invalid("stride height " + sh + " for a 1-D pooling (must be 1)");
        }
        return new PoolSpec(rank, batch, channels, inH, inW, kernelH, kernelW, sh, sw, padH, padW, ceilMode,
                countIncludePad);
    }

    /**
     * The same with padding {@code p} on every side (a 1-D spec pads only its length).
     *
     * @param p the padding on every side
     * @return a new spec, this one unchanged
     */
    public PoolSpec withPadding(int p) {
        return withPadding(rank == 1 ? 0 : p, p);
    }

    /**
     * The same with padding {@code ph} above and below, {@code pw} left and right.
     *
     * @param ph padding above and below
     * @param pw padding left and right
     * @return a new spec, this one unchanged
     */
    public PoolSpec withPadding(int ph, int pw) {
        if (rank == 1 && ph != 0) {
            throw invalid("height padding " + ph + " for a 1-D pooling (must be 0)");
        }
        return new PoolSpec(rank, batch, channels, inH, inW, kernelH, kernelW, strideH, strideW, ph, pw, ceilMode,
                countIncludePad);
    }

    /**
     * The same with ceil mode on or off.
     *
     * @param ceil true to round the output size up, as PyTorch's ceil_mode
     * @return a new spec, this one unchanged
     */
    public PoolSpec withCeilMode(boolean ceil) {
        return new PoolSpec(rank, batch, channels, inH, inW, kernelH, kernelW, strideH, strideW, padH, padW, ceil,
                countIncludePad);
    }

    /**
     * The same with average pooling counting the padding in its divisor, or not.
     *
     * @param include true if an average divides by the whole window, padding included
     * @return a new spec, this one unchanged
     */
    public PoolSpec withCountIncludePad(boolean include) {
        return new PoolSpec(rank, batch, channels, inH, inW, kernelH, kernelW, strideH, strideW, padH, padW,
                ceilMode, include);
    }

    /**
     * The input's shape: {@code (N, C, H, W)}, or {@code (N, C, L)}.
     *
     * @return a new array
     */
    public int[] inputShape() {
        return rank == 1 ? new int[] {batch, channels, inW} : new int[] {batch, channels, inH, inW};
    }

    /**
     * True if {@code t} has the {@link #inputShape()}; allocates nothing.
     *
     * @param t the tensor to check
     * @return true if the shape fits
     */
    public boolean fitsInput(Tensor t) {
        return t.rank() == rank + 2 && t.shape(0) == batch && t.shape(1) == channels
                && (rank == 1 || t.shape(2) == inH) && t.shape(rank + 1) == inW;
    }

    /**
     * True if {@code t} has the {@link #outputShape()}; allocates nothing.
     *
     * @param t the tensor to check
     * @return true if the shape fits
     */
    public boolean fitsOutput(Tensor t) {
        return t.rank() == rank + 2 && t.shape(0) == batch && t.shape(1) == channels
                && (rank == 1 || t.shape(2) == outH) && t.shape(rank + 1) == outW;
    }

    /**
     * The output's shape: {@code (N, C, OH, OW)}, or {@code (N, C, OL)}.
     *
     * @return a new array
     */
    public int[] outputShape() {
        return rank == 1 ? new int[] {batch, channels, outW} : new int[] {batch, channels, outH, outW};
    }

    static int outSize(int in, int kernel, int stride, int pad, boolean ceil) {
        int span = in + 2 * pad - kernel;
        if (span < 0) {
            return 0;
        }
        int out = (ceil ? (span + stride - 1) / stride : span / stride) + 1;
        if (ceil && (out - 1) * stride >= in + pad) {
            out--;
        }
        return out;
    }

    private IllegalArgumentException invalid(String problem) {
        return new IllegalArgumentException("pooling " + this + ": " + problem);
    }

    @Override
    public String toString() {
        return String.format("pool%dd(N=%d, C=%d, %dx%d, k=%dx%d, stride %dx%d, pad %dx%d%s%s)", rank, batch,
                channels, inH, inW, kernelH, kernelW, strideH, strideW, padH, padW, ceilMode ? ", ceil" : "",
                countIncludePad ? "" : ", pad not counted");
    }
}
