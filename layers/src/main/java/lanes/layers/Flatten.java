package lanes.layers;

import lanes.engine.Tensor;

/** {@code (N, d1, d2, ...) -> (N, d1*d2*...)}: a view of the same elements, and the reverse for the gradient. */
public final class Flatten implements Layer {
    private int[] inShape;
    private Tensor y;

    /** A flatten layer. */
    public Flatten() {
    }

    @Override
    public Tensor forward(Tensor x) {
        inShape = x.shape();
        y = x.contiguous().reshape(x.shape(0), x.size() / Math.max(1, x.shape(0)));
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Buffers.requireGradient("Flatten", dy, y);
        return dy.contiguous().reshape(inShape);
    }

    @Override
    public String toString() {
        return "Flatten()";
    }
}
