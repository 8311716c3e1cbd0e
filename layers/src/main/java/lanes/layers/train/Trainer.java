package lanes.layers.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import lanes.engine.Tensor;
import lanes.engine.VectorApi;
import lanes.layers.data.Dataset;
import lanes.layers.io.Checkpoint;
import lanes.layers.loss.BinaryCrossEntropyWithLogits;
import lanes.layers.loss.Loss;
import lanes.layers.loss.SoftmaxCrossEntropy;
import lanes.layers.nn.Layer;
import lanes.layers.nn.Parameter;
import lanes.layers.nn.Sequential;
import lanes.layers.optim.LrSchedule;
import lanes.layers.optim.Optimizer;

/**
 * Mini-batch training of a classifier with any {@link Loss} (softmax cross-entropy unless given another): seeded
 * shuffling each epoch, one optimizer step per batch (the last batch of an epoch may be smaller), evaluation with
 * accuracy (the loss's {@link Loss#predictedClass}), mean loss and a confusion matrix.
 * A loss that is not finite stops training with an error naming the step and the first layer whose output was
 * not finite.
 */
public final class Trainer {
    /** Called as training goes; every method has an empty default. */
    public interface Listener {
        /**
         * Called after every step with the batch's mean loss.
         *
         * @param epoch the epoch (0-based, over the trainer's life)
         * @param step the step (over the trainer's life)
         * @param loss the batch's mean loss
         */
        default void onStep(int epoch, int step, float loss) {
        }

        /**
         * Called after every epoch with its mean loss.
         *
         * @param epoch the epoch (0-based)
         * @param meanLoss the mean loss over its steps
         */
        default void onEpoch(int epoch, float meanLoss) {
        }
    }

    /**
     * Accuracy, mean loss and confusion (row = true class, column = predicted) over a dataset.
     *
     * @param accuracy  the fraction of examples whose predicted class is their label
     * @param meanLoss  the loss averaged over the examples
     * @param confusion counts per (true class, predicted class)
     */
    public record Evaluation(double accuracy, double meanLoss, int[][] confusion) {
        @Override
        public String toString() {
            return String.format("accuracy %.2f %%, mean loss %.4f", 100 * accuracy, meanLoss);
        }
    }

    private final Layer model;
    private final Loss loss;
    private final Optimizer optimizer;
    private LrSchedule schedule;
    private final int batchSize;
    private final long seed;
    private Random random;
    private final Batches batches = new Batches();
    private final Batches evaluationBatches = new Batches();
    private int[] order = new int[0];
    private int step;
    private int epochsDone;
    private Path checkpoints;
    private int checkpointEvery;
    private Dataset validation;
    private int patience;
    private double bestAccuracy = Double.NEGATIVE_INFINITY;
    private int bestEpoch;
    private boolean stoppedEarly;

    /**
     * A trainer with softmax cross-entropy, the loss of a K-class classifier with K logits.
     *
     * @param model the model to train: its parameters are updated in place, its buffers and options left as they are
     * @param optimizer the optimizer, over the model's parameters
     * @param batchSize examples per step
     * @param seed seed of the shuffling
     */
    public Trainer(Layer model, Optimizer optimizer, int batchSize, long seed) {
        this(model, new SoftmaxCrossEntropy(), optimizer, batchSize, seed);
    }

    /**
     * A trainer of {@code model} with {@code loss} (e.g. {@link BinaryCrossEntropyWithLogits} for logistic
     * regression), batches of {@code batchSize}, the shuffling drawn from {@code seed}.
     *
     * @param model the model to train: its parameters are updated in place, its buffers and options left as they are
     * @param loss the loss
     * @param optimizer the optimizer, over the model's parameters
     * @param batchSize examples per step
     * @param seed seed of the shuffling
     */
    public Trainer(Layer model, Loss loss, Optimizer optimizer, int batchSize, long seed) {
        VectorApi.require();       // one clear line where the JVM lacks --add-modules jdk.incubator.vector
        if (batchSize < 1) {
            throw new IllegalArgumentException("Trainer: batch size " + batchSize + " must be >= 1");
        }
        this.model = trainable(model);
        this.loss = loss;
        this.optimizer = optimizer;
        this.batchSize = batchSize;
        this.seed = seed;
        this.random = new Random(seed);
    }

