package lanes.engine.conv;

import java.util.Arrays;
import lanes.engine.Simd;
import lanes.engine.Tensor;
import lanes.engine.gemm.Epilogue;
import lanes.engine.internal.Checks;

/**
 * Convolution kernels, 1-D and 2-D, on tensors: forward and its two backward passes side by side, with one
 * argument order (results first, gradients with a {@code d}). The geometry, and the formula, is a {@link ConvSpec};
 * the tensors' shapes must be the spec's (the exception names both). Any tensor may be a strided view: views
 * that are not contiguous are copied in (and out) around the direct kernels.
 *
 * <pre>
 *   forward          x (N,C,H,W), w (OC,C/g,KH,KW), bias (OC) or null  ->  y (N,OC,OH,OW)    y  := conv(x, w) + bias
 *   backwardData     dy (N,OC,OH,OW), w                                ->  dx (N,C,H,W)      dx += conv^T(dy, w)
 *   backwardWeights  dy, x                                             ->  dw, db (or null)  dw += sum_n,oh,ow ...
 * </pre>
 *
 * 1-D specs take {@code (N,C,L)} tensors and {@code (OC,C/g,K)} weights. Backward passes accumulate, so a layer
 * zeroes its gradients once per step. Outputs must not share memory with inputs. Multi-threaded on
 * {@link lanes.engine.Parallel}; results are bitwise the same for any thread count. Under
 * {@code -Dlanes.scalar=true} each pass runs as the plain loop nest instead (single-threaded, no vectors).
 */
public final class Conv {
    private Conv() {
    }

    /**
     * {@code y := conv(x, w) + bias}.
     *
     * @param s the convolution: shapes, stride, padding, dilation, groups
     * @param y    output (N,OC,OH,OW), modified
     * @param x    input (N,C,H,W), not modified
     * @param w    weights (OC,C/groups,KH,KW), not modified
     * @param bias (OC) or null, not modified
     */
    public static void forward(ConvSpec s, Tensor y, Tensor x, Tensor w, Tensor bias) {
        forward(s, y, x, w, bias, null);
    }

    /**
     * {@code y := conv(x, w) + bias}, then {@code epilogue} (null: none) fused into the kernel's write-back: the
     * same {@link Epilogue} GEMM runs, with each image's output seen as the matrix C of OC rows (its channels) by
     * OH*OW columns (its positions, row-major), called on each finished row of positions while it is still in
     * cache. {@link Epilogue#relu()} gives the bits of a separate {@code max(y, 0)} pass, one pass over y fewer.
     *
     * @param s the convolution: shapes, stride, padding, dilation, groups
     * @param y    output (N,OC,OH,OW), modified
     * @param x    input (N,C,H,W), not modified
     * @param w    weights (OC,C/groups,KH,KW), not modified
     * @param bias (OC) or null, not modified
     * @param epilogue applied to y's final values, or null
     */
    public static void forward(ConvSpec s, Tensor y, Tensor x, Tensor w, Tensor bias, Epilogue epilogue) {
        String op = "conv forward";
        if (x == null || !s.fitsInput(x)) {
            throw Checks.shapeError(op, "x", x, s.inputShape(), s);
        }
        if (w == null || !s.fitsWeights(w)) {
            throw Checks.shapeError(op, "w", w, s.weightShape(), s);
        }
        if (y == null || !s.fitsOutput(y)) {
            throw Checks.shapeError(op, "y", y, s.outputShape(), s);
        }
        if (bias != null) {
            if (bias.rank() != 1 || bias.shape(0) != s.outChannels) {
                throw Checks.shapeError(op, "bias", bias, new int[] {s.outChannels}, s);
            }
        }
        Checks.requireDistinct(op, "y", y, x, w, bias);
        y.requireWritable(op);
        Tensor xc = x.contiguous();
        Tensor wc = w.contiguous();
        Tensor bc = bias == null ? null : bias.contiguous();
        Tensor yc = y.isContiguous() ? y : Tensor.zeros(y.shape());
        if (Simd.SCALAR) {
            PlainConv.forward(s, yc.data(), yc.offset(), xc.data(), xc.offset(), wc.data(), wc.offset(),
                    bc == null ? null : bc.data(), bc == null ? 0 : bc.offset(), epilogue);
        } else {
            DirectForward.forward(s, yc.data(), yc.offset(), xc.data(), xc.offset(), wc.data(), wc.offset(),
                    bc == null ? null : bc.data(), bc == null ? 0 : bc.offset(), epilogue);
        }
        if (yc != y) {
            y.copyFrom(yc);
        }
    }

