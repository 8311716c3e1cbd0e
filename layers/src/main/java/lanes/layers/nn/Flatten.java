package lanes.layers.nn;

import lanes.engine.Tensor;
import lanes.layers.internal.Buffers;
import lanes.layers.internal.Recent;

/**
 * {@code (N, d1, d2, ...) -> (N, d1*d2*...)}: a view of the same elements, and the reverse for the gradient. The
 * views of the last few contiguous sources are kept and reused while a source is the same view as when its view
 * was made (the previous layer's buffers are such views), so a warm step allocates nothing, whatever the batch
 * sizes a run alternates between.
 */
public final class Flatten implements Layer {
    private Tensor x;
    private Tensor y;
    /** {source, view} pairs: inputs and their flat views, gradients and their reshaped views. */
    private final Recent<Tensor[]> forwardViews = new Recent<>();
    private final Recent<Tensor[]> backwardViews = new Recent<>();

    /** A flatten layer. */
    public Flatten() {
    }

    @Override
    public Flatten replica() {
        return new Flatten();
    }

    @Override
    public Tensor forward(Tensor input) {
        x = input;
        y = kept(forwardViews, input, null);
        if (y == null) {
            int n = input.shape(0);
            y = input.contiguous().reshape(n, input.size() / Math.max(1, n));
            keep(forwardViews, input, y);
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradient) {
        Buffers.requireGradient(this, gradient, y);
        Tensor dx = kept(backwardViews, gradient, x);
        if (dx == null) {
            dx = gradient.contiguous().reshape(x.shape());
            keep(backwardViews, gradient, dx);
        }
        return dx;
    }

    // the view kept for `source` (of the shape of `like`, if given), or null; a copy (of a non-contiguous source)
    // is never kept: its source may have changed since
    private static Tensor kept(Recent<Tensor[]> views, Tensor source, Tensor like) {
        if (!source.isContiguous()) {
            return null;
        }
        for (int i = 0; i < Recent.SIZE; i++) {
            Tensor[] pair = views.get(i);
            if (pair != null && source.sameView(pair[0]) && (like == null || pair[1].sameShape(like))) {
                return pair[1];
            }
        }
        return null;
    }

    private static void keep(Recent<Tensor[]> views, Tensor source, Tensor view) {
        if (source.isContiguous()) {
            views.add(new Tensor[] {source, view});
        }
    }

    @Override
    public String toString() {
        return "Flatten()";
    }
}
