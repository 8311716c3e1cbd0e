package lanes.layers.models;

import java.util.Arrays;
import lanes.layers.loss.BinaryCrossEntropyWithLogits;
import lanes.layers.loss.Loss;
import lanes.layers.loss.SoftmaxCrossEntropy;
import lanes.layers.nn.Activation;
import lanes.layers.nn.Conv1d;
import lanes.layers.nn.Flatten;
import lanes.layers.nn.Layer;
import lanes.layers.nn.Linear;
import lanes.layers.nn.Reshape;
import lanes.layers.nn.Sequential;

/**
 * A model named by a short text that rebuilds it, as model files store it: its layers and sizes, not its weights.
 *
 * <pre>
 *   lenet5                  LeNet-5, ReLU and max pooling, for 1 x 28 x 28 images and 10 classes
 *   lenet5-classic          LeNet-5 with tanh and average pooling
 *   lenet5:3-6              LeNet-5 for 3 x 28 x 28 (RGB) images and 6 classes (lenet5-classic:C-K likewise)
 *   alexnet:3-6             a small CNN in AlexNet's pattern (Models.alexnet) for 3-channel images, 6 classes; its
 *                           input shape (e.g. 3 x 32 x 32) sizes its first Linear layer
 *   mlp:784-256-128-10      an MLP with ReLU between its Linear layers
 *   logistic:784            logistic regression, the course's first model: one Linear to one logit (sigmoid and
 *                           binary cross-entropy), for two classes
 *   softmax:784-10          softmax regression (multinomial logistic regression): one Linear to the class logits.
 *                           Files written before this name existed say "logistic:784-10"; they read as this.
 *   tdnn:28x28-64-10        a time-delay network reading each image as 28 features (rows) over 28 steps (columns),
 *                           64 hidden channels, 10 classes
 * </pre>
 *
 * @param text  the description above
 * @param input the shape of one example, e.g. {@code [1, 28, 28]}
 */
public record Architecture(String text, int[] input) {
    /**
     * The architecture of {@code name} (lenet5, lenet5-classic, alexnet, mlp, logistic, softmax, tdnn) for images
     * of that shape and {@code classes} classes.
     *
     * @param name the model name
     * @param channels channels of an image
     * @param rows its height
     * @param cols its width
     * @param classes the number of classes
     * @return the architecture
     */
    public static Architecture forImages(String name, int channels, int rows, int cols, int classes) {
        int features = channels * rows * cols;
        int[] input = {channels, rows, cols};
        return switch (name) {
            case "lenet5", "lenet5-classic" -> {
                if ((channels != 1 && channels != 3) || rows != 28 || cols != 28 || classes < 2) {
                    throw new IllegalArgumentException(name + " takes 1 x 28 x 28 or 3 x 28 x 28 images of 2 or more"
                            + " classes, not " + channels + " x " + rows + " x " + cols + " of " + classes);
                }
                yield new Architecture(channels == 1 && classes == 10 ? name : name + ":" + channels + "-" + classes,
                        input);
            }
            case "alexnet" -> new Architecture("alexnet:" + channels + "-" + classes, input);
            case "mlp" -> new Architecture("mlp:" + features + "-256-128-" + classes, input);
            case "logistic" -> {
                if (classes != 2) {
                    throw new IllegalArgumentException("logistic regression is binary, for 2 classes, not " + classes
                            + "; softmax regression is the model for " + classes + " (--model softmax)");
                }
                yield new Architecture("logistic:" + features, input);
            }
            case "softmax" -> new Architecture("softmax:" + features + "-" + classes, input);
            case "tdnn" -> new Architecture("tdnn:" + channels * rows + "x" + cols + "-64-" + classes, input);
            default -> throw new IllegalArgumentException("unknown model \"" + name
                    + "\"; known: lenet5, lenet5-classic, alexnet, mlp, logistic, softmax, tdnn");
        };
    }