    /**
     * What the trainer runs: {@code model} fused ({@link Sequential#fused}: its parameters, shared, so training
     * changes them and nothing else of the model: its buffers and options stay as they were), skipping the first
     * layer's dL/dx, which the images do not need.
     */
    private static Layer trainable(Layer model) {
        Layer run = Sequential.fused(model);
        run.setInputGradient(false);
        return run;
    }

    /**
     * Sets the learning rate at the start of every epoch from {@code schedule} (null: leave it).
     *
     * @param schedule the schedule, or null
     * @return this trainer
     */
    public Trainer withSchedule(LrSchedule schedule) {
        this.schedule = schedule;
        return this;
    }

    /**
     * Steps taken so far.
     *
     * @return the step count
     */
    public int steps() {
        return step;
    }

    /**
     * Trains for {@code epochs} more passes over {@code data}. Epochs are counted over the trainer's life (a
     * schedule and the listener see 0, 1, ... across calls and across a {@link #resume}), and the order of the
     * examples carries on from one epoch to the next, so two calls of n epochs train as one call of 2n.
     *
     * @param data the training set
     * @param epochs passes over it
     * @param listener told of every step and epoch; null for none
     */
    public void fit(Dataset data, int epochs, Listener listener) {
        Listener told = listener != null ? listener : new Listener() { };
        stoppedEarly = false;
        if (order.length != data.count) {
            order = new int[data.count];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
        }
        for (int e = 0; e < epochs; e++) {
            int epoch = epochsDone;
            if (schedule != null) {
                optimizer.setLr(schedule.lr(epoch));
            }
            shuffle(order);
            double total = 0;
            int count = 0;
            for (int from = 0; from < data.count; from += batchSize) {
                batches.load(data, order, from, Math.min(batchSize, data.count - from));
                float l = trainStep(batches.images(), batches.labels());
                told.onStep(epoch, step, l);
                total += l;
                count++;
            }
            epochsDone++;
            if (checkpoints != null && epochsDone % checkpointEvery == 0) {
                saveCheckpoint(checkpoints.resolve("checkpoint-" + epochsDone + ".lanes"));
            }
            told.onEpoch(epoch, (float) (total / Math.max(1, count)));
            if (validation != null && stopsNow()) {
                return;
            }
        }
    }

    /**
     * Stops {@link #fit} once the accuracy on {@code validation}, measured after every epoch, has not improved for
     * {@code patience} epochs in a row; returns this. {@link #bestEpoch} and {@link #stoppedEarly} say how it went.
     *
     * @param validation the examples accuracy is measured on
     * @param patience epochs without improvement before stopping (>= 1)
     * @return this trainer
     */
    public Trainer withEarlyStopping(Dataset validation, int patience) {
        if (patience < 1) {
            throw new IllegalArgumentException("withEarlyStopping: patience " + patience + "; must be >= 1 epoch");
        }
        this.validation = validation;
        this.patience = patience;
        return this;
    }

    /**
     * The epoch (1-based, over the trainer's life) with the best validation accuracy so far; 0 before any.
     *
     * @return the epoch, or 0
     */
    public int bestEpoch() {
        return bestEpoch;
    }

    /**
     * True if early stopping ended the last {@link #fit} before its epochs were done.
     *
     * @return true if it stopped early
     */
    public boolean stoppedEarly() {
        return stoppedEarly;
    }

    private boolean stopsNow() {
        double accuracy = evaluate(validation).accuracy();
        if (accuracy > bestAccuracy) {
            bestAccuracy = accuracy;
            bestEpoch = epochsDone;
        }
        stoppedEarly = epochsDone - bestEpoch >= patience;
        return stoppedEarly;
    }

