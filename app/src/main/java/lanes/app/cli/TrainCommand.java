package lanes.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import lanes.app.Data;
import lanes.app.Plot;
import lanes.app.ProcessStats;
import lanes.app.Regions;
import lanes.app.RunSummary;
import lanes.app.TrainRun;
import lanes.engine.Parallel;
import lanes.layers.data.DataFolder;
import lanes.layers.io.ModelFile;
import lanes.layers.models.Architecture;
import lanes.layers.nn.Sequential;
import lanes.layers.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lanes train}: trains a model on the embedded digits (or an MNIST-format folder) and reports. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a model on the embedded digits (or --data DIR), showing progress per epoch; then print "
                + "test accuracy, a confusion matrix, images/s and accuracy milestones, and plot loss and accuracy.",
            "Defaults: LeNet-5, 15 epochs, batch 64, SGD lr 0.05 on a cosine schedule, momentum 0.9, weight decay "
                + "5e-4, seed 1."})
final class TrainCommand implements Callable<Integer> {
    @Mixin
    TrainingOptions options = new TrainingOptions();

    @Option(names = "--threads", order = 13, description = "Threads (default: all cores).")
    Integer threads;

    @Option(names = "--checkpoint-every", order = 14, paramLabel = "N", description = "Write a checkpoint after "
            + "every N epochs (into --checkpoint-dir).")
    Integer checkpointEvery;

    @Option(names = "--checkpoint-dir", order = 15, paramLabel = "DIR", description = "Where checkpoints go "
            + "(default ${DEFAULT-VALUE}).")
    Path checkpointDir = Path.of("checkpoints");

