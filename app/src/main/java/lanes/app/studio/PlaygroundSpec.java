package lanes.app.studio;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import lanes.app.Features;
import lanes.app.PointsCsv;
import lanes.layers.data.DataFolder;
import lanes.layers.data.ToyData;

/**
 * The settings of a playground run, as {@code POST /api/runs} takes them ({@code "kind": "playground"}); every
 * field optional, with TensorFlow Playground's defaults. {@link #parse} checks each and names the one it refuses.
 *
 * @param dataset circle, xor, gauss, spiral, blobs:K, or csv (with {@code csv}); plane or multigauss (regression)
 * @param csv the CSV text of one's own points (x1,x2,label per line), for dataset csv
 * @param noise 0 to 0.5
 * @param trainFraction the training share, 0.1 to 0.9
 * @param points the points in all (toy sets)
 * @param features the input features, names as the page shows them
 * @param hidden the neurons of each hidden layer
 * @param activations the activation of each hidden layer
 * @param learningRate SGD's rate
 * @param regularization none, L1 or L2 (on the weights, not the biases)
 * @param regularizationRate the regularisation's rate
 * @param batchSize points per step
 * @param seed the seed of the data, the initial weights and the batches
 */
record PlaygroundSpec(String dataset, String csv, double noise, double trainFraction, int points,
                      List<String> features, List<Integer> hidden, List<String> activations, double learningRate,
                      String regularization, double regularizationRate, int batchSize, long seed) {
    /** The most hidden layers. */
    static final int MAX_LAYERS = 8;
    /** The most neurons in one hidden layer. */
    static final int MAX_NEURONS = 32;
    /** The most points a CSV may hold. */
    static final int MAX_CSV_POINTS = 10_000;
    static final List<String> ACTIVATIONS = List.of("tanh", "relu", "sigmoid", "linear", "leaky_relu", "elu");
    static final List<String> REGULARIZATIONS = List.of("none", "L1", "L2");
    static final Set<String> FIELDS = Set.of("kind", "dataset", "csv", "noise", "trainFraction", "points",
            "features", "hidden", "activation", "activations", "learningRate", "regularization",
            "regularizationRate", "batchSize", "seed");

    /** The defaults: circle, x1 and x2, two hidden layers of 8 tanh neurons, rate 0.03, batch 10. */
    static PlaygroundSpec defaults() {
        return parse(Fields.parse("{}"));
    }

    static PlaygroundSpec parse(Fields f) {
        f.only(FIELDS);
        String dataset = f.string("dataset", "circle").toLowerCase(Locale.ROOT);
        String csv = f.string("csv", null);
        if (dataset.equals("csv")) {
            if (csv == null) {
                throw ApiError.badField("csv", "dataset csv needs the points in field csv (x1,x2,label per line)");
            }
        } else {
            if (csv != null) {
                throw ApiError.badField("csv", "given, but dataset is \"" + dataset + "\"; set dataset to csv");
            }
            try {
                if (!RegressionData.names(dataset)) {
                    ToyData.classes(dataset);
                }
            } catch (IllegalArgumentException e) {
                throw ApiError.badField("dataset", "\"" + Fields.clip(dataset) + "\" is not a data set; the data "
                        + "sets are " + ToyData.NAMES + " (K from 2 to 10), csv, and for regression plane, "
                        + "multigauss");
            }
        }
        double noise = f.number("noise", 0, 0, 0.5);
        double trainFraction = f.number("trainFraction", 0.5, 0.1, 0.9);
        int points = f.integer("points", 500, 20, 5000);
        List<String> features = f.strings("features", List.of("x1", "x2"), Features.ALL.size());
        try {
            new Features(features);
        } catch (IllegalArgumentException e) {
            throw ApiError.badField("features", e.getMessage().replaceFirst("^features: ", ""));
        }
        List<Object> raw = f.list("hidden", List.of(8.0, 8.0), MAX_LAYERS);
        List<Integer> hidden = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            if (!(raw.get(i) instanceof Double d) || d != Math.rint(d) || d < 1 || d > MAX_NEURONS) {
                throw ApiError.badField("hidden[" + i + "]", Fields.describe(raw.get(i)) + " neurons; give 1 to "
                        + MAX_NEURONS + " per layer (at most " + MAX_LAYERS + " hidden layers)");
            }
            hidden.add(d.intValue());
        }
        String activation = f.choice("activation", "tanh", ACTIVATIONS);
        List<String> activations = f.strings("activations", null, MAX_LAYERS);
        if (activations == null) {
            activations = java.util.Collections.nCopies(hidden.size(), activation);
        } else if (activations.size() != hidden.size()) {
            throw ApiError.badField("activations", activations.size() + " activations for " + hidden.size()
                    + " hidden layers; give one per layer");
        } else {
            for (int i = 0; i < activations.size(); i++) {
                if (!ACTIVATIONS.contains(activations.get(i))) {
                    throw ApiError.badField("activations[" + i + "]", "\"" + Fields.clip(activations.get(i))
                            + "\" is not one of " + String.join(", ", ACTIVATIONS));
                }
            }
        }
        double learningRate = f.number("learningRate", 0.03, 1e-6, 100);
        String regularization = f.choice("regularization", "none", REGULARIZATIONS);
        double regularizationRate = f.number("regularizationRate", 0, 0, 10);
        int batchSize = f.integer("batchSize", 10, 1, 1000);
        long seed = f.integer("seed", 1, 0, Integer.MAX_VALUE);
        return new PlaygroundSpec(dataset, csv, noise, trainFraction, points, List.copyOf(features),
                List.copyOf(hidden), List.copyOf(activations), learningRate, regularization, regularizationRate,
                batchSize, seed);
    }

    /** True for the regression sets (a target per point, not a class). */
    boolean regression() {
        return RegressionData.names(dataset);
    }

    /** The regression set's points and targets, drawn. */
    RegressionData regressionData() {
        RegressionData d = RegressionData.generate(dataset, points, noise, 1 - trainFraction, seed);
        if (batchSize > d.points().train().count) {
            throw ApiError.badField("batchSize", batchSize + " is more than the " + d.points().train().count
                    + " training points");
        }
        return d;
    }

    /** The points, drawn or read, split. */
    DataFolder data() {
        if (regression()) {
            return regressionData().points();
        }
        try {
            DataFolder d = dataset.equals("csv") ? PointsCsv.read(csv, MAX_CSV_POINTS, 1 - trainFraction, seed)
                    : ToyData.generate(dataset, points, noise, 1 - trainFraction, seed);
            if (batchSize > d.train().count) {
                throw ApiError.badField("batchSize", batchSize + " is more than the " + d.train().count
                        + " training points");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw ApiError.badField(dataset.equals("csv") ? "csv" : "dataset", e.getMessage());
        }
    }

    /** The network in PyTorch's words, for {@code features} inputs and {@code outputs} outputs. */
    String layerText(int outputs) {
        List<String> parts = new ArrayList<>();
        int in = features.size();
        for (int i = 0; i < hidden.size(); i++) {
            parts.add("Linear(" + in + ", " + hidden.get(i) + ")");
            String a = switch (activations.get(i)) {
                case "tanh" -> "Tanh()";
                case "relu" -> "ReLU()";
                case "sigmoid" -> "Sigmoid()";
                case "leaky_relu" -> "LeakyReLU(0.01)";
                case "elu" -> "ELU()";
                default -> null;
            };
            if (a != null) {
                parts.add(a);
            }
            in = hidden.get(i);
        }
        parts.add("Linear(" + in + ", " + outputs + ")");
        return String.join(", ", parts);
    }
}
