package lanes.layers.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import lanes.engine.Tensor;

/**
 * Labelled images in memory: {@code pixels} (count, channels, rows, cols) row-major and one class per image.
 * Immutable once built; {@link #batch} copies a selection into caller-owned tensors.
 */
public final class Dataset {
    public final int count;
    public final int channels;
    public final int rows;
    public final int cols;
    public final int classes;
    private final float[] pixels;
    private final int[] labels;

    public Dataset(float[] pixels, int[] labels, int channels, int rows, int cols, int classes) {
        int per = channels * rows * cols;
        if (per < 1 || pixels.length != labels.length * per) {
            throw new IllegalArgumentException("Dataset: " + pixels.length + " pixels for " + labels.length
                    + " images of " + channels + " x " + rows + " x " + cols);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("Dataset: label[" + i + "] = " + labels[i] + " is not in [0, "
                        + classes + ")");
            }
        }
        this.count = labels.length;
        this.channels = channels;
        this.rows = rows;
        this.cols = cols;
        this.classes = classes;
        this.pixels = pixels;
        this.labels = labels;
    }

    /** An IDX image file and its label file (gzip or not), as images in [0, 1] (ubyte) of {@code classes}. */
    public static Dataset readIdx(Path images, Path labels, int classes) throws IOException {
        return of(Idx.readImages(images), images.toString(), Idx.readLabels(labels), labels.toString(), classes);
    }

    /**
     * Images and labels read elsewhere, checked against each other: as many labels as images, every label in
     * [0, classes). Errors name both sources.
     */
    public static Dataset of(Idx.Images im, String imageSource, int[] labels, String labelSource, int classes)
            throws IOException {
        if (labels.length != im.count()) {
            throw new IOException(imageSource + " has " + im.count() + " images but " + labelSource + " has "
                    + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IOException(labelSource + ": label " + i + " is " + labels[i] + ", outside the "
                        + classes + " classes 0.." + (classes - 1));
            }
        }
        return new Dataset(im.pixels(), labels, im.channels(), im.rows(), im.cols(), classes);
    }

    /** A copy of the first {@code n} images (all of them if there are fewer). */
    public Dataset head(int n) {
        int m = Math.min(n, count);
        int per = channels * rows * cols;
        return new Dataset(Arrays.copyOf(pixels, m * per), Arrays.copyOf(labels, m), channels, rows, cols, classes);
    }

    /** A copy of example {@code i}'s elements (channels x rows x cols, row-major): what a Predictor takes. */
    public float[] example(int i) {
        java.util.Objects.checkIndex(i, count);
        int per = channels * rows * cols;
        return Arrays.copyOfRange(pixels, i * per, (i + 1) * per);
    }

    /** The label of image {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /**
     * Copies images {@code from..from+n} into {@code x} (n, channels, rows, cols), dense, and their labels into
     * {@code y[0..n)}: one copy of the whole run.
     */
    public void range(int from, int n, Tensor x, int[] y) {
        int per = channels * rows * cols;
        System.arraycopy(pixels, from * per, x.data(), x.offset(), n * per);
        System.arraycopy(labels, from, y, 0, n);
    }

    /**
     * Copies images {@code order[from..from+n)} into {@code x} (n, channels, rows, cols) and their labels into
     * {@code y[0..n)}.
     */
    public void batch(int[] order, int from, int n, Tensor x, int[] y) {
        int per = channels * rows * cols;
        float[] d = x.data();
        for (int i = 0; i < n; i++) {
            int img = order[from + i];
            System.arraycopy(pixels, img * per, d, x.offset() + i * per, per);
            y[i] = labels[img];
        }
    }
}
