package lanes.engine.pool;

import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.IS_NAN;
import static lanes.engine.Simd.LANES;
import static lanes.engine.Simd.SPECIES;

import java.util.Arrays;
import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import lanes.engine.Parallel;
import lanes.engine.Simd;
import lanes.engine.Tensor;
import lanes.engine.internal.CallArguments;
import lanes.engine.internal.Checks;

/**
 * Max and average pooling, 1-D and 2-D, forward and backward side by side (results first, gradients with a
 * {@code d}); the geometry is a {@link PoolSpec}. Backward passes accumulate into their gradient.
 *
 * <pre>
 *   maxForward      x (N,C,H,W) -> y (N,C,OH,OW), argmax (N*C*OH*OW)   y = max over the window's input elements
 *   maxBackward     dy, argmax  -> dx (N,C,H,W) +=                     each dy to its window's argmax
 *   avgForward      x -> y                                             y = sum / divisor
 *   avgBackward     dy -> dx +=                                        dy / divisor to every input element
 * </pre>
 *
 * Padding never wins a max (it is minus infinity) and adds zeros to an average. The argmax is the index within
 * the (H, W) plane of the first maximum in row-major window order; a NaN wins over numbers (and a later NaN over
 * an earlier), as in PyTorch. Pooling is memory-bound: the loops are scalar except LeNet's 2 x 2 / stride 2 max
 * pool, which takes LANES windows at a time; all are threaded over the N x C planes, and results do not depend on
 * the thread count.
 */
public final class Pool {
    /**
     * One pooling call's arguments ({@link CallArguments}); its parts each do one (n, c) plane.
     */
    private static final class Call extends CallArguments {
        private static final ThreadLocal<Call> MINE = ThreadLocal.withInitial(Call::new);
        PoolSpec s;
        float[] in;
        int inOff;
        float[] out;
        int outOff;
        int[] argmax;
        boolean simple2x2;
        final IntConsumer maxForward = p -> maxForwardPlane(this, p);
        final IntConsumer maxBackward = p -> maxBackwardPlane(this, p);
        final IntConsumer avgForward = p -> avgForwardPlane(this, p);
        final IntConsumer avgBackward = p -> avgBackwardPlane(this, p);

        /** This thread's block for a new call on {@code s} (a fresh one if a call of this thread is running). */
        static Call start(PoolSpec s) {
            Call c = borrow(MINE, Call::new);
            c.s = s;
            return c;
        }

        /** Runs {@code part} (one of this block's) over every plane, from {@code in} into {@code out}. */
        void eachPlane(float[] in, int inOff, float[] out, int outOff, IntConsumer part) {
            this.in = in;
            this.inOff = inOff;
            this.out = out;
            this.outOff = outOff;
            Parallel.run(s.batch * s.channels, part);
        }

        @Override
        protected void clear() {
            s = null;
            in = out = null;
            argmax = null;
        }
    }

    /** Ints of the vectors' width, for the argmax of the vector 2x2 path. */
    private static final VectorSpecies<Integer> INT_SPECIES = VectorSpecies.of(int.class, SPECIES.vectorShape());

    private Pool() {
    }

    /**
     * {@code y := max pooling of x}, recording in {@code argmax} where each maximum came from.
     *
     * @param s the pooling: shapes, window, stride, padding, modes
     * @param y      output (N,C,OH,OW), modified
     * @param argmax one int per output element (row-major), modified: the maximum's index in its (H,W) plane
     * @param x      input (N,C,H,W), not modified
     */
    public static void maxForward(PoolSpec s, Tensor y, int[] argmax, Tensor x) {
        String op = "maxpool forward";
        checkTensors(op, s, y, x);
        checkArgmax(op, s, argmax);
        Tensor xc = x.contiguous();
        Tensor yc = y.isContiguous() ? y : Tensor.zeros(y.shape());
        float[] xd = xc.data();
        float[] yd = yc.data();
        int xOff = xc.offset();
        int yOff = yc.offset();
        int plane = s.inH * s.inW;
        boolean simple2x2 = s.kernelH == 2 && s.kernelW == 2 && s.strideH == 2 && s.strideW == 2 && s.padH == 0
                && s.padW == 0 && 2 * s.outH <= s.inH && 2 * s.outW <= s.inW && plane < (1 << 24)
                && INT_SPECIES.length() == LANES;
        try (Call c = Call.start(s)) {
            c.argmax = argmax;
            c.simple2x2 = simple2x2;
            c.eachPlane(xd, xOff, yd, yOff, c.maxForward);
        }
        if (yc != y) {
            y.copyFrom(yc);
        }
    }

