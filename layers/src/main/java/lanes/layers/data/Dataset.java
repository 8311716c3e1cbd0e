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
    /** Number of examples. */
    public final int count;
    /** Channels of an image. */
    public final int channels;
    /** Rows of an image. */
    public final int rows;
    /** Columns of an image. */
    public final int cols;
    /** Number of classes; labels lie in [0, classes). */
    public final int classes;
    private final float[] pixels;
    private final int[] labels;

    /**
     * A dataset over {@code pixels} (count x channels x rows x cols, row-major; not copied) and their {@code labels}.
     *
     * @param pixels the examples, one after another
     * @param labels one label per example
     * @param channels channels of an image
     * @param rows rows of an image
     * @param cols columns of an image
     * @param classes the number of classes
     */
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

    /**
     * The shape of one example as a model takes it: {@code (channels, rows, cols)} for images, {@code (cols)} for a
     * vector of features (one channel, one row: points of the plane, say), as {@code Trainer}'s batches hold them.
     *
     * @return a new array
     */
    public int[] exampleShape() {
        return channels == 1 && rows == 1 ? new int[] {cols} : new int[] {channels, rows, cols};
    }

    /** The pixels themselves (not a copy), for the readers of this package to normalise in place. */
    float[] pixels() {
        return pixels;
    }

    /**
     * An IDX image file and its label file (gzip or not), as images in [0, 1] (ubyte) of {@code classes}.
     *
     * @param images the image file
     * @param labels the label file
     * @param classes the number of classes
     * @return the dataset
     * @throws IOException if the file cannot be read or is not what it claims to be, naming it
     */
    public static Dataset readIdx(Path images, Path labels, int classes) throws IOException {
        return of(Idx.readImages(images), images.toString(), Idx.readLabels(labels), labels.toString(), classes);
    }

    /**
     * Images and labels read elsewhere, checked against each other: as many labels as images, every label in
     * [0, classes). Errors name both sources.
     *
     * @param im the images
     * @param imageSource where they came from
     * @param labels their labels
     * @param labelSource where those came from
     * @param classes the number of classes
     * @return the dataset
     * @throws IOException if the counts differ or a label is out of range, naming both sources
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

    /**
     * A copy of the first {@code n} images (all of them if there are fewer).
     *
     * @param n how many
     * @return a new dataset
     */
    public Dataset head(int n) {
        int m = Math.min(n, count);
        int per = channels * rows * cols;
        return new Dataset(Arrays.copyOf(pixels, m * per), Arrays.copyOf(labels, m), channels, rows, cols, classes);
    }

    /**
     * A copy of example {@code i}'s elements (channels x rows x cols, row-major): what a Predictor takes.
     *
     * @param i the example
     * @return a new array
     */
    public float[] example(int i) {
        java.util.Objects.checkIndex(i, count);
        int per = channels * rows * cols;
        return Arrays.copyOfRange(pixels, i * per, (i + 1) * per);
    }

    /**
     * The label of image {@code i}.
     *
     * @param i the example
     * @return its label
     */
    public int label(int i) {
        return labels[i];
    }

    /**
     * Copies images {@code from..from+n} into {@code x} (n, channels, rows, cols), dense, and their labels into
     * {@code y[0..n)}: one copy of the whole run.
     *
     * @param from the first example
     * @param n how many
     * @param x the batch, modified
     * @param y the labels, modified
     */
    public void range(int from, int n, Tensor x, int[] y) {
        int per = channels * rows * cols;
        System.arraycopy(pixels, from * per, x.data(), x.offset(), n * per);
        System.arraycopy(labels, from, y, 0, n);
    }

    /**
     * Copies images {@code order[from..from+n)} into {@code x} (n, channels, rows, cols) and their labels into
     * {@code y[0..n)}.
     *
     * @param order the order of the examples
     * @param from the first position in order
     * @param n how many
     * @param x the batch, modified
     * @param y the labels, modified
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
