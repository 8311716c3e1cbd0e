package lanes.app;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import lanes.layers.data.DataFolder;
import lanes.layers.data.Dataset;

/**
 * One's own 2-D points as CSV: a line per point, {@code x1,x2,label}, the label a class number from 0; an optional
 * first line of names ({@code x1,x2,label}); blank lines and lines from {@code #} on ignored. The points are
 * shuffled from a seed and split into training and test sets as the toy data sets are.
 */
public final class PointsCsv {
    /** The most classes a file may have. */
    public static final int MAX_CLASSES = 10;

    private PointsCsv() {
    }

    /**
     * The points of {@code text}, split.
     *
     * @param text the CSV text
     * @param maxPoints the most points allowed
     * @param testFraction the test share, above 0 and below 1
     * @param seed the seed of the shuffle
     * @return the training and test sets, examples of shape (2)
     * @throws IllegalArgumentException naming the line and the value that is wrong
     */
    public static DataFolder read(String text, int maxPoints, double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("CSV points: test fraction " + testFraction + " must be above 0 and "
                    + "below 1");
        }
        List<float[]> points = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        String[] lines = text.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            line = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split("[,;\t]", -1);
            if (points.isEmpty() && labels.isEmpty() && isHeader(cells)) {
                continue;
            }
            if (cells.length != 3) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "CSV points, line %d: %d values "
                        + "(\"%s\"); each line is x1,x2,label", i + 1, cells.length, clip(line)));
            }
            if (points.size() == maxPoints) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "CSV points: more than %,d points "
                        + "(line %d); give at most %,d", maxPoints, i + 1, maxPoints));
            }
            float x1 = number(cells[0], "x1", i);
            float x2 = number(cells[1], "x2", i);
            int label = label(cells[2], i);
            points.add(new float[] {x1, x2});
            labels.add(label);
        }
        int classes = labels.stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        if (points.size() < 4) {
            throw new IllegalArgumentException("CSV points: " + points.size() + " points; give at least 4");
        }
        if (classes < 2) {
            throw new IllegalArgumentException("CSV points: every label is 0; give at least two classes (0 and 1)");
        }
        int n = points.size();
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            Integer t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int test = (int) Math.round(n * testFraction);
        int train = n - test;
        if (train < 1 || test < 1) {
            throw new IllegalArgumentException("CSV points: " + n + " points at a test fraction of " + testFraction
                    + " leave " + train + " for training and " + test + " for testing");
        }
        return new DataFolder(set(points, labels, order, 0, train, classes),
                set(points, labels, order, train, n, classes));
    }

    private static Dataset set(List<float[]> points, List<Integer> labels, Integer[] order, int from, int to,
                               int classes) {
        float[] xy = new float[2 * (to - from)];
        int[] y = new int[to - from];
        for (int i = from; i < to; i++) {
            float[] p = points.get(order[i]);
            xy[2 * (i - from)] = p[0];
            xy[2 * (i - from) + 1] = p[1];
            y[i - from] = labels.get(order[i]);
        }
        return new Dataset(xy, y, 1, 1, 2, classes);
    }

    private static boolean isHeader(String[] cells) {
        for (String c : cells) {
            try {
                Double.parseDouble(c.strip());
            } catch (NumberFormatException e) {
                return true;
            }
        }
        return false;
    }

    private static float number(String cell, String name, int line) {
        try {
            float v = Float.parseFloat(cell.strip());
            if (Float.isFinite(v) && Math.abs(v) <= 1e6) {
                return v;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT, "CSV points, line %d: %s is \"%s\"; give a "
                + "finite number from -1e6 to 1e6", line + 1, name, clip(cell.strip())));
    }

    private static int label(String cell, int line) {
        try {
            int v = Integer.parseInt(cell.strip());
            if (v >= 0 && v < MAX_CLASSES) {
                return v;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT, "CSV points, line %d: label is \"%s\"; give "
                + "a class number from 0 to %d", line + 1, clip(cell.strip()), MAX_CLASSES - 1));
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
