package lanes.app.studio;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import lanes.app.cli.TrainingOptions;
import lanes.layers.nn.ModelText;

/**
 * The settings of a train run ({@code "kind": "train"}), as {@code lanes train} takes them: the model (a short name
 * or PyTorch's layer text), the data (the embedded digits or a folder given to {@code lanes studio --data}), the
 * optimizer, rate, schedule, epochs, batch and threads. The page cannot name a path: only what the command line
 * allowed.
 *
 * @param options the options, as {@code lanes train} would hold them
 * @param dataName the data's name on the page
 * @param threads threads for the engine
 */
record TrainSpec(TrainingOptions options, String dataName, int threads) {
    /** The most parameters a studio model may have. */
    static final long MAX_PARAMETERS = 20_000_000;
    /** The short names the page offers (any PyTorch layer text is taken too). */
    static final List<String> MODELS = List.of("lenet5", "lenet5-classic", "mlp", "softmax", "alexnet");
    static final Set<String> FIELDS = Set.of("kind", "model", "data", "optimizer", "learningRate", "momentum",
            "weightDecay", "schedule", "epochs", "batchSize", "threads", "seed");

    static TrainSpec parse(Fields f, Studio.Settings settings) {
        f.only(FIELDS);
        TrainingOptions o = new TrainingOptions(3, null);
        String model = f.string("model", "lenet5").strip();
        if (model.isEmpty() || model.length() > 4000) {
            throw ApiError.badField("model", "give a short name (" + String.join(", ", MODELS) + ") or PyTorch's "
                    + "layer text of up to 4,000 characters");
        }
        o.model = model;
        String data = f.string("data", "digits");
        if (!data.equals("digits") && !settings.dataFolders().containsKey(data)) {
            throw ApiError.badField("data", "\"" + Fields.clip(data) + "\" is not offered; the data are digits"
                    + (settings.dataFolders().isEmpty() ? " (start lanes studio --data DIR for more)" : ", "
                    + String.join(", ", settings.dataFolders().keySet())));
        }
        o.data = data.equals("digits") ? null : settings.dataFolders().get(data);
        o.optimizer = f.choice("optimizer", "sgd", List.of("sgd", "adam"));
        o.lr = (float) f.number("learningRate", o.optimizer.equals("adam") ? 0.001 : 0.05, 1e-7, 100);
        o.momentum = (float) f.number("momentum", 0.9, 0, 0.999);
        o.weightDecay = (float) f.number("weightDecay", 5e-4, 0, 1);
        o.schedule = f.choice("schedule", "cosine", List.of("cosine", "constant"));
        o.epochs = f.integer("epochs", 3, 1, 100);
        o.batch = f.integer("batchSize", 64, 1, 1024);
        o.seed = f.integer("seed", 1, 0, Integer.MAX_VALUE);
        o.maxParameters = Math.min(MAX_PARAMETERS, ModelText.MAX_PARAMETERS);
        o.plot = null;
        o.quiet = true;
        int cores = Runtime.getRuntime().availableProcessors();
        int threads = f.integer("threads", cores, 1, cores);
        return new TrainSpec(o, data, threads);
    }

    Path folder() {
        return options.data;
    }
}
