package lanes.app.studio;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import lanes.app.Data;
import lanes.app.KeywordSpotter;
import lanes.engine.Parallel;
import lanes.engine.Tensor;
import lanes.layers.data.Dataset;
import lanes.layers.io.JsonText;
import lanes.layers.io.ModelFile;
import lanes.layers.loss.Loss;
import lanes.layers.models.Architecture;
import lanes.layers.nn.ConvolutionLayer;
import lanes.layers.nn.Layer;
import lanes.layers.nn.Sequential;
import lanes.layers.train.Trainer;

/**
 * A {@code lanes train} run driven from the page: the same data, model, optimizer and trainer, watched live (the
 * loss of every step, the test accuracy and confusion of every epoch, images per second, the time of each layer,
 * the first convolution's filters) and asked things (the test images of a confusion cell, a drawn digit's
 * prediction and feature maps). Pausing ends the epoch in progress; playing again starts it anew.
 */
final class TrainingRun extends Run {
    private final TrainSpec spec;
    private final Data data;
    private final Architecture architecture;
    private final Sequential model;
    private final Trainer trainer;
    private final Loss loss;
    private final History history = new History(2000);
    private final List<String> epochs = new ArrayList<>();
    private final LayerTimes layerTimes;
    private Trainer.Evaluation evaluation;
    private long steps;
    private long images;
    private double trainSeconds;
    private double runningLoss = Double.NaN;
    private volatile double imagesPerSecond;
    private String failure;

    TrainingRun(String id, TrainSpec spec, Studio.Settings settings) {
        super(id);
        this.spec = spec;
        try {
            this.data = spec.options().loadData();
        } catch (IOException | IllegalArgumentException e) {
            throw ApiError.badField("data", e.getMessage());
        }
        Dataset train = data.folder().train();
        try {
            this.architecture = Architecture.forData(spec.options().model, train.exampleShape(), train.classes);
            this.model = architecture.build(spec.options().seed, spec.options().maxParameters);
        } catch (IllegalArgumentException e) {
            throw ApiError.badField("model", e.getMessage());
        }
        this.loss = architecture.loss();
        this.trainer = new Trainer(model, loss, spec.options().optimizer(model.parameters()), spec.options().batch,
                spec.options().seed).withSchedule(spec.options().lrSchedule());
        this.layerTimes = new LayerTimes(model, train, architecture.loss());
    }

    @Override
    String kind() {
        return "train";
    }

    /** One line for a list: model, data, epochs done, test accuracy. */
    String describe() {
        lock.lock();
        try {
            return String.format(Locale.ROOT, "%s on %s, epoch %d of %d%s", architecture.text(), spec.dataName(),
                    trainer.epochs(), spec.options().epochs, evaluation == null ? "" : String.format(Locale.ROOT,
                    ", %.1f %% on the test set", 100 * evaluation.accuracy()));
        } finally {
            lock.unlock();
        }
    }

    @Override
    void work() {
        Parallel.setThreads(spec.threads());
        int total = spec.options().epochs;
        long[] start = {System.nanoTime()};
        long[] lastShown = {0};
        double[] sum = {0, 0};
        int batch = spec.options().batch;
        lock.lock();
        try {
            trainer.fit(data.folder().train(), Math.max(0, total - trainer.epochs()), new Trainer.Listener() {
                @Override
                public void onStep(int epoch, int step, float l) {
                    steps++;
                    images += batch;
                    sum[0] += l;
                    sum[1]++;
                    long now = System.nanoTime();
                    if (now - lastShown[0] > 50_000_000L) {
                        runningLoss = sum[0] / sum[1];
                        history.add(steps, runningLoss, Double.NaN);
                        sum[0] = 0;
                        sum[1] = 0;
                        imagesPerSecond = images / ((trainSeconds * 1e9 + now - start[0]) / 1e9);
                        lastShown[0] = now;
                        changed();
                        lock.unlock();           // let the page's requests in between steps
                        lock.lock();
                    }
                    if (stopping()) {
                        throw new Stopped();
                    }
                }

                @Override
                public void onEpoch(int epoch, float meanLoss) {
                    trainSeconds += (System.nanoTime() - start[0]) / 1e9;
                    evaluation = trainer.evaluate(data.folder().test());
                    layerTimes.measure();
                    epochs.add(String.format(Locale.ROOT, "{\"epoch\": %d, \"trainLoss\": %s, \"testAccuracy\": %s, "
                            + "\"testLoss\": %s, \"seconds\": %s}", epoch + 1, Boundary.num(meanLoss),
                            Boundary.num(evaluation.accuracy()), Boundary.num(evaluation.meanLoss()),
                            Boundary.num(trainSeconds)));
                    changed();
                    start[0] = System.nanoTime();
                }
            });
        } catch (Stopped e) {
            trainSeconds += (System.nanoTime() - start[0]) / 1e9;
        } catch (IllegalStateException e) {
            failure = e.getMessage().contains("loss is") ? "Training diverged: " + e.getMessage() + ". Try a "
                    + "learning rate of " + Fields.plain(spec.options().rate() / 10) + " or lower." : e.getMessage();
        } finally {
            lock.unlock();
        }
    }

