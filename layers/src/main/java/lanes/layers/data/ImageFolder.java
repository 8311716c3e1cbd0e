package lanes.layers.data;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

/**
 * Images in torchvision's {@code ImageFolder} layout, one folder per class (classes in name order, as torchvision
 * numbers them):
 *
 * <pre>
 *   DIR/train/&lt;class&gt;/*.png|jpg|jpeg|bmp|gif     and DIR/test/&lt;class&gt;/...
 *   DIR/&lt;class&gt;/*                                  one folder, split per class by a seeded fraction
 * </pre>
 *
 * Every image is drawn onto a white ground at the size asked for (bilinear), as grey levels (1 channel) or RGB
 * (3), scaled to [0, 1] and normalised per channel ({@link Normalization}: measured on the training images unless
 * one is given, as a trained model's is). Files of other extensions and hidden files are skipped; an image that
 * cannot be decoded (malformed, truncated, of an unknown format) gets an {@link IOException} naming the file.
 *
 * @param train the training images, normalised
 * @param test the test images, normalised the same way
 * @param classes the class names: label i is {@code classes.get(i)}
 * @param normalization what was applied to both
 */
public record ImageFolder(Dataset train, Dataset test, List<String> classes, Normalization normalization) {
    /** The extensions read, lower case. */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    /**
     * How to read a folder.
     *
     * @param channels 1 (grey) or 3 (RGB), or 0 to take 3 if any training image has colour, else 1
     * @param rows the height every image is resized to
     * @param cols the width every image is resized to
     * @param testFraction for a folder without train/ and test/: the share of each class held out for testing
     * @param seed for that split
     * @param normalization the normalisation to apply, or null to measure it on the training images
     */
    public record Options(int channels, int rows, int cols, double testFraction, long seed,
                          Normalization normalization) {
        /**
         * Checks the options.
         *
         * @param channels 1, 3, or 0 for either
         * @param rows the height (>= 1)
         * @param cols the width (>= 1)
         * @param testFraction in (0, 1)
         * @param seed any
         * @param normalization null, or one of {@code channels} channels
         */
        public Options {
            if (channels != 0 && channels != 1 && channels != 3) {
                throw new IllegalArgumentException("image folder: " + channels + " channels; 1 (grey) or 3 (RGB)");
            }
            if (rows < 1 || cols < 1 || rows * (long) cols > 1 << 24) {
                throw new IllegalArgumentException("image folder: images of " + rows + " x " + cols);
            }
            if (!(testFraction > 0 && testFraction < 1)) {
                throw new IllegalArgumentException("image folder: test fraction " + testFraction + " not in (0, 1)");
            }
        }
    }

    /**
     * True if {@code dir} is laid out as an image folder: class subfolders, or train/ and test/ holding them.
     *
     * @param dir a folder
     * @return true if it has a subfolder holding an image, directly or under train/
     * @throws IOException if the folder cannot be listed
     */
    public static boolean looksLike(Path dir) throws IOException {
        return ClassFolders.looksLike(dir, EXTENSIONS);
    }

    /**
     * Reads {@code dir}.
     *
     * @param dir the folder
     * @param o how to read it
     * @return the training and test images, the class names and the normalisation applied
     * @throws IOException if the layout is not an image folder or an image cannot be read, naming it
     */
    public static ImageFolder read(Path dir, Options o) throws IOException {
        ClassFolders folders = ClassFolders.read(dir, EXTENSIONS, "images", o.testFraction(), o.seed());
        List<List<Path>> train = folders.train();
        List<List<Path>> test = folders.test();
        List<String> classes = folders.classes();
        int channels = o.channels() != 0 ? o.channels() : anyColour(train) ? 3 : 1;
        Dataset trainSet = decode(train, channels, o.rows(), o.cols());
        Dataset testSet = decode(test, channels, o.rows(), o.cols());
        Normalization n = o.normalization() != null ? o.normalization()
                : Normalization.measure(trainSet.pixels(), channels, o.rows() * o.cols());
        if (n.mean().length != channels) {
            throw new IOException(dir + ": images of " + channels + " channels, but a normalisation of "
                    + n.mean().length);
        }
        n.apply(trainSet.pixels(), o.rows() * o.cols());
        n.apply(testSet.pixels(), o.rows() * o.cols());
        return new ImageFolder(trainSet, testSet, List.copyOf(classes), n);
    }