    /**
     * {@code dx += conv^T(dy, w)}: the gradient with respect to the input.
     *
     * @param s the convolution: shapes, stride, padding, dilation, groups
     * @param dx gradient of the input (N,C,H,W), accumulated into
     * @param dy gradient of the output (N,OC,OH,OW), not modified
     * @param w  weights (OC,C/groups,KH,KW), not modified
     */
    public static void backwardData(ConvSpec s, Tensor dx, Tensor dy, Tensor w) {
        String op = "conv backwardData";
        if (dx == null || !s.fitsInput(dx)) {
            throw Checks.shapeError(op, "dx", dx, s.inputShape(), s);
        }
        if (dy == null || !s.fitsOutput(dy)) {
            throw Checks.shapeError(op, "dy", dy, s.outputShape(), s);
        }
        if (w == null || !s.fitsWeights(w)) {
            throw Checks.shapeError(op, "w", w, s.weightShape(), s);
        }
        Checks.requireDistinct(op, "dx", dx, dy, w, null);
        dx.requireWritable(op);
        Tensor dyc = dy.contiguous();
        Tensor wc = w.contiguous();
        Tensor dxc = dx.isContiguous() ? dx : dx.copy();
        if (Simd.SCALAR) {
            PlainConv.backwardData(s, dxc.data(), dxc.offset(), dyc.data(), dyc.offset(), wc.data(), wc.offset());
        } else {
            DirectBackwardData.backwardData(s, dxc.data(), dxc.offset(), dyc.data(), dyc.offset(), wc.data(),
                    wc.offset());
        }
        if (dxc != dx) {
            dx.copyFrom(dxc);
        }
    }

    /**
     * {@code dw += sum over n, oh, ow of dy * x} (the shared-weight gradient) and {@code db += sum of dy}.
     *
     * @param s the convolution: shapes, stride, padding, dilation, groups
     * @param dw gradient of the weights (OC,C/groups,KH,KW), accumulated into
     * @param db gradient of the bias (OC), accumulated into; null to skip it
     * @param dy gradient of the output (N,OC,OH,OW), not modified
     * @param x  input (N,C,H,W), not modified
     */
    public static void backwardWeights(ConvSpec s, Tensor dw, Tensor db, Tensor dy, Tensor x) {
        String op = "conv backwardWeights";
        if (dw == null || !s.fitsWeights(dw)) {
            throw Checks.shapeError(op, "dw", dw, s.weightShape(), s);
        }
        if (db != null) {
            if (db.rank() != 1 || db.shape(0) != s.outChannels) {
                throw Checks.shapeError(op, "db", db, new int[] {s.outChannels}, s);
            }
            Checks.requireDistinct(op, "db", db, dy, x, dw);
            db.requireWritable(op);
        }
        if (dy == null || !s.fitsOutput(dy)) {
            throw Checks.shapeError(op, "dy", dy, s.outputShape(), s);
        }
        if (x == null || !s.fitsInput(x)) {
            throw Checks.shapeError(op, "x", x, s.inputShape(), s);
        }
        Checks.requireDistinct(op, "dw", dw, dy, x, null);
        dw.requireWritable(op);
        Tensor dyc = dy.contiguous();
        Tensor xc = x.contiguous();
        Tensor dwc = dw.isContiguous() ? dw : dw.copy();
        Tensor dbc = db == null || db.isContiguous() ? db : db.copy();
        if (Simd.SCALAR) {
            PlainConv.backwardWeights(s, dwc.data(), dwc.offset(), dbc == null ? null : dbc.data(),
                    dbc == null ? 0 : dbc.offset(), dyc.data(), dyc.offset(), xc.data(), xc.offset());
        } else {
            DirectBackwardWeights.backwardWeights(s, dwc.data(), dwc.offset(), dbc == null ? null : dbc.data(),
                    dbc == null ? 0 : dbc.offset(), dyc.data(), dyc.offset(), xc.data(), xc.offset());
        }
        if (dwc != dw) {
            dw.copyFrom(dwc);
        }
        if (dbc != db) {
            db.copyFrom(dbc);
        }
    }
}
