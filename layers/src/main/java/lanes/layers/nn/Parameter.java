package lanes.layers.nn;

import lanes.engine.Tensor;
import lanes.engine.VectorApi;

/** A trainable tensor and its gradient, of the same shape; layers accumulate into {@link #grad}. */
public final class Parameter {
    /** What the owning layer calls it, e.g. {@code "weight"}. */
    public final String name;
    /** The value, updated in place by optimizers. */
    public final Tensor value;
    /** dL/dvalue, accumulated by backward passes; zero it once per step ({@link #zeroGrad}). */
    public final Tensor grad;

    /**
     * A parameter named {@code name} (as in a model file) holding {@code value}, with a zero gradient of its shape.
     *
     * @param name the name
     * @param value the values (not copied)
     */
    public Parameter(String name, Tensor value) {
        VectorApi.require();       // one clear line where the JVM lacks --add-modules jdk.incubator.vector
        this.name = name;
        this.value = value;
        this.grad = Tensor.zeros(value.shape());
    }

    /** Sets the gradient to zero. */
    public void zeroGrad() {
        grad.fill(0f);
    }

    @Override
    public String toString() {
        return name + java.util.Arrays.toString(value.shape());
    }
}
