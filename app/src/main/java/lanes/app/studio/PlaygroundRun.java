package lanes.app.studio;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import lanes.app.Features;
import lanes.engine.Tensor;
import lanes.layers.data.DataFolder;
import lanes.layers.data.Dataset;
import lanes.layers.io.JsonText;
import lanes.layers.loss.Loss;
import lanes.layers.loss.MeanSquaredError;
import lanes.layers.models.Architecture;
import lanes.layers.nn.Layer;
import lanes.layers.nn.Linear;
import lanes.layers.nn.Sequential;
import lanes.layers.optim.Sgd;
import lanes.layers.train.Trainer;

/**
 * A playground network training on 2-D points, as TensorFlow Playground's: plain SGD on shuffled batches, L1 or L2
 * on the weights, the loss binary cross-entropy (two classes, one output), softmax cross-entropy (K classes) or
 * the squared error (the regression sets: one output, a target per point).
 * A step is one batch. The run stops itself when training diverges and says why ({@link #divergence}).
 */
final class PlaygroundRun extends Run {
    /** A run has diverged when its training loss is this many times its loss at step 0 (or not finite). */
    static final double DIVERGED = 3;
    /** The boundary grid's side. */
    static final int GRID = 100;

    final PlaygroundSpec spec;
    private final DataFolder points;
    private final Features features;
    private final Dataset train;
    private final Dataset test;
    private final Architecture architecture;
    private final Sequential model;
    private final List<Layer> view;           // the same parameters, other buffers: the grids and the losses
    private final int[] hiddenOutputs;
    private final List<Linear> linears = new ArrayList<>();
    private final Loss loss;
    private final Loss viewLoss;
    private final RegressionData regression;        // the targets of a regression set, else null
    private final Tensor t;                         // a regression batch's targets (batch, 1)
    private final Sgd sgd;
    private final Tensor x;
    private final int[] y;
    private final int[] order;
    private final Random random;
    private final float[] box;
    private final Meter meter = new Meter();
    private final History history = new History(1000);
    private int cursor;
    private long step;
    private double initialLoss = Double.NaN;
    private double recentLoss = Double.NaN;          // the batches' losses, smoothed
    private Trainer.Evaluation trainEval;
    private Trainer.Evaluation testEval;
    private long evaluatedAt = -1;
    private Map<String, Object> divergence;
    private volatile double stepsPerSecondLimit;
    private double learningRate;
    private String regularization;
    private double regularizationRate;

