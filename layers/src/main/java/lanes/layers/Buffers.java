package lanes.layers;

import java.util.Arrays;
import lanes.engine.Tensor;

/** Layer-owned output buffers: one tensor per role, reallocated only when the shape asked for changes. */
final class Buffers {
    private Buffers() {
    }

    /** {@code current} if it has {@code shape}, else a new zeroed tensor of it. */
    static Tensor reuse(Tensor current, int... shape) {
        return current != null && Arrays.equals(current.shape(), shape) ? current : Tensor.zeros(shape);
    }

    /** Throws unless {@code t} has rank {@code rank}, naming the layer and the shape. */
    static void requireRank(String layer, String what, Tensor t, int rank) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException(layer + ": " + what + " must have rank " + rank + " but has shape "
                    + Arrays.toString(t.shape()));
        }
    }

    /** Throws unless {@code dy} has the shape of the output {@code y} of the last forward. */
    static void requireGradient(String layer, Tensor dy, Tensor y) {
        if (y == null) {
            throw new IllegalStateException(layer + ": backward called before forward");
        }
        if (!Arrays.equals(dy.shape(), y.shape())) {
            throw new IllegalArgumentException(layer + ": dy has shape " + Arrays.toString(dy.shape())
                    + " but the last forward's output has shape " + Arrays.toString(y.shape()));
        }
    }
}
