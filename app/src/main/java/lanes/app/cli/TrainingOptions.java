package lanes.app.cli;

import java.nio.file.Path;
import java.util.List;
import lanes.app.Data;
import lanes.layers.nn.Parameter;
import lanes.layers.optim.Adam;
import lanes.layers.optim.LrSchedule;
import lanes.layers.optim.Optimizer;
import lanes.layers.optim.Sgd;
import picocli.CommandLine.Option;

/**
 * The options of a training run, shared by {@code lanes train} and {@code lanes spark train} as one picocli mixin:
 * the model, the data, the optimizer and its schedule, the seed and what is written at the end. {@link #check()}
 * refuses a bad value naming the option.
 */
public final class TrainingOptions {
    /** The architecture's name, e.g. {@code lenet5}. */
    @Option(names = "--model", order = 0, paramLabel = "M", description = "Layers in PyTorch's words, e.g. "
            + "\"Flatten(), Linear(64), Tanh(), Linear(10)\" (sizes left out are taken from the input), or a short "
            + "name: lenet5 (default), lenet5-classic, alexnet (a small CNN in AlexNet's pattern, for 32 x 32 "
            + "images), mlp, logistic (binary: sigmoid and binary cross-entropy, for 2 classes), softmax (softmax "
            + "regression), tdnn, or kws (a keyword spotter over filterbank frames).")
    public String model = "lenet5";

    /** The data folder, or null for the embedded digits. */
    @Option(names = "--data", order = 1, paramLabel = "DIR", description = "An MNIST-format folder "
            + "(train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-...; gzipped or not), or an image folder in "
            + "torchvision's ImageFolder layout (DIR/train/<class>/*.png|jpg and DIR/test/<class>/*, or "
            + "DIR/<class>/* split by --test-fraction): grey or RGB, resized to the model's input, normalised per "
            + "channel with the training set's mean and standard deviation (stored in the model file); or toy:NAME, "
            + "the playground's 2-D points (circle, xor, gauss, spiral, blobs:K; see --points, --noise); or a "
            + "keyword set (data/speech: 1.5 s clips composed from its utterances, as log-mel features; see "
            + "--keyword-at). On Spark, a path every executor sees. Default: the embedded digits.")
    public Path data;

    /** For a keyword set: where the keyword lies in training and in test clips. */
    @Option(names = "--keyword-at", order = 4, paramLabel = "TRAIN:TEST", description = "For a keyword set: where "
            + "the keyword lies in training and in test clips: anywhere, first (the first half) or second (default "
            + "${DEFAULT-VALUE}). first:second is the lecture's test of whether a model finds it where it never saw "
            + "it.")
    public String keywordAt = "anywhere:anywhere";

    /** For an image folder: 1 or 3, or null to decide from the images. */
    @Option(names = "--channels", order = 2, description = "For an image folder: 1 (grey) or 3 (RGB); default: 3 if "
            + "any training image has colour, else 1.")
    public Integer channels;

    /** For an image folder: the side images are resized to, or null for the model's default. */
    @Option(names = "--size", order = 3, paramLabel = "N", description = "For an image folder: the side images are "
            + "resized to (default: 32 for alexnet, else 28).")
    public Integer size;

    /** For an image folder without train/ and test/: the share held out for testing. */
    @Option(names = "--test-fraction", order = 4, paramLabel = "F", description = "For an image folder without "
            + "train/ and test/: the share of each class held out for testing, drawn with --seed (default "
            + "${DEFAULT-VALUE}).")
    public double testFraction = 0.2;

    /** Toy data: points in all. */
    @Option(names = "--points", order = 4, paramLabel = "N", description = "For toy data: points in all (default "
            + "${DEFAULT-VALUE}).")
    public int points = 500;

