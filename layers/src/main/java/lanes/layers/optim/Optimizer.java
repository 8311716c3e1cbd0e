package lanes.layers.optim;

import java.util.List;

/** Updates parameters from their gradients: {@link Sgd}, {@link Adam}. */
public interface Optimizer {
    /** One update of every parameter. */
    void step();

    /** Zeroes every parameter's gradient. */
    void zeroGrad();

    /**
     * The learning rate of the next step.
     *
     * @return the learning rate
     */
    float lr();

    /**
     * Sets the learning rate (schedules call it between epochs).
     *
     * @param lr the learning rate
     */
    void setLr(float lr);

    /**
     * Steps taken so far (Adam's bias corrections and SGD's first momentum step depend on it).
     *
     * @return the step count
     */
    long steps();

    /**
     * The state beside the parameters that later steps depend on (momentum buffers; Adam's first and second
     * moments), in a fixed order: this optimizer's own arrays, for a checkpoint to write.
     *
     * @return the optimizer's own arrays (not copies)
     */
    List<float[]> state();

    /**
     * Puts a checkpoint's state back: arrays as {@link #state} listed them (copied in) and the step count.
     *
     * @param state the arrays, in the order of {@link #state}; not modified
     * @param steps the step count
     * @throws IllegalArgumentException if their number or a length differs from this optimizer's, naming it
     */
    void restore(List<float[]> state, long steps);

    /**
     * Copies {@code from} into {@code to} (as {@link #restore} does), checking the count and each length.
     *
     * @param who the optimizer, named in the message
     * @param from the arrays read
     * @param to the arrays written
     */
    static void copyState(String who, List<float[]> from, List<float[]> to) {
        if (from.size() != to.size()) {
            throw new IllegalArgumentException(who + ": a checkpoint with " + from.size() + " state arrays for an "
                    + "optimizer with " + to.size());
        }
        for (int i = 0; i < to.size(); i++) {
            if (from.get(i).length != to.get(i).length) {
                throw new IllegalArgumentException(who + ": state array " + i + " has " + from.get(i).length
                        + " floats in the checkpoint, " + to.get(i).length + " here");
            }
            System.arraycopy(from.get(i), 0, to.get(i), 0, to.get(i).length);
        }
    }
}
