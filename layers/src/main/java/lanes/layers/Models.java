package lanes.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The course's models, with PyTorch's layers and default initialisation drawn from a seed. */
public final class Models {
    private Models() {
    }

    /**
     * Logistic regression on {@code d} features: one Linear to a logit; train with {@link BinaryCrossEntropyWithLogits}.
     *
     * @param d the number of features
     * @param seed seed of the initial weights
     * @return a new model
     */
    public static Sequential logisticRegression(int d, long seed) {
        return new Sequential(new Flatten(), new Linear(d, 1, true, seed));
    }

    /**
     * A multi-layer perceptron {@code sizes[0] -> sizes[1] -> ... -> sizes[last]}: Flatten, then Linear layers with
     * {@code activation} between them (none after the last: it gives logits).
     *
     * @param activation makes one activation layer
     * @param seed seed of the initial weights
     * @param sizes the widths, inputs first, classes last (at least two)
     * @return a new model
     */
    public static Sequential mlp(Supplier<Layer> activation, long seed, int... sizes) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("mlp: needs at least an input and an output size, got "
                    + java.util.Arrays.toString(sizes));
        }
        List<Layer> layers = new ArrayList<>();
        layers.add(new Flatten());
        for (int i = 0; i + 1 < sizes.length; i++) {
            layers.add(new Linear(sizes[i], sizes[i + 1], true, seed + i));
            if (i + 2 < sizes.length) {
                layers.add(activation.get());
            }
        }
        return new Sequential(layers.toArray(Layer[]::new));
    }

    /**
     * LeNet-5 for 1 x 28 x 28 inputs: conv 6@5x5 pad 2 -> pool 2 -> conv 16@5x5 -> pool 2 -> 120 -> 84 -> 10, with
     * ReLU and max pooling, or ({@code classic}) tanh and average pooling.
     *
     * @param classic true for LeCun's tanh and average pooling
     * @param seed seed of the initial weights
     * @return a new model
     */
    public static Sequential lenet5(boolean classic, long seed) {
        Supplier<Layer> act = classic ? Activation::tanh : Activation::relu;
        Supplier<Layer> pool = classic ? () -> Pooling.avgPool2d(2, 2, 0, false, true)
                : () -> Pooling.maxPool2d(2, 2, 0, false);
        return new Sequential(
                new Conv2d(1, 6, 5, 1, 2, seed), act.get(), pool.get(),
                new Conv2d(6, 16, 5, 1, 0, seed + 1), act.get(), pool.get(),
                new Flatten(),
                new Linear(16 * 5 * 5, 120, true, seed + 2), act.get(),
                new Linear(120, 84, true, seed + 3), act.get(),
                new Linear(84, 10, true, seed + 4));
    }

    /**
     * A time-delay network for sequences (N, channels, length): two Conv1d layers (k = 5, then k = 3 with dilation
     * 2) with ReLU, average pooling over all remaining time steps, and a Linear to {@code classes} logits.
     *
     * @param channels channels per time step
     * @param length time steps
     * @param hidden channels of the hidden layers
     * @param classes the number of classes
     * @param seed seed of the initial weights
     * @return a new model
     */
    public static Sequential tdnn(int channels, int length, int hidden, int classes, long seed) {
        int afterFirst = length - 4;
        int afterSecond = afterFirst - 4;
        if (afterSecond < 1) {
            throw new IllegalArgumentException("tdnn: sequences of " + length + " steps are shorter than the"
                    + " receptive field of 9");
        }
        return new Sequential(
                new Conv1d(channels, hidden, 5, 1, 0, 1, 1, true, seed), Activation.relu(),
                new Conv1d(hidden, hidden, 3, 1, 0, 2, 1, true, seed + 1), Activation.relu(),
                Pooling.avgPool1d(afterSecond, afterSecond, 0, false, true),
                new Flatten(),
                new Linear(hidden, classes, true, seed + 2));
    }
}