    /** Thrown from the listener to end the epoch when the run is paused. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    @Override
    String state() {
        StringBuilder s = new StringBuilder(8_000);
        s.append(String.format(Locale.ROOT, "{\"id\": %s, \"kind\": \"train\", \"model\": %s, \"data\": %s, "
                + "\"step\": %d, \"epoch\": %d, \"epochs\": %d, \"stepsPerEpoch\": %d, \"trainLoss\": %s, "
                + "\"testLoss\": %s, \"testAccuracy\": %s, \"imagesPerSecond\": %s, \"threads\": %d, \"playing\": %s, "
                + "\"done\": %s, \"failure\": %s, \"classes\": %s, \"input\": %s, \"history\": %s, \"epochLog\": [%s], "
                + "\"layerTimes\": %s, \"confusion\": %s, \"filters\": %s}", JsonText.quote(id),
                JsonText.quote(architecture.text()), JsonText.quote(data.description()), steps, trainer.epochs(),
                spec.options().epochs, (data.folder().train().count + spec.options().batch - 1)
                / spec.options().batch, Boundary.num(runningLoss), evaluation == null ? "null"
                : Boundary.num(evaluation.meanLoss()), evaluation == null ? "null"
                : Boundary.num(evaluation.accuracy()), Boundary.num(imagesPerSecond), spec.threads(), playing(),
                trainer.epochs() >= spec.options().epochs, failure != null ? JsonText.quote(failure) : fault() != null
                ? JsonText.quote(fault()) : "null",
                classNames(), java.util.Arrays.toString(architecture.input()), history.json(),
                String.join(", ", epochs), layerTimes.json(), confusion(), filters()));
        return s.toString();
    }

    private String classNames() {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < data.folder().train().classes; c++) {
            names.add(JsonText.quote(data.classes() == null ? Integer.toString(c) : data.classes().get(c)));
        }
        return "[" + String.join(", ", names) + "]";
    }

    private String confusion() {
        if (evaluation == null) {
            return "null";
        }
        StringBuilder s = new StringBuilder("[");
        int[][] m = evaluation.confusion();
        for (int r = 0; r < m.length; r++) {
            s.append(r == 0 ? "" : ", ").append(java.util.Arrays.toString(m[r]));
        }
        return s.append(']').toString();
    }

    // the first convolution's weights: {"shape": [out, in, kh, kw], "min", "max", "values": [...]}
    private String filters() {
        for (Layer l : model.flattened()) {
            if (l instanceof ConvolutionLayer c) {
                Tensor w = c.weight.value.contiguous();
                float[] d = w.data();
                float lo = Float.MAX_VALUE;
                float hi = -Float.MAX_VALUE;
                StringBuilder v = new StringBuilder();
                for (int i = 0; i < w.size(); i++) {
                    float x = d[w.offset() + i];
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                    v.append(i == 0 ? "" : ",").append(Boundary.num(Math.round(x * 1e4) / 1e4));
                }
                return "{\"layer\": " + JsonText.quote(c.toString()) + ", \"shape\": "
                        + java.util.Arrays.toString(w.shape()) + ", \"min\": " + Boundary.num(lo) + ", \"max\": "
                        + Boundary.num(hi) + ", \"values\": [" + v + "]}";
            }
        }
        return "null";
    }

    /**
     * Up to 60 test images whose true class is {@code true} and predicted class {@code predicted}, from a query
     * {@code true=T&predicted=P}. Call without the lock.
     */
    String examples(String query) {
        Map<String, String> q = Http.query(query);
        int classes = data.folder().test().classes;
        int truth = classIndex(q, "true", classes);
        int predicted = classIndex(q, "predicted", classes);
        Dataset test = data.folder().test();
        List<Integer> hits = new ArrayList<>();
        lock.lock();
        try {
            Layer view = model.replica();
            int batch = 256;
            int k = -1;
            for (int from = 0; from < test.count && hits.size() < 60; from += batch) {
                int n = Math.min(batch, test.count - from);
                int[] shape = test.exampleShape();
                int[] full = new int[shape.length + 1];
                full[0] = n;
                System.arraycopy(shape, 0, full, 1, shape.length);
                Tensor x = Tensor.zeros(full);
                int[] y = new int[n];
                test.range(from, n, x, y);
                Tensor out = view.forward(x).contiguous();
                k = out.shape(1);
                for (int i = 0; i < n && hits.size() < 60; i++) {
                    int p = loss.predictedClass(out.data(), out.offset() + i * k, k);
                    if (y[i] == truth && p == predicted) {
                        hits.add(from + i);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        StringBuilder s = new StringBuilder("{\"true\": " + truth + ", \"predicted\": " + predicted + ", \"shape\": "
                + java.util.Arrays.toString(test.exampleShape()) + ", \"images\": [");
        for (int i = 0; i < hits.size(); i++) {
            s.append(i == 0 ? "" : ", ").append("{\"index\": ").append(hits.get(i)).append(", \"pixels\": \"")
                    .append(bytes(test.example(hits.get(i)))).append("\"}");
        }
        return s.append("]}").toString();
    }

    /**
     * A drawn digit's class probabilities and every layer's output. Call without the lock.
     *
     * @param f {@code width}, {@code height} and {@code pixels} (row by row, 0 white to 1 ink)
     */
    String predict(Fields f) {
        f.only(java.util.Set.of("width", "height", "pixels"));
        int w = f.integer("width", 0, 1, 560);
        int h = f.integer("height", 0, 1, 560);
        if (!f.has("width") || !f.has("height") || !f.has("pixels")) {
            throw ApiError.badField(!f.has("width") ? "width" : !f.has("height") ? "height" : "pixels",
                    "missing; give width, height and pixels (width x height numbers from 0 to 1)");
        }
        List<Object> raw = f.list("pixels", List.of(), 560 * 560);
        if (raw.size() != w * h) {
            throw ApiError.badField("pixels", raw.size() + " values for a " + w + " x " + h + " drawing; give "
                    + w * h);
        }
        float[] px = new float[raw.size()];
        for (int i = 0; i < px.length; i++) {
            if (!(raw.get(i) instanceof Double d) || !(d >= 0 && d <= 1)) {
                throw ApiError.badField("pixels[" + i + "]", Fields.describe(raw.get(i)) + "; give a number from 0 "
                        + "to 1");
            }
            px[i] = d.floatValue();
        }
        int[] input = architecture.input();
        if (input.length != 3) {
            throw new ApiError(409, null, "the drawing pad needs a model of images; " + architecture.text()
                    + " takes " + java.util.Arrays.toString(input));
        }
        float[] image = Digit.centred(px, w, h, input[1], input[2]);
        Tensor x = Tensor.zeros(1, input[0], input[1], input[2]);
        for (int c = 0; c < input[0]; c++) {
            System.arraycopy(image, 0, x.data(), c * image.length, image.length);
        }
        if (data.normalization() != null) {
            data.normalization().apply(x.data(), image.length);
        }
        lock.lock();
        try {
            return FeatureMaps.of(model.replica(), x, loss, image, input[1], input[2], classNames());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The model as it stands, as a keyword spotter (a copy: training on does not change it).
     *
     * @throws ApiError 409 if the run's model is not a keyword spotter, saying why
     */
    KeywordSpotter spotter() throws IOException {
        byte[] file;
        lock.lock();
        try {
            file = modelFile();
        } finally {
            lock.unlock();
        }
        String name = "run " + id;
        try {
            return KeywordSpotter.of(ModelFile.read(java.nio.file.Path.of(name), file), name);
        } catch (IllegalArgumentException e) {
            throw new ApiError(409, "run", e.getMessage());
        }
    }

    /** The model as a Lanes model file, with what prediction needs. Call under the lock. */
    byte[] modelFile() throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        data.store(meta);
        meta.put("data", data.description());
        meta.put("epochs", Integer.toString(trainer.epochs()));
        if (evaluation != null) {
            meta.put("test_accuracy", String.format(Locale.ROOT, "%.4f", evaluation.accuracy()));
        }
        return ModelBytes.of(architecture, model, meta);
    }

    private static String bytes(float[] pixels) {
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float p : pixels) {
            lo = Math.min(lo, p);
            hi = Math.max(hi, p);
        }
        byte[] b = new byte[pixels.length];
        float span = hi > lo ? hi - lo : 1;
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Math.round((pixels[i] - lo) / span * 255);
        }
        return Base64.getEncoder().encodeToString(b);
    }

    private static int classIndex(Map<String, String> q, String name, int classes) {
        String v = q.get(name);
        try {
            int c = Integer.parseInt(v);
            if (c >= 0 && c < classes) {
                return c;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw ApiError.badField(name, "\"" + Fields.clip(String.valueOf(v)) + "\"; give a class from 0 to "
                + (classes - 1));
    }
}
