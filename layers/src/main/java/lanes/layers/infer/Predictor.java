package lanes.layers.infer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import lanes.engine.Tensor;
import lanes.layers.internal.Workspace;
import lanes.layers.io.ModelFile;
import lanes.layers.loss.Loss;
import lanes.layers.nn.Layer;
import lanes.layers.nn.Sequential;

/**
 * A classifier's inference, callable from many threads at once: the model's parameters are shared, read only, and
 * each calling thread runs its own {@link Layer#replica replica} of the model, with buffers of its own made on its
 * first call. Results are bit for bit the same whatever the number of callers and kernel threads (every kernel
 * sums in a fixed order), and a warm call allocates only the array it returns.
 *
 * <pre>
 *   Predictor p = new Predictor(model, 1, 28, 28);      // the shape of one example
 *   float[] probabilities = p.predict(pixels);           // 784 floats in: one probability per class out
 *   int label = p.classify(pixels);
 * </pre>
 *
 * The model must output one logit per class ((N, classes)), whose softmax are the probabilities, or one logit in
 * all ((N, 1): logistic regression), whose sigmoid is the probability of class 1 (classes 0 and 1). Its parameters
 * must not change while predictions run (train a model, then predict with it).
 */
public final class Predictor {
    private final Layer model;
    private final int[] example;
    private final int exampleSize;
    private final int logits;
    private final int classes;
    private final ThreadLocal<Caller> callers;

    /** One thread's replica of the model and input buffers. */
    private static final class Caller {
        final Layer replica;
        final Workspace input = new Workspace();

        Caller(Layer replica) {
            this.replica = replica;
        }
    }

    /**
     * Inference with {@code model} on examples of {@code exampleShape} (e.g. 1, 28, 28 for a grey image; 1 to 3
     * dimensions). The model itself is not run or changed: each caller runs a replica of it, fused
     * ({@link Sequential#fused}).
     *
     * @param model the trained model; not run or changed
     * @param exampleShape the shape of one example, without the batch
     * @throws IllegalArgumentException if the shape is empty or not positive, or the model's output for it is not
     *     (1, classes)
     * @throws UnsupportedOperationException if a layer of the model cannot be replicated
     */
    public Predictor(Layer model, int... exampleShape) {
        if (exampleShape.length < 1 || exampleShape.length > 3 || Arrays.stream(exampleShape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("Predictor: the example shape " + Arrays.toString(exampleShape)
                    + " must have 1 to 3 dimensions, each >= 1");
        }
        this.model = Sequential.fused(model);
        this.example = exampleShape.clone();
        this.exampleSize = Arrays.stream(exampleShape).reduce(1, (a, b) -> a * b);
        this.callers = ThreadLocal.withInitial(() -> new Caller(this.model.replica()));
        Tensor out = forward(callers.get(), new float[exampleSize], 0, 1);
        if (out.rank() != 2 || out.shape(0) != 1) {
            throw new IllegalArgumentException("Predictor: the model's output for one example of shape "
                    + Arrays.toString(exampleShape) + " is " + Arrays.toString(out.shape())
                    + "; a classifier's is (1, classes)");
        }
        this.logits = out.shape(1);
        this.classes = logits == 1 ? 2 : logits;
    }

    /**
     * Inference with the model saved in {@code file} ({@link ModelFile}), on examples of its input shape.
     *
     * @param file the model file
     * @return a predictor
     * @throws IOException if the file cannot be read or is not what it claims to be, naming it
     */
    public static Predictor load(Path file) throws IOException {
        ModelFile.Loaded loaded = ModelFile.read(file);
        return new Predictor(loaded.model(), loaded.architecture().input());
    }

    /**
     * The number of classes (the length of what {@link #predict(float[])} returns).
     *
     * @return the class count
     */
    public int classes() {
        return classes;
    }

    /**
     * The shape of one example.
     *
     * @return a new array
     */
    public int[] exampleShape() {
        return example.clone();
    }

    /**
     * The class probabilities of one example ({@code example} holds its elements row-major; not modified).
     *
     * @param example the elements of one example
     * @return the probabilities, one per class, in a new array
     */
    public float[] predict(float[] example) {
        return predict(example, 1);
    }

    /**
     * The class probabilities of {@code count} examples stored one after another in {@code examples}: row i of the
     * result (i*classes .. (i+1)*classes) is example i's.
     *
     * @param examples the elements of the examples
     * @param count how many
     * @return count x classes probabilities, in a new array
     */
    public float[] predict(float[] examples, int count) {
        checkLength(examples, count);
        Tensor logits = forward(callers.get(), examples, 0, count).contiguous();
        float[] out = new float[count * classes];
        float[] z = logits.data();
        for (int i = 0; i < count; i++) {
            int at = logits.offset() + i * this.logits;
            if (this.logits == 1) {
                out[i * 2 + 1] = (float) (1 / (1 + Math.exp(-z[at])));
                out[i * 2] = 1 - out[i * 2 + 1];
            } else {
                softmax(z, at, out, i * classes, classes);
            }
            for (int j = 0; j < classes; j++) {
                if (!Float.isFinite(out[i * classes + j])) {
                    throw new IllegalArgumentException("Predictor: example " + i + " gives a logit of "
                            + z[at + Math.min(j, this.logits - 1)] + " for class " + j + "; is the input finite?");
                }
            }
        }
        return out;
    }

    /**
     * The most probable class of one example (the lowest index among equals).
     *
     * @param example the elements of one example
     * @return the class
     */
    public int classify(float[] example) {
        checkLength(example, 1);
        Tensor logits = forward(callers.get(), example, 0, 1).contiguous();
        float[] z = logits.data();
        int at = logits.offset();
        return this.logits == 1 ? (z[at] > 0 ? 1 : 0) : Loss.argmax(z, at, classes);
    }

    private Tensor forward(Caller c, float[] data, int from, int count) {
        Tensor x = switch (example.length) {
            case 1 -> c.input.get(count, example[0]);
            case 2 -> c.input.get(count, example[0], example[1]);
            default -> c.input.get(count, example[0], example[1], example[2]);
        };
        System.arraycopy(data, from, x.data(), x.offset(), count * exampleSize);
        return c.replica.forward(x);
    }

    private void checkLength(float[] data, int count) {
        if (count < 1 || (long) count * exampleSize != data.length) {
            throw new IllegalArgumentException("Predictor: " + data.length + " floats for " + count + " example"
                    + (count == 1 ? "" : "s") + " of shape " + Arrays.toString(example) + " (" + exampleSize
                    + " floats each)");
        }
    }

    // out[o..o+k) = softmax(z[at..at+k)), stable: e^(z - max) / sum
    private static void softmax(float[] z, int at, float[] out, int o, int k) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, z[at + j]);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            double e = Math.exp(z[at + j] - max);
            out[o + j] = (float) e;
            sum += e;
        }
        for (int j = 0; j < k; j++) {
            out[o + j] = (float) (out[o + j] / sum);
        }
    }
}
