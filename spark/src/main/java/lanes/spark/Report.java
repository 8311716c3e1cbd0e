package lanes.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import lanes.bench.app.Confusion;
import lanes.bench.app.Data;
import lanes.bench.app.Plot;
import lanes.bench.app.TrainRun;
import lanes.layers.internal.AtomicFile;
import lanes.layers.io.ModelFile;

/** What {@code lanes spark train} prints and writes at the end, as {@code lanes train} does. */
final class Report {
    private Report() {
    }

    static void print(DataParallel.Result r, Data d, SparkApp.Train options) throws IOException {
        var e = r.last();
        int test = d.folder().test().count;
        double imagesPerSecond = r.images() / Math.max(r.trainSeconds(), 1e-9);
        System.out.printf(Locale.ROOT, "%nTest accuracy %.2f %% (%,d / %,d), test loss %.4f%n", 100 * e.accuracy(),
                Math.round(e.accuracy() * test), test, e.meanLoss());
        System.out.println(Confusion.format(e.confusion()));
        System.out.printf(Locale.ROOT, "Training: %,.0f images/s, %.1f s for %d epochs (evaluation not counted)%n",
                imagesPerSecond, r.trainSeconds(), options.epochs);
        System.out.print("Milestones (training time when the test accuracy first reached):");
        for (double m : TrainRun.MILESTONES) {
            String at = "-";
            for (TrainRun.Epoch ep : r.epochs()) {
                if (ep.testAccuracy() >= m) {
                    at = String.format(Locale.ROOT, "%.1f s", ep.seconds());
                    break;
                }
            }
            System.out.printf(Locale.ROOT, "  %.0f %% %s", 100 * m, at);
        }
        System.out.println();
        String title = "Lanes on Spark, " + r.worker().architecture.text() + " (" + options.mode + "): training loss"
                + " and test accuracy";
        if (options.plot != null) {
            Plot.write(options.plot, title, r.epochs());
            System.out.println("Plot: " + options.plot);
        }
        if (options.save != null) {
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("test_accuracy", String.format(Locale.ROOT, "%.4f", e.accuracy()));
            meta.put("epochs", Integer.toString(options.epochs));
            meta.put("data", d.description());
            meta.put("trained_by", "lanes spark train --mode " + options.mode + " --optimizer " + options.optimizer);
            d.store(meta);
            ModelFile.write(options.save, r.worker().architecture, r.worker().model, meta);
            System.out.println("Model: " + options.save);
        }
        if (options.json != null) {
            List<String> epochs = new ArrayList<>();
            for (TrainRun.Epoch ep : r.epochs()) {
                epochs.add(String.format(Locale.ROOT, "{\"epoch\": %d, \"train_loss\": %.6f, \"test_accuracy\": "
                        + "%.6f, \"test_loss\": %.6f, \"seconds\": %.3f}", ep.number(), ep.trainLoss(),
                        ep.testAccuracy(), ep.testLoss(), ep.seconds()));
            }
            String json = String.format(Locale.ROOT, "{\"model\": \"%s\", \"mode\": \"%s\", \"average_every\": "
                    + "%d, \"optimizer\": \"%s\", \"partitions\": %d, \"test_accuracy\": %.6f, \"test_loss\": "
                    + "%.6f, \"images_per_s\": %.1f, \"epochs\": %d, \"seconds\": %.3f, \"batch\": %d, \"seed\": %d, "
                    + "\"per_epoch\": [%s]}%n",
                    r.worker().architecture.text(), options.mode, options.averageEvery, options.optimizer,
                    r.worker().spec.partitions(), e.accuracy(), e.meanLoss(), imagesPerSecond, options.epochs,
                    r.trainSeconds(), options.batch, options.seed, String.join(", ", epochs));
            AtomicFile.write(options.json, json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            System.out.println("Report: " + options.json);
        }
    }
}
