package lanes.app.studio;

import java.util.List;
import java.util.Locale;
import lanes.engine.Tensor;
import lanes.layers.data.Dataset;
import lanes.layers.loss.Loss;
import lanes.layers.nn.Layer;
import lanes.layers.nn.Sequential;

/**
 * The time of each layer's forward and backward on one training batch, as the trainer runs them (fused), measured
 * between epochs: the best of three passes, {@code System.nanoTime} around every call. A picture of where the time
 * goes, not a benchmark (lanes bench has those).
 */
final class LayerTimes {
    private final List<Layer> layers;
    private final Loss loss;
    private final Tensor x;
    private final int[] y;
    private double[] forward;
    private double[] backward;

    LayerTimes(Sequential model, Dataset train, Loss loss) {
        Layer fused = Sequential.fused(model);
        fused.setInputGradient(false);                  // as the trainer runs it: the images need no gradient
        this.layers = fused instanceof Sequential s ? s.flattened() : List.of(fused);
        this.loss = loss;
        int n = Math.min(64, train.count);
        int[] shape = train.exampleShape();
        int[] full = new int[shape.length + 1];
        full[0] = n;
        System.arraycopy(shape, 0, full, 1, shape.length);
        this.x = Tensor.zeros(full);
        this.y = new int[n];
        train.range(0, n, x, y);
    }

    // the gradients it adds go to the shared parameters' grads, which the trainer zeroes before its next step
    void measure() {
        int n = layers.size();
        double[] f = new double[n];
        double[] b = new double[n];
        java.util.Arrays.fill(f, Double.MAX_VALUE);
        java.util.Arrays.fill(b, Double.MAX_VALUE);
        for (int pass = 0; pass < 3; pass++) {
            Tensor a = x;
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                a = layers.get(i).forward(a);
                f[i] = Math.min(f[i], (System.nanoTime() - t0) / 1e6);
            }
            loss.forward(a, y);
            Tensor g = loss.backward();
            for (int i = n - 1; i >= 0 && g != null; i--) {
                long t0 = System.nanoTime();
                g = layers.get(i).backward(g);
                b[i] = Math.min(b[i], (System.nanoTime() - t0) / 1e6);
            }
        }
        forward = f;
        backward = b;
    }

    /** {@code [{"layer", "forwardMs", "backwardMs"}]} for a batch of 64, or null before the first epoch ends. */
    String json() {
        if (forward == null) {
            return "null";
        }
        StringBuilder s = new StringBuilder("{\"batch\": " + y.length + ", \"layers\": [");
        for (int i = 0; i < layers.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "{\"layer\": %s, \"forwardMs\": %.4f, "
                    + "\"backwardMs\": %.4f}", lanes.layers.io.JsonText.quote(layers.get(i).toString()), forward[i],
                    backward[i] == Double.MAX_VALUE ? 0 : backward[i]));
        }
        return s.append("]}").toString();
    }
}