    // plane p of maxForward
    private static void maxForwardPlane(Call c, int p) {
        PoolSpec s = c.s;
        float[] xd = c.in;
        float[] yd = c.out;
        int yOff = c.outOff;
        int[] argmax = c.argmax;
        int plane = s.inH * s.inW;
        int outPlane = s.outH * s.outW;
        int xb = c.inOff + p * plane;
        if (c.simple2x2) {
            max2x2(s, xd, xb, yd, yOff + p * outPlane, argmax, p * outPlane);
            return;
        }
        for (int oh = 0; oh < s.outH; oh++) {
            int h0 = Math.max(oh * s.strideH - s.padH, 0);
            int h1 = Math.min(oh * s.strideH - s.padH + s.kernelH, s.inH);
            for (int ow = 0; ow < s.outW; ow++) {
                int w0 = Math.max(ow * s.strideW - s.padW, 0);
                int w1 = Math.min(ow * s.strideW - s.padW + s.kernelW, s.inW);
                float max = Float.NEGATIVE_INFINITY;
                int at = h0 * s.inW + w0;
                for (int ih = h0; ih < h1; ih++) {
                    for (int iw = w0; iw < w1; iw++) {
                        float v = xd[xb + ih * s.inW + iw];
                        // select, not branch: which element wins is data-dependent, and a mispredicted
                        // branch per element costs more than the rest of the loop
                        boolean take = v > max || v != v;
                        max = take ? v : max;
                        at = take ? ih * s.inW + iw : at;
                    }
                }
                int o = p * outPlane + oh * s.outW + ow;
                yd[yOff + o] = max;
                argmax[o] = at;
            }
        }
    }

    /** Lanes 0, 2, 4, ... and 1, 3, 5, ... of two concatenated vectors, for {@code v1.rearrange(shuffle, v2)}. */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(SPECIES, l -> 2 * l);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(SPECIES, l -> 2 * l + 1);
    private static final FloatVector FIRST_COLUMNS = FloatVector.fromArray(SPECIES, evenIndices(), 0);

    private static float[] evenIndices() {
        float[] idx = new float[LANES];
        for (int l = 0; l < LANES; l++) {
            idx[l] = 2 * l;
        }
        return idx;
    }

    // x plane (H, W) -> y (OH, OW), argmax: LeNet's 2x2 / stride 2 windows, all inside the plane. LANES outputs at
    // a time: the two input rows' even and odd columns are the window's four candidates, taken in PyTorch's order
    // (a greater value, or a NaN, wins), and the winner's index rides along as a float (exact below 2^24). The
    // rows are read as whole vectors (lanes past the windows only make outputs that are not stored), and the
    // outputs stored whole where their lanes past the row land on later rows of this plane, which are written
    // later: masked loads and stores ran LeNet's two poolings at 290-320 us a step at 256 bits.
    private static void max2x2(PoolSpec s, float[] x, int xb, float[] y, int yb, int[] argmax, int ab) {
        int w = s.inW;
        int outPlane = s.outH * s.outW;
        for (int oh = 0; oh < s.outH; oh++) {
            int r0 = 2 * oh * w;
            for (int ow0 = 0; ow0 < s.outW; ow0 += LANES) {
                int count = Math.min(LANES, s.outW - ow0);
                int i0 = r0 + 2 * ow0;
                int o = oh * s.outW + ow0;
                if (!Simd.fits(xb + i0 + w + LANES, x.length) || !Simd.fits(yb + o, y.length)
                        || !Simd.fits(ab + o, argmax.length)) {
                    max2x2Scalar(x, xb, i0, w, y, yb + o, argmax, ab + o, count);
                    continue;
                }
                FloatVector a0 = FloatVector.fromArray(SPECIES, x, xb + i0);
                FloatVector a1 = FloatVector.fromArray(SPECIES, x, xb + i0 + LANES);
                FloatVector b0 = FloatVector.fromArray(SPECIES, x, xb + i0 + w);
                FloatVector b1 = FloatVector.fromArray(SPECIES, x, xb + i0 + w + LANES);
                FloatVector at0 = FIRST_COLUMNS.add((float) i0);       // each window's first column
                FloatVector max = a0.rearrange(EVEN, a1);
                FloatVector at = at0;
                FloatVector c = a0.rearrange(ODD, a1);
                VectorMask<Float> take = c.compare(GT, max).or(c.test(IS_NAN));
                max = max.blend(c, take);
                at = at.blend(at0.add(1f), take);
                c = b0.rearrange(EVEN, b1);
                take = c.compare(GT, max).or(c.test(IS_NAN));
                max = max.blend(c, take);
                at = at.blend(at0.add((float) w), take);
                c = b0.rearrange(ODD, b1);
                take = c.compare(GT, max).or(c.test(IS_NAN));
                max = max.blend(c, take);
                at = at.blend(at0.add((float) (w + 1)), take);
                IntVector index = (IntVector) at.convert(VectorOperators.F2I, 0);
                if (o + LANES <= outPlane) {
                    max.intoArray(y, yb + o);
                    index.intoArray(argmax, ab + o);
                } else {
                    VectorMask<Float> out = SPECIES.indexInRange(0, count);
                    max.intoArray(y, yb + o, out);
                    index.intoArray(argmax, ab + o, out.cast(INT_SPECIES));
                }
            }
        }
    }

