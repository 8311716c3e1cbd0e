package lanes.layers.data;

import java.util.Arrays;
import java.util.Map;

/**
 * Per-channel normalisation {@code x' = (x - mean[c]) / std[c]}, as torchvision's {@code Normalize}: measured on a
 * training set, stored in the model file's metadata, and applied to every image the model sees after, so that
 * {@code predict} feeds the model what training fed it.
 *
 * @param mean one mean per channel
 * @param std  one standard deviation per channel (each > 0)
 */
public record Normalization(float[] mean, float[] std) {
    /** The metadata key of the means, e.g. {@code "0.48,0.45,0.4"}. */
    public static final String MEAN = "lanes.normalize.mean";
    /** The metadata key of the standard deviations. */
    public static final String STD = "lanes.normalize.std";

    /**
     * Checks the two lists.
     *
     * @param mean one mean per channel
     * @param std one standard deviation per channel
     */
    public Normalization {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("normalisation: " + mean.length + " means and " + std.length
                    + " standard deviations");
        }
        for (int c = 0; c < std.length; c++) {
            if (!(std[c] > 0) || !Float.isFinite(std[c]) || !Float.isFinite(mean[c])) {
                throw new IllegalArgumentException("normalisation: channel " + c + " has mean " + mean[c]
                        + " and standard deviation " + std[c]);
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /**
     * The means.
     *
     * @return one per channel, in a new array
     */
    @Override
    public float[] mean() {
        return mean.clone();
    }

    /**
     * The standard deviations.
     *
     * @return one per channel, in a new array
     */
    @Override
    public float[] std() {
        return std.clone();
    }

    /**
     * The mean and standard deviation of each channel over every image of {@code pixels} (count x channels x
     * plane, row-major), accumulated in double. A channel that does not vary gets a standard deviation of 1.
     *
     * @param pixels the images; not modified
     * @param channels channels per image
     * @param plane pixels per channel (rows x cols)
     * @return the normalisation
     */
    public static Normalization measure(float[] pixels, int channels, int plane) {
        double[] sum = new double[channels];
        double[] squares = new double[channels];
        long per = (long) pixels.length / ((long) channels * plane) * plane;
        for (int i = 0; i < pixels.length; i++) {
            int c = (i / plane) % channels;
            sum[c] += pixels[i];
            squares[c] += (double) pixels[i] * pixels[i];
        }
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            double m = sum[c] / per;
            double variance = Math.max(0, squares[c] / per - m * m);
            mean[c] = (float) m;
            std[c] = variance > 1e-12 ? (float) Math.sqrt(variance) : 1f;
        }
        return new Normalization(mean, std);
    }

    /**
     * Normalises {@code pixels} (images of channels x plane, one after another) in place.
     *
     * @param pixels the images, modified
     * @param plane pixels per channel
     */
    public void apply(float[] pixels, int plane) {
        int channels = mean.length;
        if (pixels.length % (channels * plane) != 0) {
            throw new IllegalArgumentException("normalisation: " + pixels.length + " values are not whole images of "
                    + channels + " x " + plane);
        }
        for (int i = 0; i < pixels.length; i++) {
            int c = (i / plane) % channels;
            pixels[i] = (pixels[i] - mean[c]) / std[c];
        }
    }

    /**
     * Adds this normalisation to a model file's metadata.
     *
     * @param metadata modified
     */
    public void store(Map<String, String> metadata) {
        metadata.put(MEAN, join(mean));
        metadata.put(STD, join(std));
    }

    /**
     * The normalisation a model file's metadata holds, or null if it holds none.
     *
     * @param metadata a model file's metadata; not modified
     * @return the normalisation, or null
     * @throws IllegalArgumentException if the entries are malformed, naming them
     */
    public static Normalization of(Map<String, String> metadata) {
        String m = metadata.get(MEAN);
        String s = metadata.get(STD);
        if (m == null && s == null) {
            return null;
        }
        try {
            return new Normalization(parse(m), parse(s));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("metadata " + MEAN + " \"" + m + "\" and " + STD + " \"" + s
                    + "\" are not one list of floats per channel each: " + e.getMessage(), e);
        }
    }

    private static String join(float[] v) {
        StringBuilder b = new StringBuilder();
        for (float f : v) {
            b.append(b.isEmpty() ? "" : ",").append(f);         // Float.toString reads back to the same float
        }
        return b.toString();
    }

    private static float[] parse(String text) {
        String[] parts = text.split(",");
        float[] v = new float[parts.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.parseFloat(parts[i].trim());
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(n.mean, mean) && Arrays.equals(n.std, std);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mean) * 31 + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization(mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std) + ")";
    }
}
