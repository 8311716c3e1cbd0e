package lanes.layers.models;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import lanes.layers.loss.BinaryCrossEntropyWithLogits;
import lanes.layers.nn.Activation;
import lanes.layers.nn.Conv1d;
import lanes.layers.nn.Conv2d;
import lanes.layers.nn.Flatten;
import lanes.layers.nn.Layer;
import lanes.layers.nn.Linear;
import lanes.layers.nn.Pooling;
import lanes.layers.nn.Sequential;

/** The course's models, with PyTorch's layers and default initialisation drawn from a seed. */
public final class Models {
    private Models() {
    }

    /**
     * Logistic regression on {@code d} features: one Linear to a logit; train with
     * {@link BinaryCrossEntropyWithLogits}.
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
        return lenet5(classic, 1, 10, seed);
    }

    /**
     * LeNet-5 for {@code channels} x 28 x 28 inputs (1: grey, 3: RGB) and {@code classes} classes: as
     * {@link #lenet5(boolean, long)} with the first convolution reading every channel and the last Linear giving
     * one logit per class.
     *
     * @param classic true for LeCun's tanh and average pooling
     * @param channels channels of an image
     * @param classes the number of classes
     * @param seed seed of the initial weights
     * @return a new model
     */
    public static Sequential lenet5(boolean classic, int channels, int classes, long seed) {
        Supplier<Layer> act = classic ? Activation::tanh : Activation::relu;
        Supplier<Layer> pool = classic ? () -> Pooling.avgPool2d(2, 2, 0, false, true)
                : () -> Pooling.maxPool2d(2, 2, 0, false);
        return new Sequential(
                new Conv2d(channels, 6, 5, 1, 2, seed), act.get(), pool.get(),
                new Conv2d(6, 16, 5, 1, 0, seed + 1), act.get(), pool.get(),
                new Flatten(),
                new Linear(16 * 5 * 5, 120, true, seed + 2), act.get(),
                new Linear(120, 84, true, seed + 3), act.get(),
                new Linear(84, classes, true, seed + 4));
    }

    /**
     * A small CNN in AlexNet's pattern for {@code channels} x {@code rows} x {@code cols} images: a strided first
     * convolution (learned downsampling), conv-ReLU-pool blocks with growing channels and AlexNet's overlapping
     * pooling (3 x 3, stride 2), then two Linear layers:
     *
     * <pre>
     *   conv 32@5x5 stride 2 pad 2, ReLU, max pool 3 stride 2 pad 1
     *   conv 64@3x3 pad 1,          ReLU, max pool 3 stride 2 pad 1
     *   conv 96@3x3 pad 1,          ReLU, max pool 2 stride 2
     *   Flatten, Linear 128, ReLU, Linear classes
     * </pre>
     *
     * For 32 x 32 inputs the last feature map is 96 x 2 x 2.
     *
     * @param channels channels of an image
     * @param rows its height (at least 16)
     * @param cols its width (at least 16)
     * @param classes the number of classes
     * @param seed seed of the initial weights
     * @return a new model
     */
    public static Sequential alexnet(int channels, int rows, int cols, int classes, long seed) {
        if (rows < 16 || cols < 16) {
            throw new IllegalArgumentException("alexnet: images of " + rows + " x " + cols + " are smaller than its "
                    + "16 x 16 minimum");
        }
        int h = pooled(pooled((rows + 1) / 2, 3, 2, 1), 3, 2, 1) / 2;
        int w = pooled(pooled((cols + 1) / 2, 3, 2, 1), 3, 2, 1) / 2;
        return new Sequential(
                new Conv2d(channels, 32, 5, 2, 2, seed), Activation.relu(), Pooling.maxPool2d(3, 2, 1, false),
                new Conv2d(32, 64, 3, 1, 1, seed + 1), Activation.relu(), Pooling.maxPool2d(3, 2, 1, false),
                new Conv2d(64, 96, 3, 1, 1, seed + 2), Activation.relu(), Pooling.maxPool2d(2, 2, 0, false),
                new Flatten(),
                new Linear(96 * h * w, 128, true, seed + 3), Activation.relu(),
                new Linear(128, classes, true, seed + 4));
    }

    private static int pooled(int size, int kernel, int stride, int pad) {
        return (size + 2 * pad - kernel) / stride + 1;
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
