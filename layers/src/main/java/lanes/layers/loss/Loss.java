package lanes.layers.loss;

import lanes.engine.Tensor;
import lanes.layers.train.Trainer;

/**
 * A loss on a batch, as PyTorch's loss modules: {@link #forward} takes the model's output and the targets and
 * returns the mean loss, keeping dL/d(output) for {@link #backward}. For classification data (one class label per
 * example) {@link #targets} makes a batch's targets from its labels and {@link #predictedClass} reads the class an
 * output row predicts: what {@link Trainer} trains and measures accuracy with, whatever the loss.
 *
 * <pre>
 *   SoftmaxCrossEntropy           output (N, K) logits      targets (N) class indices        class = argmax
 *   BinaryCrossEntropyWithLogits  output (N, 1) logit       targets (N, 1) in {0, 1}         class = [z > 0]
 *   MeanSquaredError              output (N, K)             targets (N, K) one-hot           class = argmax
 * </pre>
 */
public interface Loss {
    /**
     * The mean loss of {@code output} against {@code target} (neither modified); keeps the gradient.
     *
     * @param output the model's output (N, ...)
     * @param target the targets, of the output's shape
     * @return the mean loss
     */
    float forward(Tensor output, Tensor target);

    /**
     * The mean loss of {@code output} (N, width) against a batch's class labels (N): by default
     * {@code forward(output, targets(labels, N, width))}; a loss that reads labels directly overrides it.
     *
     * @param output the model's output (N, width)
     * @param labels one class per example
     * @return the mean loss
     */
    default float forward(Tensor output, int[] labels) {
        return forward(output, targets(labels, labels.length, output.shape(output.rank() - 1)));
    }

    /**
     * dL/d(output) of the last forward, in a buffer of this loss.
     *
     * @return the gradient, of the output's shape
     */
    Tensor backward();

    /**
     * The targets, in a buffer of this loss, for a batch whose examples have class labels {@code labels[0..n)}
     * and whose output rows are {@code width} wide.
     *
     * @param labels the class labels
     * @param n examples in the batch
     * @param width values per output row
     * @return the targets (n, width)
     * @throws IllegalArgumentException if a label does not fit this loss and width, naming it
     */
    Tensor targets(int[] labels, int n, int width);

    /**
     * The class output row {@code z[at..at+width)} predicts.
     *
     * @param z the outputs
     * @param at index of the row's first value
     * @param width values in the row
     * @return the class
     */
    int predictedClass(float[] z, int at, int width);

    /**
     * The index of the largest of {@code z[at..at+width)} (the first among equals): argmax.
     *
     * @param z the values
     * @param at index of the first
     * @param width how many (>= 1)
     * @return the offset of the largest from {@code at}
     */
    static int argmax(float[] z, int at, int width) {
        int best = 0;
        for (int j = 1; j < width; j++) {
            if (z[at + j] > z[at + best]) {
                best = j;
            }
        }
        return best;
    }
}
