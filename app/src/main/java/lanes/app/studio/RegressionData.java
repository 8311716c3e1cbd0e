package lanes.app.studio;

import java.util.Random;
import lanes.layers.data.DataFolder;
import lanes.layers.data.Dataset;

/**
 * The playground's two regression sets: points in [-6, 6]^2 with a target in [-1, 1] to fit, as TensorFlow
 * Playground has beside its classification sets.
 *
 * <pre>
 *   plane        target = (x1 + x2) / 12                        a tilted plane: one linear unit fits it
 *   multigauss   target = sum of six bumps of sign +-1 at (-4 | 0 | 4, +-2.5), width 1.6, clipped to [-1, 1]
 * </pre>
 *
 * {@code noise} (0 to 0.5) moves each point by up to {@code noise * 6} on each axis after its target is drawn, so
 * that the target no longer quite fits where the point lies.
 *
 * @param points the points, as examples of shape (2) (their labels are 0 and unused)
 * @param trainTargets the training points' targets
 * @param testTargets the test points' targets
 */
record RegressionData(DataFolder points, float[] trainTargets, float[] testTargets) {
    static final java.util.List<String> NAMES = java.util.List.of("plane", "multigauss");
    private static final double[][] BUMPS = {{-4, 2.5, 1}, {0, 2.5, -1}, {4, 2.5, 1}, {-4, -2.5, -1}, {0, -2.5, 1},
        {4, -2.5, -1}};

    static boolean names(String dataset) {
        return NAMES.contains(dataset);
    }

    static RegressionData generate(String name, int count, double noise, double testFraction, long seed) {
        Random r = new Random(seed);
        float[] xy = new float[2 * count];
        float[] t = new float[count];
        for (int i = 0; i < count; i++) {
            double x1 = 12 * r.nextDouble() - 6;
            double x2 = 12 * r.nextDouble() - 6;
            t[i] = (float) target(name, x1, x2);
            xy[2 * i] = (float) (x1 + noise * 6 * (2 * r.nextDouble() - 1));
            xy[2 * i + 1] = (float) (x2 + noise * 6 * (2 * r.nextDouble() - 1));
        }
        int test = (int) Math.round(count * testFraction);
        int train = count - test;
        return new RegressionData(new DataFolder(set(xy, 0, train), set(xy, train, count)),
                java.util.Arrays.copyOf(t, train), java.util.Arrays.copyOfRange(t, train, count));
    }

    static double target(String name, double x1, double x2) {
        if (name.equals("plane")) {
            return (x1 + x2) / 12;
        }
        double sum = 0;
        for (double[] b : BUMPS) {
            double d2 = (x1 - b[0]) * (x1 - b[0]) + (x2 - b[1]) * (x2 - b[1]);
            sum += b[2] * Math.exp(-d2 / (2 * 1.6 * 1.6));
        }
        return Math.max(-1, Math.min(1, sum));
    }

    private static Dataset set(float[] xy, int from, int to) {
        return new Dataset(java.util.Arrays.copyOfRange(xy, 2 * from, 2 * to), new int[to - from], 1, 1, 2, 2);
    }
}
