package lanes.layers;

import java.util.Arrays;
import java.util.Random;
import lanes.engine.Tensor;
import lanes.engine.VectorApi;
import lanes.layers.data.Dataset;

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
        default void onStep(int epoch, int step, float loss) {
        }

        default void onEpoch(int epoch, float meanLoss) {
        }
    }

    /** Accuracy, mean loss and confusion (row = true class, column = predicted) over a dataset. */
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
    private final Random random;
    private final Batches batches = new Batches();
    private final Batches evaluationBatches = new Batches();
    private int[] order = new int[0];
    private int step;

    /** A trainer with softmax cross-entropy, the loss of a K-class classifier with K logits. */
    public Trainer(Layer model, Optimizer optimizer, int batchSize, long seed) {
        this(model, new SoftmaxCrossEntropy(), optimizer, batchSize, seed);
    }

    /**
     * A trainer of {@code model} with {@code loss} (e.g. {@link BinaryCrossEntropyWithLogits} for logistic
     * regression), batches of {@code batchSize}, the shuffling drawn from {@code seed}.
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
        this.random = new Random(seed);
    }

    /**
     * What the trainer runs: a replica of {@code model} (its parameters, shared, so training changes them and
     * nothing else of the model: its buffers and options stay as they were) that skips the first layer's dL/dx,
     * which the images do not need. A layer of the user's own that cannot be replicated is trained as it is.
     */
    private static Layer trainable(Layer model) {
        Layer replica;
        try {
            replica = model.replica();
        } catch (UnsupportedOperationException e) {
            return model;                       // Layer.replica's default: a layer that does not say how
        }
        replica.setInputGradient(false);
        return replica;
    }

    /** Sets the learning rate at the start of every epoch from {@code schedule} (null: leave it). */
    public Trainer withSchedule(LrSchedule schedule) {
        this.schedule = schedule;
        return this;
    }

    /** Steps taken so far. */
    public int steps() {
        return step;
    }

    /** Trains for {@code epochs} passes over {@code data}. */
    public void fit(Dataset data, int epochs, Listener listener) {
        if (order.length != data.count) {
            order = new int[data.count];
        }
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int epoch = 0; epoch < epochs; epoch++) {
            if (schedule != null) {
                optimizer.setLr(schedule.lr(epoch));
            }
            shuffle(order);
            double total = 0;
            int count = 0;
            for (int from = 0; from < data.count; from += batchSize) {
                batches.load(data, order, from, Math.min(batchSize, data.count - from));
                float l = trainStep(batches.images(), batches.labels());
                listener.onStep(epoch, step, l);
                total += l;
                count++;
            }
            listener.onEpoch(epoch, (float) (total / Math.max(1, count)));
        }
    }

    /** One step on one batch: forward, loss, backward, update. Returns the batch's loss. */
    public float trainStep(Tensor x, int[] y) {
        optimizer.zeroGrad();
        Tensor logits = model.forward(x);
        if (logits.rank() != 2 || logits.shape(0) != y.length) {
            throw new IllegalArgumentException("step " + step + ": the model's output "
                    + Arrays.toString(logits.shape()) + " is not one row per example for " + y.length + " labels");
        }
        float l = loss.forward(logits, loss.targets(y, y.length, logits.shape(1)));
        if (!Float.isFinite(l)) {
            throw new IllegalStateException("step " + step + ": loss is " + l + "; " + firstNonFinite(x));
        }
        model.backward(loss.backward());
        optimizer.step();
        step++;
        return l;
    }

    /** Evaluates {@code data} in batches (no training) with this trainer's loss, in its reused buffers. */
    public Evaluation evaluate(Dataset data) {
        return evaluate(model, loss, data, batchSize, evaluationBatches);
    }

    /**
     * Accuracy, mean softmax cross-entropy and confusion of classifier {@code model} on {@code data},
     * {@code batchSize} at a time.
     */
    public static Evaluation evaluate(Layer model, Dataset data, int batchSize) {
        return evaluate(model, new SoftmaxCrossEntropy(), data, batchSize);
    }

    /** Accuracy, mean loss and confusion of {@code model} on {@code data} with {@code loss}. */
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
            total += loss.forward(logits, loss.targets(y, n, k)) * n;
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
