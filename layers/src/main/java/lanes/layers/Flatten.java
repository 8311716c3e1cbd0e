package lanes.layers;

import lanes.engine.Tensor;

/**
 * {@code (N, d1, d2, ...) -> (N, d1*d2*...)}: a view of the same elements, and the reverse for the gradient. The
 * views are kept and reused while their source is the same contiguous view as last time, so a warm step allocates
 * nothing.
 */
public final class Flatten implements Layer {
    private Tensor x;
    private Tensor y;
    private Tensor dy;
    private Tensor dx;

    /** A flatten layer. */
    public Flatten() {
    }

    @Override
    public Tensor forward(Tensor input) {
        // a copy (of a non-contiguous input) is never reused: its source may have changed since
        if (x == null || !input.isContiguous() || !input.sameView(x)) {
            x = input;
            y = input.contiguous().reshape(input.shape(0), input.size() / Math.max(1, input.shape(0)));
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradient) {
        Buffers.requireGradient(this, gradient, y);
        if (dy == null || !gradient.isContiguous() || !gradient.sameView(dy) || !dx.sameShape(x)) {
            dy = gradient;
            dx = gradient.contiguous().reshape(x.shape());
        }
        return dx;
    }

    @Override
    public String toString() {
        return "Flatten()";
    }
}