    /**
     * One image file as {@code channels} x rows x cols values in [0, 1], channel-major (not normalised).
     *
     * @param file the image
     * @param channels 1 (grey) or 3 (RGB)
     * @param rows the height it is resized to
     * @param cols the width it is resized to
     * @return the values
     * @throws IOException if the file cannot be decoded, naming it
     */
    public static float[] pixels(Path file, int channels, int rows, int cols) throws IOException {
        BufferedImage image = load(file);
        float[] out = new float[channels * rows * cols];
        draw(image, channels, rows, cols, out, 0);
        return out;
    }

    private static BufferedImage load(Path file) throws IOException {
        BufferedImage image;
        try (InputStream in = Files.newInputStream(file)) {
            image = ImageIO.read(in);
        } catch (IOException | RuntimeException e) {
            // ImageIO reports a truncated or malformed file with an IIOException, sometimes a runtime exception
            throw new IOException(file + ": a malformed or truncated image (" + e.getMessage() + ")", e);
        }
        if (image == null) {
            throw new IOException(file + ": not an image this JVM decodes (PNG, JPEG, BMP, GIF)");
        }
        return image;
    }

    /** Draws {@code image} at rows x cols onto a white ground and writes its channels at {@code out[at..]}. */
    private static void draw(BufferedImage image, int channels, int rows, int cols, float[] out, int at) {
        BufferedImage canvas = new BufferedImage(cols, rows, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY
                : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, cols, rows, Color.WHITE, null);
        g.dispose();
        int plane = rows * cols;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (channels == 1) {
                    out[at + r * cols + c] = (canvas.getRaster().getSample(c, r, 0) & 0xff) / 255f;
                } else {
                    int rgb = canvas.getRGB(c, r);
                    out[at + r * cols + c] = ((rgb >> 16) & 0xff) / 255f;
                    out[at + plane + r * cols + c] = ((rgb >> 8) & 0xff) / 255f;
                    out[at + 2 * plane + r * cols + c] = (rgb & 0xff) / 255f;
                }
            }
        }
    }

    private static Dataset decode(List<List<Path>> byClass, int channels, int rows, int cols) throws IOException {
        int count = byClass.stream().mapToInt(List::size).sum();
        int per = channels * rows * cols;
        if ((long) count * per > Integer.MAX_VALUE - 8) {
            throw new IOException(count + " images of " + channels + " x " + rows + " x " + cols + " do not fit in "
                    + "memory as one array");
        }
        float[] pixels = new float[count * per];
        int[] labels = new int[count];
        int i = 0;
        for (int c = 0; c < byClass.size(); c++) {
            for (Path f : byClass.get(c)) {
                draw(load(f), channels, rows, cols, pixels, i * per);
                labels[i++] = c;
            }
        }
        return new Dataset(pixels, labels, channels, rows, cols, byClass.size());
    }

    private static boolean anyColour(List<List<Path>> byClass) throws IOException {
        for (List<Path> files : byClass) {
            for (Path f : files) {
                if (colour(f)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether {@code file} holds colour, from its header where a reader gives it without decoding the pixels. */
    private static boolean colour(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers != null && readers.hasNext()) {
                ImageReader reader = readers.next();
                try {
                    reader.setInput(in, true, true);
                    Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
                    if (types.hasNext()) {
                        return types.next().getColorModel().getColorSpace().getType() != ColorSpace.TYPE_GRAY;
                    }
                } catch (IOException | RuntimeException e) {
                    // fall through: the full decode below names what is wrong with the file
                } finally {
                    reader.dispose();
                }
            }
        }
        return load(file).getColorModel().getColorSpace().getType() != ColorSpace.TYPE_GRAY;
    }

}