    /** Toy data: the noise, 0 to 1. */
    @Option(names = "--noise", order = 4, paramLabel = "F", description = "For toy data: noise from 0 to 1 (the "
            + "playground's 0-50 %% is 0-0.5; default ${DEFAULT-VALUE}).")
    public double noise = 0;

    /** The most parameters a model may have. */
    @Option(names = "--max-parameters", order = 13, paramLabel = "N", description = "Refuse a model of more "
            + "parameters, before anything is allocated (default ${DEFAULT-VALUE}).")
    public long maxParameters = lanes.layers.nn.ModelText.MAX_PARAMETERS;

    /** Passes over the training set. */
    @Option(names = "--epochs", order = 5, description = "Passes over the training set (default ${DEFAULT-VALUE}).")
    public int epochs;

    /** Examples per step (on Spark: over all partitions). */
    @Option(names = "--batch", order = 6, description = "Images per step; on Spark the global batch, over all "
            + "partitions (default ${DEFAULT-VALUE}).")
    public int batch = 64;

    /** {@code sgd} or {@code adam}. */
    @Option(names = "--optimizer", order = 7, description = "sgd (default) or adam.")
    public String optimizer = "sgd";

    /** The learning rate, or null for the optimizer's default. */
    @Option(names = "--lr", order = 8, description = "Learning rate (default 0.05 for SGD, 0.001 for Adam).")
    public Float lr;

    /** SGD's momentum. */
    @Option(names = "--momentum", order = 9, description = "SGD momentum (default ${DEFAULT-VALUE}).")
    public float momentum = 0.9f;

    /** L2 weight decay. */
    @Option(names = "--weight-decay", order = 10, description = "L2 weight decay (default ${DEFAULT-VALUE}).")
    public float weightDecay = 5e-4f;

    /** {@code cosine} or {@code constant}. */
    @Option(names = "--schedule", order = 11, description = "Learning rate per epoch: cosine (default: from --lr down "
            + "to 0 at the last epoch) or constant.")
    public String schedule = "cosine";

    /** Seed of the initial weights and of the shuffling. */
    @Option(names = "--seed", order = 12, description = "Seed of the initial weights and the shuffling (default "
            + "${DEFAULT-VALUE}).")
    public long seed = 1;

    /** Where the trained model goes, or null. */
    @Option(names = "--save", order = 20, paramLabel = "FILE", description = "Write the trained model to FILE (a "
            + "Lanes model file).")
    public Path save;

    /** Where the plot goes, or null. */
    @Option(names = "--plot", order = 21, paramLabel = "FILE", description = "The PNG plot (default "
            + "${DEFAULT-VALUE}).")
    public Path plot;

    /** Where the JSON report goes, or null. */
    @Option(names = "--json", order = 22, paramLabel = "FILE", description = "Also write a JSON report "
            + "(test_accuracy, images_per_s, epochs, seconds, per-epoch figures).")
    public Path json;

    /** No progress while training. */
    @Option(names = "--quiet", order = 23, description = "No progress while training.")
    public boolean quiet;

    /** The options of {@code lanes train}: 15 epochs, the plot in {@code lanes-train.png}. */
    public TrainingOptions() {
        this(15, Path.of("lanes-train.png"));
    }

    /**
     * Options with another default for the epochs and the plot.
     *
     * @param epochs the default number of epochs
     * @param plot the default plot file
     */
    public TrainingOptions(int epochs, Path plot) {
        this.epochs = epochs;
        this.plot = plot;
    }

    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException naming the first option whose value is bad, and the value
     */
    public void check() {
        Args.positive("--epochs", epochs);
        Args.positive("--batch", batch);
        Args.finiteNonNegative("--momentum", momentum);
        Args.finiteNonNegative("--weight-decay", weightDecay);
        if (lr != null) {
            Args.finitePositive("--lr", lr);
        }
        if (size != null) {
            Args.positive("--size", size);
        }
        if (!schedule.equals("cosine") && !schedule.equals("constant")) {
            throw new IllegalArgumentException("--schedule " + schedule + ": must be cosine or constant");
        }
        if (!optimizer.equals("sgd") && !optimizer.equals("adam")) {
            throw new IllegalArgumentException("--optimizer " + optimizer + ": must be sgd or adam");
        }
    }

