package lanes.bench.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import lanes.bench.app.Confusion;
import lanes.bench.app.Data;
import lanes.bench.app.Plot;
import lanes.bench.app.ProcessStats;
import lanes.bench.app.TrainRun;
import lanes.engine.Parallel;
import lanes.layers.Adam;
import lanes.layers.Architecture;
import lanes.layers.LrSchedule;
import lanes.layers.Optimizer;
import lanes.layers.Sequential;
import lanes.layers.Sgd;
import lanes.layers.Trainer;
import lanes.layers.data.DataFolder;
import lanes.layers.io.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lanes train}: trains a model on the embedded digits (or an MNIST-format folder) and reports. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a model on the embedded digits (or --data DIR), showing progress per epoch; then print "
                + "test accuracy, a confusion matrix, images/s and accuracy milestones, and plot loss and accuracy.",
            "Defaults: LeNet-5, 15 epochs, batch 64, SGD lr 0.05 on a cosine schedule, momentum 0.9, weight decay "
                + "5e-4, seed 1."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--model", description = "lenet5 (default), lenet5-classic, alexnet (a small CNN in AlexNet's "
            + "pattern, for 32 x 32 images), mlp, logistic (binary: sigmoid and binary cross-entropy, for 2 classes), "
            + "softmax (softmax regression) or tdnn.")
    String model = "lenet5";

    @Option(names = "--data", paramLabel = "DIR", description = "An MNIST-format folder (train-images-idx3-ubyte, "
            + "train-labels-idx1-ubyte, t10k-...; gzipped or not), or an image folder in torchvision's ImageFolder "
            + "layout (DIR/train/<class>/*.png|jpg and DIR/test/<class>/*, or DIR/<class>/* split by "
            + "--test-fraction): grey or RGB, resized to the model's input, normalised per channel with the "
            + "training set's mean and standard deviation (stored in the model file). Default: the embedded digits.")
    Path data;

    @Option(names = "--channels", description = "For an image folder: 1 (grey) or 3 (RGB); default: 3 if any "
            + "training image has colour, else 1.")
    Integer channels;

    @Option(names = "--size", paramLabel = "N", description = "For an image folder: the side images are resized to "
            + "(default: 32 for alexnet, else 28).")
    Integer size;

    @Option(names = "--test-fraction", paramLabel = "F", description = "For an image folder without train/ and "
            + "test/: the share of each class held out for testing, drawn with --seed (default ${DEFAULT-VALUE}).")
    double testFraction = 0.2;

    @Option(names = "--epochs", description = "Passes over the training set (default ${DEFAULT-VALUE}).")
    int epochs = 15;

    @Option(names = "--batch", description = "Images per step (default ${DEFAULT-VALUE}).")
    int batch = 64;

    @Option(names = "--lr", description = "Learning rate (default 0.05 for SGD, 0.001 for Adam).")
    Float lr;

    @Option(names = "--momentum", description = "SGD momentum (default ${DEFAULT-VALUE}).")
    float momentum = 0.9f;

    @Option(names = "--weight-decay", description = "L2 weight decay (default ${DEFAULT-VALUE}).")
    float weightDecay = 5e-4f;

    @Option(names = "--optimizer", description = "sgd (default) or adam.")
    String optimizer = "sgd";

    @Option(names = "--schedule", description = "Learning rate per epoch: cosine (default: from --lr down to 0 at "
            + "the last epoch) or constant.")
    String schedule = "cosine";

    @Option(names = "--threads", description = "Threads (default: all cores).")
    Integer threads;

    @Option(names = "--seed", description = "Seed of the initial weights and the shuffling (default ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--save", paramLabel = "FILE", description = "Write the trained model to FILE (a Lanes model file).")
    Path save;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Write a checkpoint after every N epochs "
            + "(into --checkpoint-dir).")
    Integer checkpointEvery;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "Where checkpoints go (default "
            + "${DEFAULT-VALUE}).")
    Path checkpointDir = Path.of("checkpoints");

    @Option(names = "--resume", paramLabel = "FILE", description = "Continue the run saved in checkpoint FILE, given "
            + "the options of the run that wrote it (model, data, optimizer, schedule, --epochs, batch, seed): "
            + "--epochs counts the epochs in all.")
    Path resume;

    @Option(names = "--plot", paramLabel = "FILE", description = "The PNG plot (default ${DEFAULT-VALUE}).")
    Path plot = Path.of("lanes-train.png");

    @Option(names = "--json", paramLabel = "FILE", description = "Also write a JSON report (test_accuracy, "
            + "images_per_s, epochs, seconds, per-epoch figures).")
    Path json;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        Args.positive("--epochs", epochs);
        Args.positive("--batch", batch);
        Args.finiteNonNegative("--momentum", momentum);
        Args.finiteNonNegative("--weight-decay", weightDecay);
        if (lr != null) {
            Args.finitePositive("--lr", lr);
        }
        if (threads != null) {
            Args.positive("--threads", threads);
            Parallel.setThreads(threads);
        }
        if (!schedule.equals("cosine") && !schedule.equals("constant")) {
            throw new IllegalArgumentException("--schedule " + schedule + ": must be cosine or constant");
        }
        if (!optimizer.equals("sgd") && !optimizer.equals("adam")) {
            throw new IllegalArgumentException("--optimizer " + optimizer + ": must be sgd or adam");
        }
        if (size != null) {
            Args.positive("--size", size);
        }
        int side = size != null ? size : model.equals("alexnet") ? 32 : 28;
        Data d = Data.load(data, new Data.ImageOptions(channels, side, side, testFraction, seed, null));
        if (d.classes() == null && (channels != null || size != null)) {
            throw new IllegalArgumentException("--channels and --size apply to image folders; " + d.description()
                    + " is MNIST-format");
        }
        DataFolder folder = d.folder();
        double loaded = ProcessStats.uptimeSeconds();
        var train = folder.train();
        Architecture arch = Architecture.forImages(model, train.channels, train.rows, train.cols, train.classes);
        Sequential net = arch.build(seed);
        Sequential fused = net.fuse();
        float rate = lr != null ? lr : optimizer.equals("sgd") ? 0.05f : 0.001f;
        Optimizer opt = optimizer.equals("sgd")
                ? new Sgd(net.parameters(), rate, momentum, 0f, weightDecay, false)
                : new Adam(net.parameters(), rate, 0.9f, 0.999f, 1e-8f, weightDecay, false);
        System.out.printf(Locale.ROOT, "Training %s on %s: %,d training and %,d test images of %d x %d x %d, "
                + "%d epochs, batch %d, %s lr %s (%s)%s, %d thread%s, seed %d%n", arch.text(), d.description(),
                train.count, folder.test().count, train.channels, train.rows, train.cols, epochs, batch, optimizer,
                rate, schedule, optimizer.equals("sgd") ? ", momentum " + momentum : "", Parallel.threads(),
                Parallel.threads() == 1 ? "" : "s", seed);
        Trainer trainer = new Trainer(fused, arch.loss(), opt, batch, seed);
        if (schedule.equals("cosine")) {
            trainer.withSchedule(LrSchedule.cosine(rate, epochs, 0f));
        }
        if (checkpointEvery != null) {
            Args.positive("--checkpoint-every", checkpointEvery);
            java.nio.file.Files.createDirectories(checkpointDir);
            trainer.withCheckpoints(checkpointDir, checkpointEvery);
        }
        if (resume != null) {
            trainer.resume(resume);
            System.out.printf(Locale.ROOT, "Resumed from %s after epoch %d%n", resume, trainer.epochs());
        }
        TrainRun run = new TrainRun(trainer, folder, batch, quiet ? null : System.out);
        run.run(epochs);
        Trainer.Evaluation e = run.lastEvaluation();
        System.out.printf(Locale.ROOT, "%nTest accuracy %.2f %% (%,d / %,d), test loss %.4f%n", 100 * e.accuracy(),
                Math.round(e.accuracy() * folder.test().count), folder.test().count, e.meanLoss());
        System.out.println(Confusion.format(e.confusion()));
        System.out.printf(Locale.ROOT, "Training: %,.0f images/s, %.1f s for %d epochs (evaluation not counted)%n",
                run.imagesPerSecond(), run.trainSeconds(), epochs);
        System.out.print("Milestones (training time when the test accuracy first reached):");
        for (double m : TrainRun.MILESTONES) {
            double t = run.reached(m);
            System.out.printf(Locale.ROOT, "  %.0f %% %s", 100 * m, Double.isNaN(t) ? "-" : String.format(
                    Locale.ROOT, "%.1f s", t));
        }
        System.out.println();
        if (plot != null) {
            Plot.write(plot, "Lanes " + arch.text() + ": training loss and test accuracy", run.epochs());
            System.out.println("Plot: " + plot);
        }
        if (save != null) {
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("test_accuracy", String.format(Locale.ROOT, "%.4f", e.accuracy()));
            meta.put("epochs", Integer.toString(epochs));
            meta.put("data", d.description());
            d.store(meta);
            ModelFile.write(save, arch, net, meta);
            System.out.println("Model: " + save);
        }
        if (json != null) {
            List<String> epochsJson = new ArrayList<>();
            double previous = 0;
            for (TrainRun.Epoch ep : run.epochs()) {
                epochsJson.add(String.format(Locale.ROOT, "{\"epoch\": %d, \"train_loss\": %.6f, \"test_accuracy\":"
                        + " %.6f, \"test_loss\": %.6f, \"seconds\": %.3f, \"images_per_s\": %.1f}", ep.number(),
                        ep.trainLoss(), ep.testAccuracy(), ep.testLoss(), ep.seconds(),
                        train.count / Math.max(ep.seconds() - previous, 1e-9)));
                previous = ep.seconds();
            }
            // process_seconds: the JVM's uptime when the report is written (start-up, data, training, evaluations)
            Json.writeObject(json, String.format(Locale.ROOT, "{\"model\": \"%s\", \"test_accuracy\": "
                    + "%.6f, \"test_loss\": %.6f, \"images_per_s\": %.1f, \"epochs\": %d, \"seconds\": %.3f, "
                    + "\"batch\": %d, \"threads\": %d, \"seed\": %d, \"data_loaded_s\": %.3f, "
                    + "\"process_seconds\": %.3f, \"peak_rss_bytes\": %d, \"per_epoch\": [%s]}", arch.text(),
                    e.accuracy(), e.meanLoss(), run.imagesPerSecond(), epochs, run.trainSeconds(), batch,
                    Parallel.threads(), seed, loaded, ProcessStats.uptimeSeconds(), ProcessStats.peakResidentBytes(),
                    String.join(", ", epochsJson)));
            System.out.println("Report: " + json);
        }
        return 0;
    }
}