    /**
     * Epochs trained so far (over every {@link #fit} and the run a {@link #resume} continued).
     *
     * @return the epoch count
     */
    public int epochs() {
        return epochsDone;
    }

    /**
     * Writes a checkpoint ({@code checkpoint-<epochs>.lanes}) into {@code dir} after every {@code every} epochs;
     * returns this.
     *
     * @param dir the folder, created if missing
     * @param every epochs between checkpoints (>= 1)
     * @return this trainer
     */
    public Trainer withCheckpoints(Path dir, int every) {
        if (every < 1) {
            throw new IllegalArgumentException("withCheckpoints: every " + every + " epochs; must be >= 1");
        }
        this.checkpoints = dir;
        this.checkpointEvery = every;
        return this;
    }

    /**
     * Writes this run's state to {@code file} (atomically): the parameters, the optimizer's state, the epochs and
     * steps done and the order of the examples. A trainer built the same way (model of the same shapes, the same
     * optimizer kind, loss, batch size and seed) that {@link #resume}s from it trains on as this one would have.
     *
     * @param file the checkpoint file
     * @throws UncheckedIOException if the file cannot be written
     */
    public void saveCheckpoint(Path file) {
        List<Parameter> params = model.parameters();
        List<float[]> values = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        for (Parameter p : params) {
            values.add(p.value.contiguous().toArray());
            shapes.add(p.value.shape());
        }
        try {
            Checkpoint.write(file, new Checkpoint.State(epochsDone, step, seed, order.clone(), values, shapes,
                    optimizer.steps(), optimizer.state()));
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Continues the run saved in {@code file}: the model's parameters and the optimizer's state are set from it,
     * and the epoch count, step count and shuffling carry on from where it stopped. Call {@link #fit} with the same
     * data afterwards.
     *
     * @param file the checkpoint file
     * @throws IOException if the file is not a sound checkpoint
     * @throws IllegalArgumentException if it does not fit this trainer (seed, parameter shapes, optimizer state),
     *     naming what differs
     */
    public void resume(Path file) throws IOException {
        Checkpoint.State s = Checkpoint.read(file);
        List<Parameter> params = model.parameters();
        if (s.seed() != seed) {
            throw new IllegalArgumentException("resume " + file + ": saved with seed " + s.seed() + ", this trainer's"
                    + " is " + seed);
        }
        if (s.parameters().size() != params.size()) {
            throw new IllegalArgumentException("resume " + file + ": " + s.parameters().size() + " parameters for a"
                    + " model with " + params.size());
        }
        for (int i = 0; i < params.size(); i++) {
            if (!Arrays.equals(s.shapes().get(i), params.get(i).value.shape())) {
                throw new IllegalArgumentException("resume " + file + ": parameter " + i + " (" + params.get(i).name
                        + ") is " + Arrays.toString(s.shapes().get(i)) + " there and "
                        + Arrays.toString(params.get(i).value.shape()) + " here");
            }
        }
        optimizer.restore(s.optimizerState(), s.optimizerSteps());
        for (int i = 0; i < params.size(); i++) {
            Tensor v = params.get(i).value;
            v.copyFrom(Tensor.wrap(s.parameters().get(i), v.shape()));
        }
        order = s.order().clone();
        step = Math.toIntExact(s.trainerSteps());
        epochsDone = s.epochs();
        random = new Random(seed);              // where the saved run's shuffles left it: replayed, not stored
        for (int e = 0; e < epochsDone; e++) {
            for (int i = order.length - 1; i > 0; i--) {
                random.nextInt(i + 1);
            }
        }
    }

    /**
     * One step on one batch: forward, loss, backward, update. Returns the batch's loss.
     *
     * @param x the batch (N, ...)
     * @param y its labels
     * @return the mean loss of the batch
     */
    public float trainStep(Tensor x, int[] y) {
        optimizer.zeroGrad();
        float l = accumulateGradients(x, y);
        optimizer.step();
        step++;
        return l;
    }

    /**
     * Forward, loss and backward on one batch, without an update: the gradient of the batch's mean loss is added to
     * every parameter's {@code grad} (zero them first for the batch's gradient alone). For a data-parallel step,
     * where the gradients of several shares of one batch are summed before one update.
     *
     * @param x the batch (N, ...)
     * @param y its labels
     * @return the mean loss of the batch
     * @throws IllegalArgumentException if the model's output is not one row per label
     * @throws IllegalStateException if the loss is not finite, naming the first layer whose output was not
     */
    public float accumulateGradients(Tensor x, int[] y) {
        Tensor logits = model.forward(x);
        if (logits.rank() != 2 || logits.shape(0) != y.length) {
            throw new IllegalArgumentException("step " + step + ": the model's output "
                    + Arrays.toString(logits.shape()) + " is not one row per example for " + y.length + " labels");
        }
        float l = loss.forward(logits, y);
        if (!Float.isFinite(l)) {
            throw new IllegalStateException("step " + step + ": loss is " + l + "; " + firstNonFinite(x));
        }
        model.backward(loss.backward());
        return l;
    }

    /**
     * Evaluates {@code data} in batches (no training) with this trainer's loss, in its reused buffers.
     *
     * @param data the examples
     * @return the evaluation
     */
    public Evaluation evaluate(Dataset data) {
        return evaluate(model, loss, data, batchSize, evaluationBatches);
    }

    /**
     * Accuracy, mean softmax cross-entropy and confusion of classifier {@code model} on {@code data},
     * {@code batchSize} at a time.
     *
     * @param model the classifier; not changed
     * @param data the examples
     * @param batchSize examples per step
     * @return the evaluation
     */
    public static Evaluation evaluate(Layer model, Dataset data, int batchSize) {
        return evaluate(model, new SoftmaxCrossEntropy(), data, batchSize);
    }

    /**
     * Accuracy, mean loss and confusion of {@code model} on {@code data} with {@code loss}.
     *
     * @param model the model; not changed
     * @param loss the loss
     * @param data the examples
     * @param batchSize examples per step
     * @return the evaluation
     */
    public static Evaluation evaluate(Layer model, Loss loss, Dataset data, int batchSize) {
        return evaluate(model, loss, data, batchSize, new Batches());
    }

    // the images in order, each batch forward only; nothing allocated per batch once each batch size was seen
    private static Evaluation evaluate(Layer model, Loss loss, Dataset data, int batchSize, Batches batches) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("evaluate: batch size " + batchSize + " must be >= 1");
        }
        int[][] confusion = new int[data.classes][data.classes];
        double total = 0;
        int correct = 0;
        for (int from = 0; from < data.count; from += batchSize) {
            int n = Math.min(batchSize, data.count - from);
            batches.load(data, null, from, n);
            int[] y = batches.labels();
            Tensor logits = model.forward(batches.images()).contiguous();
            int k = logits.shape(1);
            total += loss.forward(logits, y) * n;
            float[] z = logits.data();
            for (int i = 0; i < n; i++) {
                int best = loss.predictedClass(z, logits.offset() + i * k, k);
                confusion[y[i]][best]++;
                if (best == y[i]) {
                    correct++;
                }
            }
        }
        return new Evaluation((double) correct / data.count, total / data.count, confusion);
    }

    private String firstNonFinite(Tensor x) {
        if (!(model instanceof Sequential s)) {
            return "the model's output is not finite";
        }
        Tensor t = x;
        for (int i = 0; i < s.layers().size(); i++) {
            t = s.layers().get(i).forward(t);
            float[] d = t.contiguous().toArray();
            for (int j = 0; j < d.length; j++) {
                if (!Float.isFinite(d[j])) {
                    return "first non-finite output: layer " + i + " " + s.layers().get(i) + ", element " + j
                            + " of shape " + Arrays.toString(t.shape()) + " is " + d[j];
                }
            }
        }
        return "every layer's output is finite (the logits overflow the loss)";
    }

    private void shuffle(int[] order) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int s = order[i];
            order[i] = order[j];
            order[j] = s;
        }
    }
}
