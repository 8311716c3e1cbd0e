package lanes.layers.nn;

import java.util.Arrays;
import lanes.engine.Tensor;
import lanes.layers.internal.Buffers;

/**
 * {@code (N, ...) -> (N, shape...)}: a view of the same elements in another shape of the same size (e.g. images
 * (N, 1, 28, 28) as sequences (N, 28, 28) of 28 steps for a time-delay network), and the reverse for the gradient.
 */
public final class Reshape implements Layer {
    private final int[] shape;
    private final String text;
    private Tensor x;
    private Tensor y;

    /**
     * A reshape of each example to {@code shape}.
     *
     * @param shape the shape of one example after the reshape; one extent may be -1
     */
    public Reshape(int... shape) {
        this(null, shape);
    }

    /**
     * A reshape of each example to {@code shape} that PyTorch writes as {@code text}: {@code Flatten(1, 2)} for
     * images (N, 1, 28, 28) as sequences (N, 28, 28), say. The text is what {@link #toString} prints.
     *
     * @param text the PyTorch layer that does this reshape for this model's inputs, or null
     * @param shape the shape of one example after the reshape; one extent may be -1
     */
    public Reshape(String text, int... shape) {
        this.shape = shape.clone();
        this.text = text;
    }

    /**
     * The shape each example takes.
     *
     * @return a copy of the shape given, a {@code -1} included
     */
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public Reshape replica() {
        return new Reshape(text, shape);
    }

    @Override
    public Tensor forward(Tensor input) {
        int[] out = new int[shape.length + 1];
        out[0] = input.shape(0);
        System.arraycopy(shape, 0, out, 1, shape.length);
        if (input.size() != Arrays.stream(out).asLongStream().reduce(1, (a, b) -> a * b)) {
            throw new IllegalArgumentException(this + ": x of shape " + Arrays.toString(input.shape())
                    + " does not have the size of " + Arrays.toString(out));
        }
        x = input;
        y = input.contiguous().reshape(out);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Buffers.requireGradient(this, dy, y);
        return dy.contiguous().reshape(x.shape());
    }

    /** The PyTorch text given, else {@code Unflatten(1, (shape...))}: the same reshape of a flat input. */
    @Override
    public String toString() {
        if (text != null) {
            return text;
        }
        StringBuilder b = new StringBuilder("Unflatten(1, (");
        for (int i = 0; i < shape.length; i++) {
            b.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return b.append(shape.length == 1 ? ",))" : "))").toString();
    }
}