    @Option(names = "--early-stopping", order = 17, paramLabel = "PATIENCE", description = "Stop once the test "
            + "accuracy has not improved for PATIENCE epochs in a row.")
    Integer earlyStopping;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--resume", order = 16, paramLabel = "FILE", description = "Continue the run saved in checkpoint "
            + "FILE, given the options of the run that wrote it (model, data, optimizer, schedule, --epochs, batch, "
            + "seed): --epochs counts the epochs in all.")
    Path resume;

    @Override
    public Integer call() throws IOException {
        options.check();
        if (threads != null) {
            Args.positive("--threads", threads);
            Parallel.setThreads(threads);
        }
        if (checkpointEvery != null) {
            Args.positive("--checkpoint-every", checkpointEvery);
        }
        if (earlyStopping != null) {
            Args.positive("--early-stopping", earlyStopping);
        }
        Data d = options.loadData();
        DataFolder folder = d.folder();
        if (d.description().startsWith(Data.TOY)) {         // the playground's pace: many short epochs
            if (!given("--epochs")) {
                options.epochs = 200;
            }
            if (!given("--batch")) {
                options.batch = 10;
            }
        }
        if (options.data != null && lanes.layers.audio.SpeechClips.looksLike(options.data)) {
            if (!given("--epochs")) {                       // a keyword set: 20 epochs of Adam unless told otherwise
                options.epochs = 20;
            }
            if (!given("--optimizer")) {
                options.optimizer = "adam";
            }
        }
        double loaded = ProcessStats.uptimeSeconds();
        var train = folder.train();
        Architecture arch = Architecture.forData(options.model, train.exampleShape(), train.classes);
        Sequential net = arch.build(options.seed, options.maxParameters);
        System.out.printf(Locale.ROOT, "Training %s on %s: %,d training and %,d test examples of %s, "
                + "%d epochs, batch %d, %s, %d thread%s, seed %d%n", arch.text(), d.description(), train.count,
                folder.test().count, shape(train.exampleShape()), options.epochs, options.batch,
                options.describeOptimizer(), Parallel.threads(), Parallel.threads() == 1 ? "" : "s", options.seed);
        Trainer trainer = new Trainer(net, arch.loss(), options.optimizer(net.parameters()), options.batch,
                options.seed).withSchedule(options.lrSchedule());
        if (checkpointEvery != null) {
            Files.createDirectories(checkpointDir);
            trainer.withCheckpoints(checkpointDir, checkpointEvery);
        }
        if (earlyStopping != null) {
            trainer.withEarlyStopping(folder.test(), earlyStopping);
        }
        if (resume != null) {
            trainer.resume(resume);
            System.out.printf(Locale.ROOT, "Resumed from %s after epoch %d%n", resume, trainer.epochs());
        }
        TrainRun run = new TrainRun(trainer, folder, options.batch, options.quiet ? null : System.out);
        run.run(options.epochs);
        TrainRun.Divergence diverged = run.divergence();
        Trainer.Evaluation e = run.lastEvaluation();
        if (e != null) {
            RunSummary.print(System.out, e, folder.test().count, run.imagesPerSecond(), run.trainSeconds(),
                    run.epochs());
        }
        if (earlyStopping != null && trainer.stoppedEarly()) {
            System.out.printf(Locale.ROOT, "Stopped early after epoch %d: the test accuracy last improved at epoch "
                    + "%d (patience %d)%n", trainer.epochs(), trainer.bestEpoch(), earlyStopping);
        }
        if (options.plot != null) {
            boolean plane = Arrays.equals(train.exampleShape(), new int[] {2}) && diverged == null;
            Plot.write(options.plot, "Lanes " + title(arch.text()) + (diverged == null ? ": training loss and "
                    + "test accuracy" : ": diverged at step " + diverged.step()), run.epochs(), run.stepLosses(),
                    run.stepsPerEpoch(), plane ? Regions.draw(net, train, folder.test(), 540) : null);
            System.out.println("Plot: " + options.plot);
        }
        if (diverged != null) {
            if (options.json != null) {
                writeReport(arch, train.count, run, e, loaded, diverged);
                System.out.println("Report: " + options.json);
            }
            throw new IllegalStateException(String.format(Locale.ROOT, "diverged at step %d (epoch %d) with lr %s: "
                    + "the loss went from %s to not finite (%s). Try a smaller --lr, e.g. %s", diverged.step(),
                    (diverged.step() - 1) / run.stepsPerEpoch() + 1, options.rate(), Double.isNaN(
                    diverged.lastFiniteLoss()) ? "its first value" : String.format(Locale.ROOT, "%.4g",
                    diverged.lastFiniteLoss()), diverged.why(), options.rate() / 10));
        }
        if (options.save != null) {
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("test_accuracy", String.format(Locale.ROOT, "%.4f", e.accuracy()));
            meta.put("epochs", Integer.toString(options.epochs));
            meta.put("data", d.description());
            d.store(meta);
            ModelFile.write(options.save, arch, net, meta);
            System.out.println("Model: " + options.save);
        }
        if (options.json != null) {
            writeReport(arch, train.count, run, e, loaded, null);
            System.out.println("Report: " + options.json);
        }
        return 0;
    }

    /** {@code 1 x 28 x 28}, {@code 2}. */
    static String shape(int[] s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length; i++) {
            b.append(i == 0 ? "" : " x ").append(s[i]);
        }
        return b.toString();
    }

    /** A long model text cut for a title. */
    private static String title(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private void writeReport(Architecture arch, int trainCount, TrainRun run, Trainer.Evaluation e, double loaded,
                             TrainRun.Divergence diverged) throws IOException {
        List<String> epochsJson = new ArrayList<>();
        double previous = 0;
        for (TrainRun.Epoch ep : run.epochs()) {
            epochsJson.add(String.format(Locale.ROOT, "{\"epoch\": %d, \"train_loss\": %.6f, \"test_accuracy\":"
                    + " %.6f, \"test_loss\": %.6f, \"seconds\": %.3f, \"images_per_s\": %.1f}", ep.number(),
                    ep.trainLoss(), ep.testAccuracy(), ep.testLoss(), ep.seconds(),
                    trainCount / Math.max(ep.seconds() - previous, 1e-9)));
            previous = ep.seconds();
        }
        StringBuilder steps = new StringBuilder();
        for (int i = 0; i < run.stepLosses().size(); i++) {
            float v = run.stepLosses().get(i);
            steps.append(i == 0 ? "" : ", ").append(Float.isFinite(v) ? Float.toString(v) : "null");
        }
        String divergence = diverged == null ? "null" : String.format(Locale.ROOT, "{\"step\": %d, "
                + "\"last_finite_loss\": %s, \"lr\": %s, \"why\": %s}", diverged.step(),
                Double.isNaN(diverged.lastFiniteLoss()) ? "null" : Double.toString(diverged.lastFiniteLoss()),
                options.rate(), Json.quote(diverged.why()));
        // process_seconds: the JVM's uptime when the report is written (start-up, data, training, evaluations)
        Json.writeObject(options.json, String.format(Locale.ROOT, "{\"model\": %s, \"test_accuracy\": "
                + "%s, \"test_loss\": %s, \"images_per_s\": %.1f, \"epochs\": %d, \"seconds\": %.3f, "
                + "\"batch\": %d, \"threads\": %d, \"seed\": %d, \"data_loaded_s\": %.3f, "
                + "\"process_seconds\": %.3f, \"peak_rss_bytes\": %d, \"diverged\": %s, \"steps_per_epoch\": %d, "
                + "\"per_epoch\": [%s], \"per_step_loss\": [%s]}", Json.quote(arch.text()),
                e == null ? "null" : String.format(Locale.ROOT, "%.6f", e.accuracy()),
                e == null ? "null" : String.format(Locale.ROOT, "%.6f", e.meanLoss()), run.imagesPerSecond(),
                options.epochs, run.trainSeconds(), options.batch, Parallel.threads(), options.seed, loaded,
                ProcessStats.uptimeSeconds(), ProcessStats.peakResidentBytes(), divergence, run.stepsPerEpoch(),
                String.join(", ", epochsJson), steps));
    }
}
