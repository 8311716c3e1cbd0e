package lanes.layers.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A train / test pair in the MNIST folder layout, as MNIST, Fashion-MNIST and KMNIST ship: {@code
 * train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte} and {@code
 * t10k-labels-idx1-ubyte}, each raw or gzipped ({@code .gz}).
 *
 * @param train the training images and labels
 * @param test  the test images and labels
 */
public record DataFolder(Dataset train, Dataset test) {
    /** The four files' names, without {@code .gz}. */
    public static final String[] FILES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

    /** Opens a file of the folder by name, or returns null if there is none of that name. */
    @FunctionalInterface
    public interface Source {
        /**
         * Opens the file {@code name} of the folder; the caller closes it.
         *
         * @param name the file name, e.g. {@code train-images-idx3-ubyte.gz}
         * @return its bytes, or null if the folder has no such file
         * @throws IOException if it cannot be opened
         */
        InputStream open(String name) throws IOException;
    }

    /**
     * Reads folder {@code dir}; labels must lie in [0, classes).
     *
     * @param dir the folder
     * @param classes the number of classes
     * @return the training and test sets
     * @throws IOException if the file cannot be read or is not what it claims to be, naming it
     */
    public static DataFolder read(Path dir, int classes) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": no such folder" + (Files.exists(dir) ? " (it is a file)" : ""));
        }
        return read(dir.toString(), name -> {
            Path p = dir.resolve(name);
            return Files.isRegularFile(p) ? Files.newInputStream(p) : null;
        }, classes);
    }

    /**
     * Reads the four files from {@code source}, named {@code where} in messages (a folder, a jar's resources).
     *
     * @param where the folder's name in messages
     * @param source opens its files
     * @param classes the number of classes
     * @return the training and test sets
     * @throws IOException if the file cannot be read or is not what it claims to be, naming it
     */
    public static DataFolder read(String where, Source source, int classes) throws IOException {
        Dataset train = pair(where, source, FILES[0], FILES[1], classes);
        Dataset test = pair(where, source, FILES[2], FILES[3], classes);
        if (train.channels != test.channels || train.rows != test.rows || train.cols != test.cols) {
            throw new IOException(where + ": training images are " + train.channels + " x " + train.rows + " x "
                    + train.cols + " but test images are " + test.channels + " x " + test.rows + " x " + test.cols);
        }
        return new DataFolder(train, test);
    }

    private static Dataset pair(String where, Source source, String images, String labels, int classes)
            throws IOException {
        Idx.Images im;
        String imageName;
        try (Named in = open(where, source, images)) {
            imageName = in.name();
            im = Idx.readImages(imageName, in.stream());
        }
        try (Named in = open(where, source, labels)) {
            return Dataset.of(im, imageName, Idx.readLabels(in.name(), in.stream()), in.name(), classes);
        }
    }

    /** An open file of the folder and its full name, for messages. */
    private record Named(String name, InputStream stream) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            stream.close();
        }
    }

    // the file `name`, or `name.gz`
    private static Named open(String where, Source source, String name) throws IOException {
        for (String candidate : new String[] {name, name + ".gz"}) {
            InputStream in = source.open(candidate);
            if (in != null) {
                return new Named(where + "/" + candidate, in);
            }
        }
        throw new IOException(where + ": has no " + name + " (or " + name + ".gz); an MNIST-format folder holds "
                + String.join(", ", FILES));
    }
}
