package lanes.layers;

/** Updates parameters from their gradients: {@link Sgd}, {@link Adam}. */
public interface Optimizer {
    /** One update of every parameter. */
    void step();

    /** Zeroes every parameter's gradient. */
    void zeroGrad();

    /** The learning rate of the next step. */
    float lr();

    /** Sets the learning rate (schedules call it between epochs). */
    void setLr(float lr);
}
