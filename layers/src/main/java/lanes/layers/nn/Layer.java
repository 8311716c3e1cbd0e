package lanes.layers.nn;

import java.util.List;
import lanes.engine.Tensor;
import lanes.layers.infer.Predictor;

/**
 * A differentiable function of a batch, with PyTorch's shapes: {@link #forward} keeps what {@link #backward} needs
 * (the input or the output) in fields, and backward, given dL/dy for that last forward, adds each parameter's
 * gradient into {@link Parameter#grad} and returns dL/dx.
 *
 * <p>The tensors a layer returns are its own buffers, reused by its next call with the same input shape: copy one
 * that must outlive the next call. After the first call at a shape, forward and backward allocate nothing.
 */
public interface Layer {
    /**
     * y = f(x). {@code x} is not modified, and must stay unchanged until {@link #backward}.
     *
     * @param x the batch
     * @return y, a buffer of this layer's (reused by its next call at this shape)
     */
    Tensor forward(Tensor x);

    /**
     * dL/dx from dL/dy; parameter gradients accumulate.
     *
     * @param dy dL/dy, of the shape of the last forward's output
     * @return dL/dx, a buffer of this layer's, or null where no input gradient is asked for
     */
    Tensor backward(Tensor dy);

    /**
     * Whether {@link #backward} must compute dL/dx (default true). A model's first layer needs no input gradient
     * during training; layers that can skip it (convolutions, Linear) then return null from backward and save a
     * whole pass, as PyTorch does for inputs that do not require grad.
     *
     * @param needed whether backward computes dL/dx
     */
    default void setInputGradient(boolean needed) {
    }

    /**
     * A layer computing the same function with the same parameters (shared, not copied) and buffers of its own, so
     * that another thread can run it at the same time as this one ({@link Predictor} gives each caller one).
     * Options that change the function (a fused ReLU, whether dL/dx is computed) carry over. Every layer of Lanes
     * has one; a layer of your own that does not override this cannot be replicated, and says so.
     *
     * @return the replica
     * @throws UnsupportedOperationException for a layer that does not say how it is replicated
     */
    default Layer replica() {
        throw new UnsupportedOperationException(getClass().getName() + " does not override Layer.replica(), so it "
                + "cannot be run from several threads at once; implement it (same parameters, fresh buffers)");
    }

    /**
     * The trainable parameters, in a fixed order.
     *
     * @return them (empty for layers without any)
     */
    default List<Parameter> parameters() {
        return List.of();
    }
}
