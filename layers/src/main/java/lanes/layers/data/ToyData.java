package lanes.layers.data;

import java.util.Locale;
import java.util.Random;

/**
 * The two-dimensional data sets of the course's playground (TensorFlow Playground's four classification sets, and
 * Gaussian blobs of K classes), drawn from a seed: points (x1, x2) in about [-6, 6]^2 as examples of shape
 * {@code (2)} ({@link Dataset#exampleShape()}), split into a training and a test set.
 *
 * <pre>
 *   circle    class 1 inside radius 2.5, class 0 on a ring from 3.5 to 5
 *   xor       class 1 where x1 and x2 have the same sign (points kept 0.3 away from the axes)
 *   gauss     two Gaussian clouds around (2, 2) and (-2, -2), wider with more noise
 *   spiral    two interleaved spirals of 1.75 turns, radius 0 to 5
 *   blobs:K   K Gaussian clouds on a circle of radius 4
 * </pre>
 *
 * {@code noise} (0 to 1, the playground's 0-50 % slider as 0-0.5) jitters every point: by up to {@code noise}
 * times the set's radius (circle, xor, blobs) or one unit (spiral), or widens the clouds (gauss).
 */
public final class ToyData {
    /** The names {@link #generate} takes. */
    public static final String NAMES = "circle, xor, gauss, spiral, blobs:K";

    private ToyData() {
    }

    /**
     * {@code points} points of data set {@code name}, the first {@code points - round(points * testFraction)}
     * for training and the rest for testing, classes balanced and the order shuffled.
     *
     * @param name circle, xor, gauss, spiral or blobs:K (K from 2 to 10)
     * @param points how many points in all, at least 4
     * @param noise 0 to 1
     * @param testFraction the share held out for testing, above 0 and below 1
     * @param seed the seed of every draw
     * @return the training and test sets
     * @throws IllegalArgumentException naming the value that is out of range or the unknown name
     */
    public static DataFolder generate(String name, int points, double noise, double testFraction, long seed) {
        if (points < 4 || points > 10_000_000) {
            throw new IllegalArgumentException("toy data: " + points + " points; give 4 to 10,000,000");
        }
        if (!(noise >= 0 && noise <= 1)) {
            throw new IllegalArgumentException("toy data: noise " + noise + " must be from 0 to 1");
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("toy data: test fraction " + testFraction + " must be above 0 and "
                    + "below 1");
        }
        int classes = classes(name);
        Random r = new Random(seed);
        float[] xy = new float[2 * points];
        int[] labels = new int[points];
        for (int i = 0; i < points; i++) {
            int label = i % classes;
            labels[i] = label;
            double[] p = switch (name.toLowerCase(Locale.ROOT).split(":")[0]) {
                case "circle" -> circle(label, noise, r);
                case "xor" -> xor(label, noise, r);
                case "gauss" -> gauss(label, noise, r);
                case "spiral" -> spiral(label, i / classes, points / classes, noise, r);
                default -> blob(label, classes, noise, r);
            };
            xy[2 * i] = (float) p[0];
            xy[2 * i + 1] = (float) p[1];
        }
        for (int i = points - 1; i > 0; i--) {           // shuffle, so that the split takes every class alike
            int j = r.nextInt(i + 1);
            float x = xy[2 * i];
            float y = xy[2 * i + 1];
            xy[2 * i] = xy[2 * j];
            xy[2 * i + 1] = xy[2 * j + 1];
            xy[2 * j] = x;
            xy[2 * j + 1] = y;
            int l = labels[i];
            labels[i] = labels[j];
            labels[j] = l;
        }
        int test = (int) Math.round(points * testFraction);
        int train = points - test;
        if (train < 1 || test < 1) {
            throw new IllegalArgumentException("toy data: " + points + " points at a test fraction of "
                    + testFraction + " leave " + train + " for training and " + test + " for testing");
        }
        return new DataFolder(
                new Dataset(java.util.Arrays.copyOf(xy, 2 * train), java.util.Arrays.copyOf(labels, train), 1, 1,
                        2, classes),
                new Dataset(java.util.Arrays.copyOfRange(xy, 2 * train, 2 * points),
                        java.util.Arrays.copyOfRange(labels, train, points), 1, 1, 2, classes));
    }

    /**
     * The number of classes of data set {@code name}.
     *
     * @param name circle, xor, gauss, spiral or blobs:K
     * @return 2, or K
     * @throws IllegalArgumentException if the name is none of them
     */
    public static int classes(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("circle") || n.equals("xor") || n.equals("gauss") || n.equals("spiral")) {
            return 2;
        }
        if (n.startsWith("blobs:")) {
            try {
                int k = Integer.parseInt(n.substring(6));
                if (k >= 2 && k <= 10) {
                    return k;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException("toy data: " + name + ": blobs:K takes K from 2 to 10");
        }
        throw new IllegalArgumentException("toy data: unknown set \"" + name + "\"; known: " + NAMES);
    }

    // class 1 inside radius 2.5, class 0 on the ring 3.5..5; jitter up to noise * 5 each way
    private static double[] circle(int label, double noise, Random r) {
        double radius = label == 1 ? 2.5 * r.nextDouble() : 3.5 + 1.5 * r.nextDouble();
        double angle = 2 * Math.PI * r.nextDouble();
        return new double[] {radius * Math.sin(angle) + jitter(5 * noise, r),
            radius * Math.cos(angle) + jitter(5 * noise, r)};
    }

    // a point of the quadrants where sign(x1 * x2) says the class; jitter up to noise * 5, the label kept
    private static double[] xor(int label, double noise, Random r) {
        double x = 0.3 + 4.7 * r.nextDouble();
        double y = 0.3 + 4.7 * r.nextDouble();
        boolean flipX = r.nextBoolean();
        x = flipX ? -x : x;
        y = (label == 1) == (x > 0) ? y : -y;             // same sign for class 1, opposite for class 0
        return new double[] {x + jitter(5 * noise, r), y + jitter(5 * noise, r)};
    }

    // clouds around (2, 2) (class 1) and (-2, -2), standard deviation 0.7 growing to 2 with the noise
    private static double[] gauss(int label, double noise, Random r) {
        double sd = 0.7 + 1.3 * noise;
        double c = label == 1 ? 2 : -2;
        return new double[] {c + sd * r.nextGaussian(), c + sd * r.nextGaussian()};
    }

    // point i of n on spiral `label`: radius 5 i / n, angle 1.75 turns * i / n, the second spiral turned by pi
    private static double[] spiral(int label, int i, int n, double noise, Random r) {
        double radius = 5.0 * i / n;
        double angle = 1.75 * 2 * Math.PI * i / n + label * Math.PI;
        return new double[] {radius * Math.sin(angle) + jitter(noise, r), radius * Math.cos(angle)
                + jitter(noise, r)};
    }

    // cloud `label` of k, centred on a circle of radius 4, standard deviation 0.6 plus the noise times 2
    private static double[] blob(int label, int k, double noise, Random r) {
        double angle = 2 * Math.PI * label / k;
        double sd = 0.6 + 2 * noise;
        return new double[] {4 * Math.cos(angle) + sd * r.nextGaussian(), 4 * Math.sin(angle)
                + sd * r.nextGaussian()};
    }

    private static double jitter(double amount, Random r) {
        return amount == 0 ? 0 : amount * (2 * r.nextDouble() - 1);
    }
}