    /**
     * The learning rate: {@code --lr}, or 0.05 for SGD and 0.001 for Adam.
     *
     * @return the rate
     */
    public float rate() {
        return lr != null ? lr : optimizer.equals("adam") ? 0.001f : 0.05f;
    }

    /**
     * The side images of an image folder are resized to: {@code --size}, or 32 for alexnet and 28 for the rest.
     *
     * @return the side in pixels
     */
    public int side() {
        return size != null ? size : model.equals("alexnet") ? 32 : 28;
    }

    /**
     * The data these options name, loaded.
     *
     * @return the data
     * @throws java.io.IOException if it cannot be read
     */
    public Data loadData() throws java.io.IOException {
        Args.positive("--points", points);
        Args.positive("--max-parameters", maxParameters);
        Data d = Data.load(data, new Data.ImageOptions(channels, side(), side(), testFraction, seed, null),
                new Data.ToyOptions(points, noise), keywordOptions());
        if (d.classes() == null && (channels != null || size != null)) {
            throw new IllegalArgumentException("--channels and --size apply to image folders; " + d.description()
                    + " is MNIST-format");
        }
        return d;
    }

    /**
     * The clips of a keyword set these options ask for: the defaults' counts, {@code --keyword-at}'s placements,
     * {@code --seed}.
     *
     * @return the options
     * @throws IllegalArgumentException if {@code --keyword-at} is not TRAIN:TEST of anywhere, first, second
     */
    public lanes.layers.audio.SpeechClips.Options keywordOptions() {
        String[] parts = keywordAt.split(":", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("--keyword-at " + keywordAt + ": give TRAIN:TEST, each anywhere, first "
                    + "or second");
        }
        var d = lanes.layers.audio.SpeechClips.Options.DEFAULT;
        return new lanes.layers.audio.SpeechClips.Options(d.trainClips(), d.testClips(), placement(parts[0]),
                placement(parts[1]), seed);
    }

    private lanes.layers.audio.SpeechClips.Placement placement(String s) {
        return switch (s) {
            case "anywhere" -> lanes.layers.audio.SpeechClips.Placement.ANYWHERE;
            case "first" -> lanes.layers.audio.SpeechClips.Placement.FIRST_HALF;
            case "second" -> lanes.layers.audio.SpeechClips.Placement.SECOND_HALF;
            default -> throw new IllegalArgumentException("--keyword-at " + keywordAt + ": \"" + s + "\" is not "
                    + "anywhere, first or second");
        };
    }

    /**
     * The optimizer these options name, over {@code parameters}.
     *
     * @param parameters the model's parameters
     * @return SGD (with momentum and weight decay) or Adam (with weight decay)
     */
    public Optimizer optimizer(List<Parameter> parameters) {
        return optimizer.equals("sgd")
                ? new Sgd(parameters, rate(), momentum, 0f, weightDecay, false)
                : new Adam(parameters, rate(), 0.9f, 0.999f, 1e-8f, weightDecay, false);
    }

    /**
     * The schedule over {@code --epochs}.
     *
     * @return the cosine schedule from the rate down to 0, or null for a constant rate
     */
    public LrSchedule lrSchedule() {
        return schedule.equals("cosine") ? LrSchedule.cosine(rate(), epochs, 0f) : null;
    }

    /**
     * The optimizer and its settings in words, e.g. {@code sgd lr 0.05 (cosine), momentum 0.9}.
     *
     * @return the text
     */
    public String describeOptimizer() {
        return optimizer + " lr " + rate() + " (" + schedule + ")" + (optimizer.equals("sgd") ? ", momentum "
                + momentum : "");
    }
}
