package lanes.layers;


import java.util.Arrays;
import lanes.engine.math.Activations;
import lanes.engine.Tensor;

/**
 * Layer-owned output buffers: one tensor per role, reallocated only when the shape asked for changes. None of
 * these methods allocates when the shape is unchanged (a warm training step allocates nothing); messages are built
 * only on failure.
 */
final class Buffers {
    private Buffers() {
    }

    /** {@code current} if it has shape (rows, cols), else a new zeroed tensor of it. */
    static Tensor reuse(Tensor current, int rows, int cols) {
        return current != null && current.rank() == 2 && current.shape(0) == rows && current.shape(1) == cols
                ? current : Tensor.zeros(rows, cols);
    }

    /** {@code current} if it has the shape of {@code like}, else a new zeroed tensor of that shape. */
    static Tensor reuseLike(Tensor current, Tensor like) {
        return current != null && current.sameShape(like) ? current : Tensor.zeros(like.shape());
    }

    /**
     * {@code out := dy * [y > 0]} elementwise (all three contiguous, of one shape): a ReLU's backward from its
     * output, since y = max(x, 0) > 0 exactly where x > 0 (NaN included: NaN > 0 is false).
     */
    static void maskByPositive(Tensor dy, Tensor y, Tensor out) {
        Activations.reluBackward(y.size(), out.data(), out.offset(), dy.data(), dy.offset(), y.data(), y.offset());
    }

    /** Throws unless {@code t} has rank {@code rank}, naming the layer and the shape. */
    static void requireRank(Object layer, String what, Tensor t, int rank) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException(layer + ": " + what + " must have rank " + rank + " but has shape "
                    + Arrays.toString(t.shape()));
        }
    }

    /** Throws unless {@code dy} has the shape of the output {@code y} of the last forward. */
    static void requireGradient(Object layer, Tensor dy, Tensor y) {
        if (y == null) {
            throw new IllegalStateException(layer + ": backward called before forward");
        }
        if (!dy.sameShape(y)) {
            throw new IllegalArgumentException(layer + ": dy has shape " + Arrays.toString(dy.shape())
                    + " but the last forward's output has shape " + Arrays.toString(y.shape()));
        }
    }
}