    /**
     * A new model of this architecture, initialised from {@code seed}.
     *
     * @param seed seed of the initial weights
     * @return a new model
     */
    public Sequential build(long seed) {
        String[] parts = text.split(":", 2);
        try {
            return switch (parts[0]) {
                case "lenet5", "lenet5-classic" -> {
                    int[] s = parts.length == 1 ? new int[] {1, 10} : sizes(parts);
                    if (s.length != 2 || input.length != 3 || input[0] != s[0]) {
                        throw new IllegalArgumentException("takes channels-classes and inputs of those channels");
                    }
                    yield Models.lenet5(parts[0].equals("lenet5-classic"), s[0], s[1], seed);
                }
                case "alexnet" -> {
                    int[] s = sizes(parts);
                    if (s.length != 2 || input.length != 3 || input[0] != s[0]) {
                        throw new IllegalArgumentException("takes channels-classes and inputs of those channels");
                    }
                    yield Models.alexnet(s[0], input[1], input[2], s[1], seed);
                }
                case "mlp" -> Models.mlp(Activation::relu, seed, sizes(parts));
                case "logistic", "softmax" -> {
                    int[] s = sizes(parts);
                    if (parts[0].equals("logistic") && s.length == 1) {
                        yield Models.logisticRegression(s[0], seed);
                    }
                    if (s.length != 2) {
                        throw new IllegalArgumentException(parts[0] + " takes "
                                + (parts[0].equals("logistic") ? "features" : "features-classes"));
                    }
                    // softmax, or a file that called softmax regression "logistic" before the names were split
                    yield new Sequential(new Flatten(), new Linear(s[0], s[1], true, seed));
                }
                case "tdnn" -> {
                    String[] io = parts[1].split("-");
                    String[] cl = io[0].split("x");
                    int channels = Integer.parseInt(cl[0]);
                    int length = Integer.parseInt(cl[1]);
                    yield new Sequential(new Reshape(channels, length), Models.tdnn(channels, length,
                            Integer.parseInt(io[1]), Integer.parseInt(io[2]), seed));
                }
                default -> throw new IllegalArgumentException("unknown architecture");
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("architecture \"" + text + "\" for inputs " + Arrays.toString(input)
                    + " cannot be built: " + e.getMessage(), e);
        }
    }

    /**
     * The loss this model trains with: binary cross-entropy for logistic regression, else softmax cross-entropy.
     *
     * @return a new loss
     */
    public Loss loss() {
        return text.startsWith("logistic:") && !text.contains("-") ? new BinaryCrossEntropyWithLogits()
                : new SoftmaxCrossEntropy();
    }

    /**
     * The built-in architecture {@code model} is, judged by its layers (their kinds, sizes and options, nested
     * {@code Sequential}s laid flat): how a model read from a format that does not name it (ONNX from PyTorch)
     * finds its name.
     *
     * @param model the model; not modified
     * @param input one example's shape
     * @return the architecture, or empty if the model is none of them
     */
    public static java.util.Optional<Architecture> recognise(Layer model, int[] input) {
        java.util.List<String> layers = signature(model);
        java.util.List<String> candidates = new java.util.ArrayList<>(java.util.List.of("lenet5", "lenet5-classic"));
        java.util.List<Layer> all = flat(model);
        if (input.length == 3 && !all.isEmpty() && all.get(all.size() - 1) instanceof Linear end) {
            for (String name : java.util.List.of("lenet5", "lenet5-classic", "alexnet")) {
                candidates.add(name + ":" + input[0] + "-" + end.out);
            }
        }
        java.util.List<Layer> flat = flat(model);
        if (!flat.isEmpty() && flat.get(flat.size() - 1) instanceof Linear last) {
            StringBuilder sizes = new StringBuilder();
            for (Layer l : flat) {
                if (l instanceof Linear lin) {
                    sizes.append(sizes.isEmpty() ? lin.in : "").append('-').append(lin.out);
                }
            }
            long linears = flat.stream().filter(l -> l instanceof Linear).count();
            if (linears == 1) {         // one Linear: softmax or logistic regression, the names before "mlp"
                candidates.add(last.out == 1 ? "logistic:" + last.in : "softmax:" + last.in + "-" + last.out);
            }
            candidates.add("mlp:" + sizes);
            candidates.add("tdnn:" + (input.length == 3 ? input[0] * input[1] + "x" + input[2] : "0x0") + "-"
                    + (flat.get(0) instanceof Reshape && flat.size() > 1 && flat.get(1) instanceof Conv1d c
                    ? c.outChannels : 0) + "-" + last.out);
        }
        for (String text : candidates) {
            Architecture a = new Architecture(text, input);
            try {
                if (signature(a.build(0)).equals(layers)) {
                    return java.util.Optional.of(a);
                }
            } catch (IllegalArgumentException e) {
                // not this one: sizes that architecture cannot take
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * What each layer is (its kind, sizes and options), nested {@code Sequential}s laid flat: two models of one
     * signature differ in their weights only.
     *
     * @param model the model; not modified
     * @return one description per layer
     */
    public static java.util.List<String> signature(Layer model) {
        return flat(model).stream().map(Object::toString).toList();
    }

    private static java.util.List<Layer> flat(Layer model) {
        return model instanceof Sequential s ? s.flattened() : java.util.List.of(model);
    }

    private static int[] sizes(String[] parts) {
        if (parts.length < 2) {
            throw new IllegalArgumentException("sizes missing after ':'");
        }
        return Arrays.stream(parts[1].split("-")).mapToInt(Integer::parseInt).toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Architecture a && a.text.equals(text) && Arrays.equals(a.input, input);
    }

    @Override
    public int hashCode() {
        return text.hashCode() * 31 + Arrays.hashCode(input);
    }

    @Override
    public String toString() {
        return text + " on " + Arrays.toString(input);
    }
}
