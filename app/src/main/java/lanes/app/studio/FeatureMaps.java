package lanes.app.studio;

import java.util.Base64;
import java.util.List;
import java.util.Locale;
import lanes.engine.Tensor;
import lanes.layers.loss.BinaryCrossEntropyWithLogits;
import lanes.layers.loss.Loss;
import lanes.layers.nn.Layer;
import lanes.layers.nn.Sequential;

/**
 * What every layer of a model makes of one image, for the drawing pad: the class probabilities, and each layer's
 * output: a feature map per channel (up to {@link #MAX_MAPS}) for images, the values for vectors.
 */
final class FeatureMaps {
    static final int MAX_MAPS = 16;
    static final int MAX_VALUES = 256;

    private FeatureMaps() {
    }

    // model: any Sequential; x (1, C, H, W) -> JSON
    static String of(Sequential model, Tensor x, Loss loss, float[] image, int rows, int cols, String classNames) {
        List<Layer> layers = model.flattened();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "{\"input\": {\"shape\": [%d, %d], \"grid\": "
                + "\"%s\"}, \"classes\": %s, \"layers\": [", rows, cols, bytes(image, 0, image.length, 0, 1),
                classNames));
        Tensor h = x;
        for (int i = 0; i < layers.size(); i++) {
            h = layers.get(i).forward(h);
            Tensor c = h.contiguous();
            int[] shape = c.shape();
            s.append(i == 0 ? "" : ", ").append("{\"layer\": ").append(lanes.layers.io.JsonText.quote(
                    layers.get(i).toString())).append(", \"shape\": ").append(java.util.Arrays.toString(
                    java.util.Arrays.copyOfRange(shape, 1, shape.length)));
            if (shape.length == 4) {
                int plane = shape[2] * shape[3];
                s.append(", \"maps\": [");
                for (int ch = 0; ch < Math.min(shape[1], MAX_MAPS); ch++) {
                    int at = c.offset() + ch * plane;
                    float[] mm = range(c.data(), at, plane);
                    s.append(ch == 0 ? "" : ", ").append("{\"min\": ").append(Boundary.num(mm[0]))
                            .append(", \"max\": ").append(Boundary.num(mm[1])).append(", \"grid\": \"")
                            .append(bytes(c.data(), at, plane, mm[0], mm[1])).append("\"}");
                }
                s.append(']');
            } else if (shape.length == 2) {
                s.append(", \"values\": [");
                for (int j = 0; j < Math.min(shape[1], MAX_VALUES); j++) {
                    s.append(j == 0 ? "" : ",").append(Boundary.num(c.data()[c.offset() + j]));
                }
                s.append(']');
            }
            s.append('}');
        }
        Tensor z = h.contiguous();
        int k = z.shape(1);
        double[] p = new double[k == 1 ? 2 : k];
        if (k == 1 || loss instanceof BinaryCrossEntropyWithLogits) {
            p[1] = 1 / (1 + Math.exp(-z.data()[z.offset()]));
            p[0] = 1 - p[1];
        } else {
            double top = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                top = Math.max(top, z.data()[z.offset() + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                p[j] = Math.exp(z.data()[z.offset() + j] - top);
                sum += p[j];
            }
            for (int j = 0; j < k; j++) {
                p[j] /= sum;
            }
        }
        int best = 0;
        for (int j = 1; j < p.length; j++) {
            if (p[j] > p[best]) {
                best = j;
            }
        }
        s.append("], \"probabilities\": [");
        for (int j = 0; j < p.length; j++) {
            s.append(j == 0 ? "" : ", ").append(Boundary.num(p[j]));
        }
        return s.append("], \"predicted\": ").append(best).append('}').toString();
    }

    private static float[] range(float[] d, int at, int n) {
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            lo = Math.min(lo, d[at + i]);
            hi = Math.max(hi, d[at + i]);
        }
        return new float[] {lo, hi};
    }

    static String bytes(float[] d, int at, int n, float lo, float hi) {
        byte[] b = new byte[n];
        float span = hi > lo ? hi - lo : 1;
        for (int i = 0; i < n; i++) {
            float v = d[at + i];
            b[i] = (byte) (Float.isFinite(v) ? Math.round(Math.max(0, Math.min(1, (v - lo) / span)) * 255) : 0);
        }
        return Base64.getEncoder().encodeToString(b);
    }
}
