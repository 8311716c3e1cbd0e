package lanes.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import lanes.layers.data.DataFolder;
import lanes.layers.data.Dataset;
import lanes.layers.io.JsonText;

/**
 * The playground's input features of a 2-D point, by the names the page shows: {@code x1}, {@code x2},
 * {@code x1x2}, {@code x1^2}, {@code x2^2}, {@code sin(x1)}, {@code sin(x2)}. A model trained on features takes the
 * feature vector, not the point: its file records them ({@link #KEY}) and {@code lanes eval} applies them again.
 *
 * @param names the features, in the order of the model's inputs
 */
public record Features(List<String> names) {
    /** Every feature, in the page's order. */
    public static final List<String> ALL = List.of("x1", "x2", "x1x2", "x1^2", "x2^2", "sin(x1)", "sin(x2)");
    /** The model-file metadata key of the features (a JSON list of names). */
    public static final String KEY = "lanes.features";

    /**
     * The features {@code names}, checked: known, each once, at least one.
     *
     * @param names the features
     * @throws IllegalArgumentException naming the unknown or repeated feature
     */
    public Features {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("features: give at least one of " + ALL);
        }
        for (int i = 0; i < names.size(); i++) {
            if (!ALL.contains(names.get(i))) {
                throw new IllegalArgumentException("features: unknown feature \"" + names.get(i) + "\"; the "
                        + "features are " + String.join(", ", ALL));
            }
            if (names.subList(0, i).contains(names.get(i))) {
                throw new IllegalArgumentException("features: \"" + names.get(i) + "\" is given twice");
            }
        }
        names = List.copyOf(names);
    }

    /**
     * The number of features.
     *
     * @return the width of a feature vector
     */
    public int size() {
        return names.size();
    }

    /**
     * True where the features are the point itself (x1, x2): nothing to apply.
     *
     * @return whether this is the identity
     */
    public boolean identity() {
        return names.equals(List.of("x1", "x2"));
    }

    /**
     * Feature {@code f} of point (x1, x2).
     *
     * @param f an index into {@link #names()}
     * @param x1 the first coordinate
     * @param x2 the second
     * @return the value
     */
    public float value(int f, float x1, float x2) {
        return switch (names.get(f)) {
            case "x1" -> x1;
            case "x2" -> x2;
            case "x1x2" -> x1 * x2;
            case "x1^2" -> x1 * x1;
            case "x2^2" -> x2 * x2;
            case "sin(x1)" -> (float) Math.sin(x1);
            default -> (float) Math.sin(x2);
        };
    }

    // points (n, 2) -> features (n, size)
    /**
     * The feature vectors of {@code n} points.
     *
     * @param points x1, x2 of each point, (n, 2)
     * @param n the points
     * @param out the feature vectors, (n, size), written
     */
    public void apply(float[] points, int n, float[] out) {
        int k = size();
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < k; f++) {
                out[i * k + f] = value(f, points[2 * i], points[2 * i + 1]);
            }
        }
    }

    /**
     * The data set of 2-D points {@code d} as feature vectors, labels kept.
     *
     * @param d examples of shape (2)
     * @return examples of shape (size)
     * @throws IllegalArgumentException if {@code d}'s examples are not 2-D points
     */
    public Dataset apply(Dataset d) {
        if (d.channels * d.rows * d.cols != 2) {
            throw new IllegalArgumentException("features " + names + " need 2-D points, not examples of shape "
                    + java.util.Arrays.toString(d.exampleShape()));
        }
        float[] points = new float[2 * d.count];
        int[] labels = new int[d.count];
        for (int i = 0; i < d.count; i++) {
            float[] p = d.example(i);
            points[2 * i] = p[0];
            points[2 * i + 1] = p[1];
            labels[i] = d.label(i);
        }
        float[] out = new float[size() * d.count];
        apply(points, d.count, out);
        return new Dataset(out, labels, 1, 1, size(), d.classes);
    }

    /**
     * Both sets of {@code folder} as feature vectors.
     *
     * @param folder 2-D points
     * @return the feature vectors
     */
    public DataFolder apply(DataFolder folder) {
        return new DataFolder(apply(folder.train()), apply(folder.test()));
    }

    /** Records the features in a model file's metadata. */
    public void store(Map<String, String> metadata) {
        List<String> quoted = new ArrayList<>();
        names.forEach(n -> quoted.add(JsonText.quote(n)));
        metadata.put(KEY, "[" + String.join(", ", quoted) + "]");
    }

    /**
     * The features a model file's metadata records, or null where it records none.
     *
     * @param metadata a model file's metadata
     * @return the features, or null
     * @throws IllegalArgumentException if the record is not a list of known features
     */
    public static Features of(Map<String, String> metadata) {
        String text = metadata.get(KEY);
        if (text == null) {
            return null;
        }
        Object v;
        try {
            v = JsonText.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("metadata " + KEY + " is not a JSON list: " + text, e);
        }
        if (!(v instanceof List<?> l) || !l.stream().allMatch(String.class::isInstance)) {
            throw new IllegalArgumentException("metadata " + KEY + " is not a list of feature names: " + text);
        }
        return new Features(l.stream().map(String.class::cast).toList());
    }

    @Override
    public String toString() {
        return String.join(", ", names).toLowerCase(Locale.ROOT);
    }
}
