package lanes.app.studio;

import java.util.Base64;
import java.util.List;
import java.util.Locale;
import lanes.app.Features;
import lanes.engine.Tensor;
import lanes.layers.nn.Layer;

/**
 * The playground's pictures: a network's output and every hidden neuron's output on a {@code size x size} grid of
 * points over a box of the plane, computed by the engine in one batch of {@code size^2} points. Row 0 of a grid is
 * the top of the box (largest x2), column 0 its left (smallest x1).
 *
 * <pre>
 *   points (size^2, 2) -> features (size^2, F) -> layer 0 -> ... -> output (size^2, K)
 *   output: binary (K = 1): p(class 1) = sigmoid(z); K classes: the argmax and its softmax probability;
 *           regression (classes 0): z itself
 *   neurons: the output of each hidden layer (after its activation), (size^2, width) each
 * </pre>
 */
final class Boundary {
    final int size;
    final float[] box;                 // x1 min, x2 min, x1 max, x2 max
    final int classes;
    final float[] output;              // size^2: p(class 1), or the winning class's probability
    final int[] winner;                // size^2: the predicted class (K > 1 outputs), else null
    final float[][] neurons;           // [hidden neuron][size^2]
    final int[][] where;               // [hidden neuron] = {layer, index}

    private Boundary(int size, float[] box, int classes, float[] output, int[] winner, float[][] neurons,
                     int[][] where) {
        this.size = size;
        this.box = box;
        this.classes = classes;
        this.output = output;
        this.winner = winner;
        this.neurons = neurons;
        this.where = where;
    }

    /**
     * Computes the grids.
     *
     * @param layers the network's layers, run one by one (its buffers are used)
     * @param hiddenOutputs for each hidden layer, the index in {@code layers} of the layer whose output it is
     * @param features the input features
     * @param box x1 min, x2 min, x1 max, x2 max
     * @param size points per side
     * @param classes the data's classes (2: one output logit; 0: regression, one output value)
     * @return the grids
     */
    static Boundary compute(List<Layer> layers, int[] hiddenOutputs, Features features, float[] box, int size,
                            int classes) {
        int n = size * size;
        float[] xy = new float[2 * n];
        for (int r = 0; r < size; r++) {
            float x2 = box[3] - (box[3] - box[1]) * (r + 0.5f) / size;
            for (int c = 0; c < size; c++) {
                xy[2 * (r * size + c)] = box[0] + (box[2] - box[0]) * (c + 0.5f) / size;
                xy[2 * (r * size + c) + 1] = x2;
            }
        }
        float[] in = new float[features.size() * n];
        features.apply(xy, n, in);
        java.util.List<float[]> grids = new java.util.ArrayList<>();
        java.util.List<int[]> places = new java.util.ArrayList<>();
        Tensor h = Tensor.wrap(in, n, features.size());
        int hidden = 0;
        for (int i = 0; i < layers.size(); i++) {
            h = layers.get(i).forward(h);
            if (hidden < hiddenOutputs.length && hiddenOutputs[hidden] == i) {
                int width = h.shape(1);
                Tensor c = h.contiguous();
                float[] d = c.data();
                for (int j = 0; j < width; j++) {
                    float[] grid = new float[n];
                    for (int p = 0; p < n; p++) {
                        grid[p] = d[c.offset() + p * width + j];
                    }
                    grids.add(grid);
                    places.add(new int[] {hidden, j});
                }
                hidden++;
            }
        }
        float[][] neurons = grids.toArray(new float[0][]);
        int[][] where = places.toArray(new int[0][]);
        Tensor out = h.contiguous();
        float[] z = out.data();
        int k = out.shape(1);
        float[] output = new float[n];
        int[] winner = k == 1 ? null : new int[n];
        for (int p = 0; p < n; p++) {
            int at = out.offset() + p * k;
            if (classes == 0) {
                output[p] = z[at];                                      // regression: the value itself
            } else if (k == 1) {
                output[p] = (float) (1 / (1 + Math.exp(-z[at])));
            } else {
                int best = 0;
                for (int c = 1; c < k; c++) {
                    if (z[at + c] > z[at + best]) {
                        best = c;
                    }
                }
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    sum += Math.exp(z[at + c] - z[at + best]);
                }
                winner[p] = best;
                output[p] = (float) (1 / sum);
            }
        }
        return new Boundary(size, box, classes, output, winner, neurons, where);
    }

    /**
     * The grids as JSON: {@code size}, the box as {@code x1} and {@code x2} ranges, {@code output} as rows of
     * numbers (3 decimals; NaN as null), {@code winner} as rows of classes (K classes), and {@code neurons}, each
     * {@code layer}, {@code index}, {@code min}, {@code max} and {@code grid}: its values scaled from min..max to
     * bytes 0..255, row by row, in base64.
     */
    String json() {
        StringBuilder s = new StringBuilder(64 * size * size);
        s.append(String.format(Locale.ROOT, "{\"size\": %d, \"x1\": [%s, %s], \"x2\": [%s, %s], \"classes\": %d, "
                + "\"output\": ", size, box[0], box[2], box[1], box[3], classes));
        rows(s, output, null);
        if (winner != null) {
            s.append(", \"winner\": ");
            rows(s, null, winner);
        }
        s.append(", \"neurons\": [");
        byte[] bytes = new byte[size * size];
        for (int i = 0; i < neurons.length; i++) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (float v : neurons[i]) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            boolean finite = Float.isFinite(lo) && Float.isFinite(hi);
            float span = finite && hi > lo ? hi - lo : 1;
            for (int p = 0; p < bytes.length; p++) {
                float v = neurons[i][p];
                bytes[p] = (byte) (finite ? Math.round((v - lo) / span * 255) : 0);
            }
            s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "{\"layer\": %d, \"index\": %d, "
                    + "\"min\": %s, \"max\": %s, \"grid\": \"", where[i][0], where[i][1], num(lo), num(hi)))
                    .append(Base64.getEncoder().encodeToString(bytes)).append("\"}");
        }
        return s.append("]}").toString();
    }

    private void rows(StringBuilder s, float[] values, int[] ints) {
        s.append('[');
        for (int r = 0; r < size; r++) {
            s.append(r == 0 ? "[" : ", [");
            for (int c = 0; c < size; c++) {
                if (c > 0) {
                    s.append(',');
                }
                if (ints != null) {
                    s.append(ints[r * size + c]);
                } else {
                    float v = values[r * size + c];
                    if (Float.isFinite(v)) {
                        long milli = Math.round(v * 1000.0);
                        if (milli < 0) {
                            s.append('-');
                            milli = -milli;
                        }
                        int frac = (int) (milli % 1000);
                        s.append(milli / 1000).append('.').append((char) ('0' + frac / 100))
                                .append((char) ('0' + frac / 10 % 10)).append((char) ('0' + frac % 10));
                    } else {
                        s.append("null");
                    }
                }
            }
            s.append(']');
        }
        s.append(']');
    }

    static String num(double v) {
        return Double.isFinite(v) ? Float.toString((float) v) : "null";
    }
}
