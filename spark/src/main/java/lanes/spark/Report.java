package lanes.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import lanes.app.Data;
import lanes.app.Plot;
import lanes.app.RunSummary;
import lanes.app.TrainRun;
import lanes.layers.io.AtomicFile;
import lanes.layers.io.ModelFile;

/** What {@code lanes spark train} prints and writes at the end, as {@code lanes train} does. */
final class Report {
    private Report() {
    }

    static void print(DataParallel.Result r, Data d, SparkApp.Train train) throws IOException {
        var e = r.last();
        double imagesPerSecond = r.images() / Math.max(r.trainSeconds(), 1e-9);
        RunSummary.print(System.out, e, d.folder().test().count, imagesPerSecond, r.trainSeconds(), r.epochs());
        String title = "Lanes on Spark, " + r.worker().architecture.text() + " (" + train.mode + "): training loss"
                + " and test accuracy";
        if (train.options.plot != null) {
            Plot.write(train.options.plot, title, r.epochs());
            System.out.println("Plot: " + train.options.plot);
        }
        if (train.options.save != null) {
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("test_accuracy", String.format(Locale.ROOT, "%.4f", e.accuracy()));
            meta.put("epochs", Integer.toString(train.options.epochs));
            meta.put("data", d.description());
            meta.put("trained_by", "lanes spark train --mode " + train.mode + " --optimizer "
                    + train.options.optimizer);
            d.store(meta);
            ModelFile.write(train.options.save, r.worker().architecture, r.worker().model, meta);
            System.out.println("Model: " + train.options.save);
        }
        if (train.options.json != null) {
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
                    r.worker().architecture.text(), train.mode, train.averageEvery, train.options.optimizer,
                    r.worker().spec.partitions(), e.accuracy(), e.meanLoss(), imagesPerSecond, train.options.epochs,
                    r.trainSeconds(), train.options.batch, train.options.seed, String.join(", ", epochs));
            AtomicFile.write(train.options.json, json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            System.out.println("Report: " + train.options.json);
        }
    }
}