    // max2x2's windows ow0 .. ow0 + count - 1 element by element, in the same order (for the end of an array)
    private static void max2x2Scalar(float[] x, int xb, int i0, int w, float[] y, int yo, int[] argmax, int ao,
                                     int count) {
        for (int j = 0; j < count; j++) {
            int first = i0 + 2 * j;
            float max = x[xb + first];
            int at = first;
            for (int c = 1; c < 4; c++) {
                int i = first + (c >> 1) * w + (c & 1);
                float v = x[xb + i];
                if (v > max || Float.isNaN(v)) {
                    max = v;
                    at = i;
                }
            }
            y[yo + j] = max;
            argmax[ao + j] = at;
        }
    }

    /**
     * {@code dx[argmax] += dy}: each output gradient to the input element its window's maximum came from.
     *
     * @param s the pooling: shapes, window, stride, padding, modes
     * @param dx     gradient of the input (N,C,H,W), accumulated into
     * @param dy     gradient of the output (N,C,OH,OW), not modified
     * @param argmax from {@link #maxForward}, not modified
     */
    public static void maxBackward(PoolSpec s, Tensor dx, Tensor dy, int[] argmax) {
        String op = "maxpool backward";
        checkTensors(op, s, dy, dx);
        checkArgmax(op, s, argmax);
        int plane = s.inH * s.inW;
        for (int i = 0; i < argmax.length; i++) {
            if (argmax[i] < 0 || argmax[i] >= plane) {
                throw new IllegalArgumentException(op + ": argmax[" + i + "] = " + argmax[i] + " is outside the "
                        + s.inH + " x " + s.inW + " plane; pass the argmax that maxForward filled for " + s);
            }
        }
        Tensor dyc = dy.contiguous();
        Tensor dxc = dx.isContiguous() ? dx : dx.copy();
        float[] g = dyc.data();
        float[] d = dxc.data();
        int gOff = dyc.offset();
        int dOff = dxc.offset();
        // one plane per part: windows overlap within a plane, so a plane is never split
        try (Call c = Call.start(s)) {
            c.argmax = argmax;
            c.eachPlane(g, gOff, d, dOff, c.maxBackward);
        }
        if (dxc != dx) {
            dx.copyFrom(dxc);
        }
    }

    // plane p of maxBackward
    private static void maxBackwardPlane(Call c, int p) {
        int plane = c.s.inH * c.s.inW;
        int outPlane = c.s.outH * c.s.outW;
        for (int o = p * outPlane; o < (p + 1) * outPlane; o++) {
            c.out[c.outOff + p * plane + c.argmax[o]] += c.in[c.inOff + o];
        }
    }

    /**
     * {@code y := average pooling of x}.
     *
     * @param s the pooling: shapes, window, stride, padding, modes
     * @param y output (N,C,OH,OW), modified
     * @param x input (N,C,H,W), not modified
     */
    public static void avgForward(PoolSpec s, Tensor y, Tensor x) {
        String op = "avgpool forward";
        checkTensors(op, s, y, x);
        Tensor xc = x.contiguous();
        Tensor yc = y.isContiguous() ? y : Tensor.zeros(y.shape());
        float[] xd = xc.data();
        float[] yd = yc.data();
        int xOff = xc.offset();
        int yOff = yc.offset();
        try (Call c = Call.start(s)) {
            c.eachPlane(xd, xOff, yd, yOff, c.avgForward);
        }
        if (yc != y) {
            y.copyFrom(yc);
        }
    }

