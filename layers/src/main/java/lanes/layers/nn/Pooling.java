package lanes.layers.nn;

import lanes.engine.Tensor;
import lanes.engine.VectorApi;
import lanes.engine.pool.Pool;
import lanes.engine.pool.PoolSpec;
import lanes.layers.internal.Buffers;
import lanes.layers.internal.Recent;
import lanes.layers.internal.Workspace;

/**
 * Max and average pooling layers, 1-D and 2-D, as PyTorch's {@code MaxPool1d/2d} and {@code AvgPool1d/2d}
 * (kernel, stride, padding, ceil_mode, count_include_pad), on the engine's {@link Pool}.
 */
public final class Pooling implements Layer {
    /** True for max pooling, false for average pooling. */
    public final boolean max;
    /** Spatial dimensions: 1 or 2. */
    public final int rank;
    /** Window size in every dimension. */
    public final int kernel;
    /** Step between windows. */
    public final int stride;
    /** Padding on each side. */
    public final int padding;
    /** True if the output size rounds up: a last, partial window counts. */
    public final boolean ceilMode;
    /** True if an average divides by the whole window, padding included. */
    public final boolean countIncludePad;
    private PoolSpec spec;
    /** The geometries of the last few input shapes, and the argmax arrays of their outputs' sizes. */
    private final Recent<PoolSpec> specs = new Recent<>();
    private final Recent<int[]> argmaxes = new Recent<>();
    private int[] argmax;
    private Tensor y;
    private final Workspace yBuffer = new Workspace();
    private Tensor dx;
    private final Workspace dxBuffer = new Workspace();

    private Pooling(boolean max, int rank, int kernel, int stride, int padding, boolean ceilMode,
                    boolean countIncludePad) {
        VectorApi.require();       // one clear line where the JVM lacks --add-modules jdk.incubator.vector
        this.max = max;
        this.rank = rank;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
        // validates kernel, stride and padding (the input size is checked per batch)
        PoolSpec.pool1d(1, 1, Math.max(kernel, 1), kernel, stride, padding, ceilMode, countIncludePad);
    }

    @Override
    public Pooling replica() {
        return new Pooling(max, rank, kernel, stride, padding, ceilMode, countIncludePad);
    }

    /**
     * {@code nn.MaxPool2d(kernel, stride, padding, ceil_mode)}.
     *
     * @param kernel the window size
     * @param stride the step between windows
     * @param padding the padding on each side
     * @param ceilMode true to round the output size up (a last, partial window), as PyTorch's ceil_mode
     * @return the layer
     */
    public static Pooling maxPool2d(int kernel, int stride, int padding, boolean ceilMode) {
        return new Pooling(true, 2, kernel, stride, padding, ceilMode, true);
    }

    /**
     * {@code nn.AvgPool2d(kernel, stride, padding, ceil_mode, count_include_pad)}.
     *
     * @param kernel the window size
     * @param stride the step between windows
     * @param padding the padding on each side
     * @param ceilMode true to round the output size up (a last, partial window), as PyTorch's ceil_mode
     * @param countIncludePad true if an average divides by the whole window, padding included
     * @return the layer
     */
    public static Pooling avgPool2d(int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        return new Pooling(false, 2, kernel, stride, padding, ceilMode, countIncludePad);
    }

    /**
     * {@code nn.MaxPool1d(kernel, stride, padding, ceil_mode)}.
     *
     * @param kernel the window size
     * @param stride the step between windows
     * @param padding the padding on each side
     * @param ceilMode true to round the output size up (a last, partial window), as PyTorch's ceil_mode
     * @return the layer
     */
    public static Pooling maxPool1d(int kernel, int stride, int padding, boolean ceilMode) {
        return new Pooling(true, 1, kernel, stride, padding, ceilMode, true);
    }

    /**
     * {@code nn.AvgPool1d(kernel, stride, padding, ceil_mode, count_include_pad)}.
     *
     * @param kernel the window size
     * @param stride the step between windows
     * @param padding the padding on each side
     * @param ceilMode true to round the output size up (a last, partial window), as PyTorch's ceil_mode
     * @param countIncludePad true if an average divides by the whole window, padding included
     * @return the layer
     */
    public static Pooling avgPool1d(int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        return new Pooling(false, 1, kernel, stride, padding, ceilMode, countIncludePad);
    }

    private PoolSpec specFor(Tensor x) {
        Buffers.requireRank(this, "x", x, rank + 2);
        if (spec != null && spec.fitsInput(x)) {
            return spec;
        }
        for (int i = 0; i < Recent.SIZE; i++) {
            PoolSpec kept = specs.get(i);
            if (kept != null && kept.fitsInput(x)) {
                spec = kept;
                return spec;
            }
        }
        int[] s = x.shape();
        spec = specs.add(rank == 2
                ? PoolSpec.pool2d(s[0], s[1], s[2], s[3], kernel, kernel, stride, stride, padding, padding,
                        ceilMode, countIncludePad)
                : PoolSpec.pool1d(s[0], s[1], s[2], kernel, stride, padding, ceilMode, countIncludePad));
        return spec;
    }

    @Override
    public Tensor forward(Tensor x) {
        PoolSpec s = specFor(x);
        y = s.rank == 1 ? yBuffer.get(s.batch, s.channels, s.outW) : yBuffer.get(s.batch, s.channels, s.outH, s.outW);
        if (max) {
            argmax = argmax != null && argmax.length == y.size() ? argmax : Recent.ints(argmaxes, y.size());
            Pool.maxForward(s, y, argmax, x);
        } else {
            Pool.avgForward(s, y, x);
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Buffers.requireGradient(this, dy, y);
        PoolSpec s = spec;
        dx = s.rank == 1 ? dxBuffer.get(s.batch, s.channels, s.inW) : dxBuffer.get(s.batch, s.channels, s.inH, s.inW);
        dx.fill(0f);
        if (max) {
            Pool.maxBackward(spec, dx, dy, argmax);
        } else {
            Pool.avgBackward(spec, dx, dy);
        }
        return dx;
    }

    @Override
    public String toString() {
        return (max ? "MaxPool" : "AvgPool") + rank + "d(" + kernel + (stride != kernel ? ", stride=" + stride : "")
                + (padding != 0 ? ", padding=" + padding : "") + (ceilMode ? ", ceil_mode=True" : "")
                + (!max && !countIncludePad ? ", count_include_pad=False" : "") + ")";
    }
}
