package lanes.layers.train;

import lanes.engine.Tensor;
import lanes.layers.data.Dataset;
import lanes.layers.internal.Recent;
import lanes.layers.internal.Workspace;

/**
 * The input side of a training or evaluation loop: a batch of images and its labels, in buffers reused for every
 * batch of a size seen before (the full batches, an epoch's last partial batch, the last evaluation batch), so
 * that a loop over batches allocates nothing once it has seen each size.
 */
final class Batches {
    private final Workspace images = new Workspace();
    private final Recent<int[]> labels = new Recent<>();
    private Tensor x;
    private int[] y;

    /** Images {@code order[from..from+n)} of {@code data} (or {@code from..from+n} when order is null). */
    void load(Dataset data, int[] order, int from, int n) {
        x = data.channels == 1 && data.rows == 1 ? images.get(n, data.cols)       // vectors of features
                : images.get(n, data.channels, data.rows, data.cols);
        y = Recent.ints(labels, n);
        if (order == null) {
            data.range(from, n, x, y);
        } else {
            data.batch(order, from, n, x, y);
        }
    }

    /** The images of the last {@link #load} (n, channels, rows, cols). */
    Tensor images() {
        return x;
    }

    /** The labels of the last {@link #load} (n). */
    int[] labels() {
        return y;
    }
}
