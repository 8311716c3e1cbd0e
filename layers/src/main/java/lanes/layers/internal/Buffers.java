package lanes.layers.internal;


import java.util.Arrays;
import lanes.engine.Tensor;
import lanes.engine.math.Activations;

/**
 * What the layers share beside their buffers ({@link Workspace}): the ReLU mask and the checks of their inputs.
 * Nothing here allocates unless it throws; messages are built only on failure.
 */
public final class Buffers {
    private Buffers() {
    }

    /**
     * {@code out := dy * [y > 0]} elementwise (all three contiguous, of one shape): a ReLU's backward from its
     * output, since y = max(x, 0) > 0 exactly where x > 0 (NaN included: NaN > 0 is false).
     */
    public static void maskByPositive(Tensor dy, Tensor y, Tensor out) {
        Activations.reluBackward(y.size(), out.data(), out.offset(), dy.data(), dy.offset(), y.data(), y.offset());
    }

    /** Throws unless {@code t} has rank {@code rank}, naming the layer and the shape. */
    public static void requireRank(Object layer, String what, Tensor t, int rank) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException(layer + ": " + what + " must have rank " + rank + " but has shape "
                    + Arrays.toString(t.shape()));
        }
    }

    /** Throws unless {@code dy} has the shape of the output {@code y} of the last forward. */
    public static void requireGradient(Object layer, Tensor dy, Tensor y) {
        if (y == null) {
            throw new IllegalStateException(layer + ": backward called before forward");
        }
        if (!dy.sameShape(y)) {
            throw new IllegalArgumentException(layer + ": dy has shape " + Arrays.toString(dy.shape())
                    + " but the last forward's output has shape " + Arrays.toString(y.shape()));
        }
    }
}