    PlaygroundRun(String id, PlaygroundSpec spec) {
        super(id);
        this.spec = spec;
        this.regression = spec.regression() ? spec.regressionData() : null;
        this.points = regression != null ? regression.points() : spec.data();
        this.features = new Features(spec.features());
        this.train = features.apply(points.train());
        this.test = features.apply(points.test());
        int classes = train.classes;
        this.architecture = new Architecture(spec.layerText(regression != null || classes == 2 ? 1 : classes),
                new int[] {features.size()});
        this.t = Tensor.zeros(spec.batchSize(), 1);
        this.model = architecture.build(spec.seed());
        this.model.setInputGradient(false);
        this.view = model.replica().layers();
        List<Integer> outs = new ArrayList<>();
        List<Layer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof Linear l) {
                linears.add(l);
                if (i > 0) {
                    outs.add(i - 1);
                }
            }
        }
        this.hiddenOutputs = outs.stream().mapToInt(Integer::intValue).toArray();
        this.loss = regression != null ? new MeanSquaredError() : architecture.loss();
        this.viewLoss = regression != null ? new MeanSquaredError() : architecture.loss();
        this.sgd = new Sgd(model.parameters(), (float) spec.learningRate());
        this.learningRate = spec.learningRate();
        this.regularization = spec.regularization();
        this.regularizationRate = spec.regularizationRate();
        this.x = Tensor.zeros(spec.batchSize(), features.size());
        this.y = new int[spec.batchSize()];
        this.order = new int[train.count];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        this.random = new Random(spec.seed());
        this.cursor = order.length;                   // shuffle before the first batch
        this.box = box(points);
        evaluate();
        initialLoss = trainEval.meanLoss();
        history.add(0, trainEval.meanLoss(), testEval.meanLoss());
    }

    @Override
    String kind() {
        return "playground";
    }

    /**
     * Runs {@code count} steps, or fewer if training diverges. Call under the lock.
     *
     * @param count steps
     * @return the steps run
     */
    int steps(int count) {
        if (divergence != null) {
            throw new ApiError(409, null, "run " + id + " diverged at step " + divergence.get("step") + "; reset it "
                    + "(a new run) with a smaller learning rate");
        }
        int done = 0;
        for (; done < count && divergence == null; done++) {
            if (!step()) {
                done++;
                break;
            }
            if (recentLoss > DIVERGED * Math.max(initialLoss, 0.05)) {   // the batches say so: check the whole set
                evaluate();
                checkDivergence(Double.NaN);
            }
        }
        meter.add(done);
        if (done > 0) {
            evaluate();
            history.add(step, trainEval.meanLoss(), testEval.meanLoss());
            checkDivergence(Double.NaN);
        }
        return done;
    }

    // one batch: forward, loss, backward, regularisation, update; false if the loss was not finite
    private boolean step() {
        int b = spec.batchSize();
        if (cursor + b > order.length) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            cursor = 0;
        }
        train.batch(order, cursor, b, x, y);
        if (regression != null) {
            for (int i = 0; i < b; i++) {
                t.data()[i] = regression.trainTargets()[order[cursor + i]];
            }
        }
        cursor += b;
        sgd.zeroGrad();
        Tensor out = model.forward(x);
        float l = regression != null ? loss.forward(out, t) : loss.forward(out, y);
        step++;
        recentLoss = Double.isNaN(recentLoss) ? l : 0.95 * recentLoss + 0.05 * l;
        if (!Float.isFinite(l)) {
            checkDivergence(l);
            return false;
        }
        model.backward(loss.backward());
        regularize();
        sgd.step();
        return true;
    }

    // dL/dw += rate * w (L2) or rate * sign(w) (L1), on the weights only, as TensorFlow Playground
    private void regularize() {
        if (regularization.equals("none") || regularizationRate == 0) {
            return;
        }
        float rate = (float) regularizationRate;
        boolean l1 = regularization.equals("L1");
        for (Linear l : linears) {
            float[] w = l.weight.value.data();
            float[] g = l.weight.grad.data();
            int wo = l.weight.value.offset();
            int go = l.weight.grad.offset();
            for (int i = 0; i < l.weight.value.size(); i++) {
                float v = w[wo + i];
                g[go + i] += rate * (l1 ? Math.signum(v) : v);
            }
        }
    }

    private void evaluate() {
        if (evaluatedAt == step) {
            return;
        }
        Sequential v = new Sequential(view.toArray(new Layer[0]));
        if (regression != null) {
            trainEval = squaredError(v, train, regression.trainTargets());
            testEval = squaredError(v, test, regression.testTargets());
        } else {
            trainEval = Trainer.evaluate(v, viewLoss, train, 1000);
            testEval = Trainer.evaluate(v, viewLoss, test, 1000);
        }
        evaluatedAt = step;
    }

    // a regression set's mean squared error, in one batch (accuracy NaN: there are no classes)
    private Trainer.Evaluation squaredError(Sequential v, Dataset d, float[] targets) {
        Tensor in = Tensor.zeros(d.count, features.size());
        d.range(0, d.count, in, new int[d.count]);
        float mse = viewLoss.forward(v.forward(in), Tensor.wrap(targets.clone(), d.count, 1));
        return new Trainer.Evaluation(Double.NaN, mse, new int[0][0]);
    }

    private void checkDivergence(double stepLoss) {
        if (divergence != null) {
            return;
        }
        double now = Double.isNaN(stepLoss) ? trainEval.meanLoss() : stepLoss;
        boolean bad = !Double.isFinite(now) || !Double.isFinite(trainEval.meanLoss());
        if (!bad && now < DIVERGED * Math.max(initialLoss, 0.05)) {
            return;
        }
        double rate = learningRate;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("step", step);
        d.put("learningRate", rate);
        d.put("initialLoss", initialLoss);
        d.put("loss", Double.isFinite(now) ? now : null);
        d.put("suggestedLearningRate", rate / 10);
        String what = Double.isFinite(now)
                ? String.format(Locale.ROOT, "the training loss rose from %.3f at step 0 to %.3g, more than %.0f "
                + "times where it began", initialLoss, now, DIVERGED)
                : "the loss became " + (Double.isNaN(now) ? "NaN (not a number)" : "infinite")
                + ": the weights overflowed";
        d.put("message", String.format(Locale.ROOT, "Training diverged at step %,d: %s. At learning rate %s each "
                + "step moves the weights so far that it overshoots the valley of the loss and lands higher up the "
                + "other side, and every step makes it worse. Try a learning rate of %s or lower (the course's "
                + "rule for a quadratic: stable only below 2 / the largest curvature), then press reset.", step,
                what, Fields.plain(rate), Fields.plain(rate / 10)));
        divergence = d;
    }

    /**
     * Trains until paused or diverged: at {@link #limitSpeed} steps per second, or as fast as it goes in slices of
     * about 15 ms, the lock let go between slices so that the event streams and requests get in.
     */
    @Override
    void work() throws InterruptedException {
        long start = System.nanoTime();
        long done = 0;
        int chunk = 16;
        double lastLimit = stepsPerSecondLimit;
        while (!stopping()) {
            double limit = stepsPerSecondLimit;
            if (limit != lastLimit) {
                start = System.nanoTime();
                done = 0;
                lastLimit = limit;
            }
            int count = chunk;
            if (limit > 0) {
                double due = (System.nanoTime() - start) / 1e9 * limit - done;
                if (due < 1) {
                    Thread.sleep(Math.max(1, (long) ((1 - due) / limit * 1000)));
                    continue;
                }
                count = (int) Math.min(due, 100_000);
            }
            long t0 = System.nanoTime();
            lock.lock();
            try {
                if (divergence != null) {
                    break;
                }
                done += steps(count);
            } finally {
                lock.unlock();
            }
            long took = System.nanoTime() - t0;
            if (limit <= 0) {
                chunk = took < 10_000_000L ? Math.min(chunk * 2, 1 << 20) : took > 20_000_000L
                        ? Math.max(1, chunk / 2) : chunk;
            }
            changed();
            if (divergence != null) {
                break;
            }
            Thread.sleep(1);
        }
    }

    /**
     * Changes the learning rate and the regularisation as the run goes, as TensorFlow Playground's controls do.
     * Call under the lock.
     */
    void set(Fields f) {
        f.only(java.util.Set.of("learningRate", "regularization", "regularizationRate"));
        double lr = f.number("learningRate", learningRate, 1e-6, 100);
        String reg = f.choice("regularization", regularization, PlaygroundSpec.REGULARIZATIONS);
        double regRate = f.number("regularizationRate", regularizationRate, 0, 10);
        learningRate = lr;
        regularization = reg;
        regularizationRate = regRate;
        sgd.setLr((float) lr);
    }

    void limitSpeed(double stepsPerSecond) {
        this.stepsPerSecondLimit = stepsPerSecond;
    }

    /** The state without the grids (the network, losses, history). Call under the lock. */
    @Override
    String state() {
        return state(true);
    }

    /**
     * The state: settings, step, losses and accuracies, steps per second, the loss history, the weights, the
     * divergence, and the boundary grids when {@code grids}. Call under the lock.
     */
    String state(boolean grids) {
        evaluate();
        StringBuilder s = new StringBuilder(grids ? 300_000 : 4_000);
        s.append(String.format(Locale.ROOT, "{\"id\": %s, \"kind\": \"playground\", \"step\": %d, \"epoch\": %s, "
                + "\"trainLoss\": %s, \"testLoss\": %s, \"trainAccuracy\": %s, \"testAccuracy\": %s, "
                + "\"stepsPerSecond\": %s, \"playing\": %s, \"learningRate\": %s, \"regularization\": %s, "
                + "\"regularizationRate\": %s, \"model\": %s, \"features\": %s, \"classes\": %d, "
                + "\"trainPoints\": %d, \"testPoints\": %d, \"evalCommand\": %s, \"divergence\": %s, "
                + "\"failure\": %s, \"history\": %s, \"weights\": ",
                JsonText.quote(id), step, Boundary.num((double) step * spec.batchSize() / train.count),
                Boundary.num(trainEval.meanLoss()), Boundary.num(testEval.meanLoss()),
                Boundary.num(trainEval.accuracy()), Boundary.num(testEval.accuracy()),
                Boundary.num(meter.perSecond()), playing(), Fields.plain(learningRate), JsonText.quote(regularization),
                Fields.plain(regularizationRate), JsonText.quote(architecture.text()),
                names(spec.features()), regression != null ? 0 : train.classes, train.count, test.count, JsonText.quote(evalCommand()),
                divergenceJson(), fault() == null ? "null" : JsonText.quote(fault()), history.json()));
        weights(s);
        if (grids) {
            s.append(", \"boundary\": ").append(boundary().json());
        }
        return s.append('}').toString();
    }

    /** The grids of the output and every hidden neuron. Call under the lock. */
    Boundary boundary() {
        return Boundary.compute(view, hiddenOutputs, features, box, GRID, regression != null ? 0 : train.classes);
    }

    /** The points, as the page draws them: {@code train} and {@code test}, each a list of [x1, x2, label]. */
    String pointsJson() {
        return "{\"box\": [" + box[0] + ", " + box[1] + ", " + box[2] + ", " + box[3] + "], \"train\": "
                + pointList(points.train(), regression == null ? null : regression.trainTargets()) + ", \"test\": "
                + pointList(points.test(), regression == null ? null : regression.testTargets()) + "}";
    }

    /**
     * The network as a Lanes model file, with its features and data in the metadata. Call under the lock.
     *
     * @return the file's bytes
     */
    byte[] modelFile() throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        features.store(meta);
        meta.put("lanes.studio.dataset", spec.dataset());
        meta.put("lanes.studio.problem", regression != null ? "regression" : "classification");
        meta.put("lanes.studio.eval", evalCommand());
        return ModelBytes.of(architecture, model, meta);
    }

    /** The {@code lanes eval} command that evaluates the downloaded model on this run's test points. */
    String evalCommand() {
        if (regression != null) {
            return "lanes eval measures classifiers; this regression network loads with ModelFile.read or Predictor";
        }
        if (spec.dataset().equals("csv")) {
            return String.format(Locale.ROOT, "lanes eval --model playground.lanes --data points.csv "
                    + "--test-fraction %s --seed %d", Fields.plain(1 - spec.trainFraction()), spec.seed());
        }
        return String.format(Locale.ROOT, "lanes eval --model playground.lanes --data toy:%s --points %d --noise %s "
                + "--test-fraction %s --seed %d", spec.dataset(), spec.points(), Fields.plain(spec.noise()),
                Fields.plain(1 - spec.trainFraction()), spec.seed());
    }

    Map<String, Object> divergence() {
        return divergence;
    }

    private String divergenceJson() {
        if (divergence == null) {
            return "null";
        }
        StringBuilder s = new StringBuilder("{");
        divergence.forEach((k, v) -> s.append(s.length() > 1 ? ", " : "").append(JsonText.quote(k)).append(": ")
                .append(v == null ? "null" : v instanceof String t ? JsonText.quote(t) : v instanceof Double d
                        ? Boundary.num(d) : v.toString()));
        return s.append('}').toString();
    }

    // [[out x in] per Linear], 4 decimals
    private void weights(StringBuilder s) {
        s.append('[');
        for (int i = 0; i < linears.size(); i++) {
            Linear l = linears.get(i);
            float[] w = l.weight.value.data();
            int o = l.weight.value.offset();
            s.append(i == 0 ? "[" : ", [");
            for (int r = 0; r < l.out; r++) {
                s.append(r == 0 ? "[" : ", [");
                for (int c = 0; c < l.in; c++) {
                    s.append(c == 0 ? "" : ",").append(Boundary.num(Math.round(w[o + r * l.in + c] * 1e4) / 1e4));
                }
                s.append(']');
            }
            s.append(']');
        }
        s.append(']');
    }

    private static String names(List<String> names) {
        List<String> q = new ArrayList<>();
        names.forEach(n -> q.add(JsonText.quote(n)));
        return "[" + String.join(", ", q) + "]";
    }

    // [x1, x2, label] per point, or [x1, x2, target] for a regression set
    private static String pointList(Dataset d, float[] targets) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < d.count; i++) {
            float[] p = d.example(i);
            s.append(i == 0 ? "[" : ", [").append(p[0]).append(", ").append(p[1]).append(", ")
                    .append(targets == null ? Integer.toString(d.label(i)) : Float.toString(targets[i])).append(']');
        }
        return s.append(']').toString();
    }

    // TensorFlow Playground's [-6, 6]^2 where the points fit in it, else their box with a tenth more on each side
    private static float[] box(DataFolder d) {
        float[] seen = lanes.app.Regions.box(d.train(), d.test());
        float[] playground = {-6, -6, 6, 6};
        float[] margin = {(seen[2] - seen[0]) / 12, (seen[3] - seen[1]) / 12};   // the tenth Regions added
        boolean fits = seen[0] + margin[0] >= -6 && seen[1] + margin[1] >= -6 && seen[2] - margin[0] <= 6
                && seen[3] - margin[1] <= 6;
        return fits ? playground : seen;
    }
}
