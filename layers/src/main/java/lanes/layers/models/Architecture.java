package lanes.layers.models;

import java.util.Arrays;
import lanes.layers.loss.BinaryCrossEntropyWithLogits;
import lanes.layers.loss.Loss;
import lanes.layers.loss.SoftmaxCrossEntropy;
import lanes.layers.nn.Conv1d;
import lanes.layers.nn.Layer;
import lanes.layers.nn.Linear;
import lanes.layers.nn.ModelText;
import lanes.layers.nn.Reshape;
import lanes.layers.nn.Sequential;

/**
 * A model named by a text that rebuilds it, as model files store it: its layers and sizes, not its weights. The
 * text is either the layers in PyTorch's words ({@link ModelText}: {@code "Flatten(), Linear(64), Tanh(),
 * Linear(10)"}, sizes left out are taken from the input shape) or one of these short names, each an alias of a
 * PyTorch text ({@link #layers()}):
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
 *   kws:40x74-64-2          a keyword spotter over 40 filterbank bands by 74 frames: three dilated 1-D convolutions
 *                           (64 channels, kernel 5, dilations 1, 2, 4: a receptive field of 29 frames, 0.59 s at
 *                           20 ms a frame), a score per class at every frame, and the max over time: "does the
 *                           keyword occur anywhere?" as an OR over positions
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
        return forData(name, new int[] {channels, rows, cols}, classes);
    }

    /**
     * The architecture of {@code name} for examples of {@code input} and {@code classes} classes: one of the short
     * names (lenet5, lenet5-classic, alexnet, mlp, logistic, softmax, tdnn), or layers in PyTorch's words, kept as
     * they are written.
     *
     * @param name a short name, or layers in PyTorch's words
     * @param input one example's shape, e.g. {@code [1, 28, 28]} or {@code [2]}
     * @param classes the number of classes
     * @return the architecture
     */
    public static Architecture forData(String name, int[] input, int classes) {
        if (ModelText.isLayerText(name) || name.contains(":")) {      // layers, or a full name: mlp:784-64-10
            return new Architecture(name, input.clone());
        }
        int features = Arrays.stream(input).reduce(1, (a, b) -> a * b);
        int channels = input[0];
        int rows = input.length == 3 ? input[1] : 1;
        int cols = input[input.length - 1];
        return switch (name) {
            case "lenet5", "lenet5-classic" -> {
                if (input.length != 3 || (channels != 1 && channels != 3) || rows != 28 || cols != 28 || classes < 2) {
                    throw new IllegalArgumentException(name + " takes 1 x 28 x 28 or 3 x 28 x 28 images of 2 or more"
                            + " classes, not examples of " + String.join(" x ", Arrays.stream(input)
                            .mapToObj(Integer::toString).toList()) + " of " + classes + " classes");
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
            case "tdnn" -> new Architecture("tdnn:" + features / cols + "x" + cols + "-64-" + classes, input);
            case "kws" -> new Architecture("kws:" + features / cols + "x" + cols + "-64-" + classes, input);
            default -> throw new IllegalArgumentException("unknown model \"" + name
                    + "\"; known: lenet5, lenet5-classic, alexnet, mlp, logistic, softmax, tdnn, kws, or layers in "
                    + "PyTorch's words such as \"Flatten(), Linear(64), ReLU(), Linear(10)\"");
        };
    }

    /**
     * A new model of this architecture, initialised from {@code seed}, of at most {@link ModelText#MAX_PARAMETERS}
     * parameters.
     *
     * @param seed seed of the initial weights
     * @return a new model
     * @throws IllegalArgumentException if the text names no model for this input, or one over the limit, before
     *     anything is allocated
     */
    public Sequential build(long seed) {
        return build(seed, ModelText.MAX_PARAMETERS);
    }

    /**
     * A new model of this architecture, initialised from {@code seed}, refused before anything is allocated if it
     * has more than {@code maxParameters} parameters.
     *
     * @param seed seed of the initial weights
     * @param maxParameters the most parameters allowed
     * @return a new model
     * @throws IllegalArgumentException if the text names no model for this input, or one over the limit
     */
    public Sequential build(long seed, long maxParameters) {
        try {
            return ModelText.parse(layers(), input, seed, maxParameters);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("architecture \"" + text + "\" for inputs " + Arrays.toString(input)
                    + " cannot be built: " + e.getMessage(), e);
        }
    }

    /**
     * The layers in PyTorch's words: the text itself, or what a short name stands for, e.g. {@code mlp:784-256-10}
     * is {@code "Flatten(), Linear(784, 256), ReLU(), Linear(256, 10)"}.
     *
     * @return the layers as {@link ModelText} reads them
     * @throws IllegalArgumentException if a short name's sizes do not fit it or its input
     */
    public String layers() {
        if (ModelText.isLayerText(text)) {
            return text;
        }
        String[] parts = text.split(":", 2);
        try {
            return switch (parts[0]) {
                case "lenet5", "lenet5-classic" -> {
                    int[] s = parts.length == 1 ? new int[] {1, 10} : sizes(parts);
                    if (s.length != 2 || input.length != 3 || input[0] != s[0]) {
                        throw new IllegalArgumentException("takes channels-classes and inputs of those channels");
                    }
                    boolean classic = parts[0].equals("lenet5-classic");
                    String act = classic ? "Tanh()" : "ReLU()";
                    String pool = classic ? "AvgPool2d(2)" : "MaxPool2d(2)";
                    yield "Conv2d(" + s[0] + ", 6, kernel_size=5, padding=2), " + act + ", " + pool
                            + ", Conv2d(6, 16, kernel_size=5), " + act + ", " + pool + ", Flatten(), Linear(400, 120), "
                            + act + ", Linear(120, 84), " + act + ", Linear(84, " + s[1] + ")";
                }
                case "alexnet" -> {
                    int[] s = sizes(parts);
                    if (s.length != 2 || input.length != 3 || input[0] != s[0]) {
                        throw new IllegalArgumentException("takes channels-classes and inputs of those channels");
                    }
                    if (input[1] < 16 || input[2] < 16) {
                        throw new IllegalArgumentException("alexnet: images of " + input[1] + " x " + input[2]
                                + " are smaller than its 16 x 16 minimum");
                    }
                    yield "Conv2d(" + s[0] + ", 32, kernel_size=5, stride=2, padding=2), ReLU(), MaxPool2d(3, stride=2, "
                            + "padding=1), Conv2d(32, 64, kernel_size=3, padding=1), ReLU(), MaxPool2d(3, stride=2, "
                            + "padding=1), Conv2d(64, 96, kernel_size=3, padding=1), ReLU(), MaxPool2d(2), Flatten(), "
                            + "Linear(128), ReLU(), Linear(128, " + s[1] + ")";
                }
                case "mlp" -> {
                    int[] s = sizes(parts);
                    if (s.length < 2) {
                        throw new IllegalArgumentException("mlp: needs at least an input and an output size, got "
                                + Arrays.toString(s));
                    }
                    StringBuilder b = new StringBuilder("Flatten()");
                    for (int i = 0; i + 1 < s.length; i++) {
                        b.append(i == 0 ? ", " : ", ReLU(), ").append("Linear(").append(s[i]).append(", ")
                                .append(s[i + 1]).append(')');
                    }
                    yield b.toString();
                }
                case "logistic", "softmax" -> {
                    int[] s = sizes(parts);
                    if (parts[0].equals("logistic") && s.length == 1) {
                        yield "Flatten(), Linear(" + s[0] + ", 1)";
                    }
                    if (s.length != 2) {
                        throw new IllegalArgumentException(parts[0] + " takes "
                                + (parts[0].equals("logistic") ? "features" : "features-classes"));
                    }
                    // softmax, or a file that called softmax regression "logistic" before the names were split
                    yield "Flatten(), Linear(" + s[0] + ", " + s[1] + ")";
                }
                case "tdnn" -> {
                    String[] io = parts[1].split("-");
                    String[] cl = io[0].split("x");
                    int channels = Integer.parseInt(cl[0]);
                    int length = Integer.parseInt(cl[1]);
                    int hidden = Integer.parseInt(io[1]);
                    int classes = Integer.parseInt(io[2]);
                    if (length - 8 < 1) {
                        throw new IllegalArgumentException("tdnn: sequences of " + length + " steps are shorter than"
                                + " the receptive field of 9");
                    }
                    // images (C, H, W) are read as C*H features over W steps: Flatten(1, 2) joins C and H
                    String reshape = input.length == 3 ? "Flatten(1, 2)" : "Flatten(2, 2)";   // (C, L): as it is
                    yield reshape + ", Sequential(Conv1d(" + channels + ", " + hidden + ", kernel_size=5), ReLU(), "
                            + "Conv1d(" + hidden + ", " + hidden + ", kernel_size=3, dilation=2), ReLU(), AvgPool1d("
                            + (length - 8) + "), Flatten(), Linear(" + hidden + ", " + classes + "))";
                }
                case "kws" -> {
                    String[] io = parts[1].split("-");
                    String[] cl = io[0].split("x");
                    int bands = Integer.parseInt(cl[0]);
                    int frames = Integer.parseInt(cl[1]);
                    int hidden = Integer.parseInt(io[1]);
                    int classes = Integer.parseInt(io[2]);
                    if (frames - 28 < 1) {
                        throw new IllegalArgumentException("kws: " + frames + " frames are fewer than the receptive "
                                + "field of 29");
                    }
                    String reshape = input.length == 3 ? "Flatten(1, 2)" : "Flatten(2, 2)";
                    yield reshape + ", Conv1d(" + bands + ", " + hidden + ", kernel_size=5), ReLU(), Conv1d(" + hidden
                            + ", " + hidden + ", kernel_size=5, dilation=2), ReLU(), Conv1d(" + hidden + ", " + hidden
                            + ", kernel_size=5, dilation=4), ReLU(), Conv1d(" + hidden + ", " + classes
                            + ", kernel_size=1), MaxPool1d(" + (frames - 28) + "), Flatten()";
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
        boolean binary = ModelText.isLayerText(text)
                ? Arrays.equals(ModelText.plan(text, input).output(), new int[] {1})
                : text.startsWith("logistic:") && !text.contains("-");
        return binary ? new BinaryCrossEntropyWithLogits() : new SoftmaxCrossEntropy();
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
        if (!flat.isEmpty() && flat.get(0) instanceof Reshape && flat.size() > 1 && flat.get(1) instanceof Conv1d c
                && input.length == 3) {
            Layer score = flat.size() > 7 ? flat.get(7) : null;
            candidates.add("kws:" + input[0] * input[1] + "x" + input[2] + "-" + c.outChannels + "-"
                    + (score instanceof Conv1d k ? k.outChannels : 0));
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
        // a reshape is what it does, whichever PyTorch layer wrote it (Flatten(1, 2), Unflatten(1, (28, 28)))
        return flat(model).stream().map(l -> l instanceof Reshape r ? "Reshape" + Arrays.toString(r.shape())
                : l.toString()).toList();
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