    // plane p of avgForward
    private static void avgForwardPlane(Call c, int p) {
        PoolSpec s = c.s;
        float[] xd = c.in;
        float[] yd = c.out;
        int yOff = c.outOff;
        int plane = s.inH * s.inW;
        int outPlane = s.outH * s.outW;
        int xb = c.inOff + p * plane;
        for (int oh = 0; oh < s.outH; oh++) {
            for (int ow = 0; ow < s.outW; ow++) {
                int h0 = oh * s.strideH - s.padH;
                int w0 = ow * s.strideW - s.padW;
                int h1 = Math.min(h0 + s.kernelH, s.inH);
                int w1 = Math.min(w0 + s.kernelW, s.inW);
                float divisor = divisor(s, h0, w0);
                float sum = 0f;
                for (int ih = Math.max(h0, 0); ih < h1; ih++) {
                    for (int iw = Math.max(w0, 0); iw < w1; iw++) {
                        sum += xd[xb + ih * s.inW + iw];
                    }
                }
                yd[yOff + p * outPlane + oh * s.outW + ow] = sum / divisor;
            }
        }
    }

    /**
     * {@code dx += dy / divisor} over every input element of each window.
     *
     * @param s the pooling: shapes, window, stride, padding, modes
     * @param dx gradient of the input (N,C,H,W), accumulated into
     * @param dy gradient of the output (N,C,OH,OW), not modified
     */
    public static void avgBackward(PoolSpec s, Tensor dx, Tensor dy) {
        String op = "avgpool backward";
        checkTensors(op, s, dy, dx);
        Tensor dyc = dy.contiguous();
        Tensor dxc = dx.isContiguous() ? dx : dx.copy();
        float[] g = dyc.data();
        float[] d = dxc.data();
        int gOff = dyc.offset();
        int dOff = dxc.offset();
        try (Call c = Call.start(s)) {
            c.eachPlane(g, gOff, d, dOff, c.avgBackward);
        }
        if (dxc != dx) {
            dx.copyFrom(dxc);
        }
    }

    // plane p of avgBackward
    private static void avgBackwardPlane(Call c, int p) {
        PoolSpec s = c.s;
        float[] g = c.in;
        int gOff = c.inOff;
        float[] d = c.out;
        int plane = s.inH * s.inW;
        int outPlane = s.outH * s.outW;
        int db = c.outOff + p * plane;
        for (int oh = 0; oh < s.outH; oh++) {
            for (int ow = 0; ow < s.outW; ow++) {
                int h0 = oh * s.strideH - s.padH;
                int w0 = ow * s.strideW - s.padW;
                int h1 = Math.min(h0 + s.kernelH, s.inH);
                int w1 = Math.min(w0 + s.kernelW, s.inW);
                float share = g[gOff + p * outPlane + oh * s.outW + ow] / divisor(s, h0, w0);
                for (int ih = Math.max(h0, 0); ih < h1; ih++) {
                    for (int iw = Math.max(w0, 0); iw < w1; iw++) {
                        d[db + ih * s.inW + iw] += share;
                    }
                }
            }
        }
    }

    /** The window at (h0, w0) (top-left, padded coordinates shifted by -pad): its size, as PyTorch counts it. */
    private static float divisor(PoolSpec s, int h0, int w0) {
        if (s.countIncludePad) {
            int h = Math.min(h0 + s.kernelH, s.inH + s.padH) - h0;
            int w = Math.min(w0 + s.kernelW, s.inW + s.padW) - w0;
            return h * w;
        }
        int h = Math.min(h0 + s.kernelH, s.inH) - Math.max(h0, 0);
        int w = Math.min(w0 + s.kernelW, s.inW) - Math.max(w0, 0);
        return h * w;
    }

    private static void checkTensors(String op, PoolSpec s, Tensor out, Tensor in) {
        boolean forward = op.endsWith("forward");
        if (out == null || !s.fitsOutput(out)) {
            throw Checks.shapeError(op, forward ? "y" : "dy", out, s.outputShape(), s);
        }
        if (in == null || !s.fitsInput(in)) {
            throw Checks.shapeError(op, forward ? "x" : "dx", in, s.inputShape(), s);
        }
        Tensor written = forward ? out : in;
        Checks.requireDistinct(op, forward ? "y" : "dx", written, forward ? in : out, null, null);
        written.requireWritable(op);
    }

    private static void checkArgmax(String op, PoolSpec s, int[] argmax) {
        int n = s.batch * s.channels * s.outH * s.outW;
        if (argmax == null || argmax.length != n) {
            throw new IllegalArgumentException(op + ": argmax has " + (argmax == null ? "no array" : argmax.length
                    + " elements") + " but " + s + " has " + n + " outputs " + Arrays.toString(s.outputShape()));
        }
    }
}
