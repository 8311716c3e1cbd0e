package lanes.layers.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reader of the IDX format (MNIST's), raw or gzip-compressed (detected by its magic bytes), for any type code and
 * rank:
 *
 * <pre>
 *   magic    0x00 0x00 type rank      type: 0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double
 *   dims     rank big-endian ints      each >= 0
 *   data     product(dims) items, big-endian, row-major; nothing after them
 * </pre>
 *
 * Every header field and the file's length are checked; a bad file throws an {@link IOException} naming the file,
 * the field and the values.
 */
public final class Idx {
    /** Largest number of items read: Java arrays hold at most about 2^31. */
    private static final long MAX_ITEMS = Integer.MAX_VALUE - 64;

    private Idx() {
    }

    /**
     * An IDX array: its type code, its dimensions and its items as floats (exact for every byte and short, and
     * for ints and doubles up to 2^24).
     *
     * @param source where it was read from, for messages
     * @param type   the IDX type code (0x08 ubyte ... 0x0E double)
     * @param dims   the extent of each dimension
     * @param values the items, row-major, as floats
     */
    public record Array(String source, int type, int[] dims, float[] values) {
        /**
         * Extent of dimension {@code d}.
         *
         * @param d the dimension
         * @return its extent
         */
        public int dim(int d) {
            return dims[d];
        }
    }

    /**
     * Images as floats in [0, 1] for ubyte files (byte / 255; other types as stored), (count, channels, rows, cols).
     *
     * @param pixels   (count, channels, rows, cols), row-major
     * @param count    images
     * @param channels channels per image
     * @param rows     rows per image
     * @param cols     columns per image
     */
    public record Images(float[] pixels, int count, int channels, int rows, int cols) {
    }

    /**
     * Reads any IDX file.
     *
     * @param file the file
     * @return the array
     * @throws IOException if the file cannot be read or is not what it claims to be, naming it
     */
    public static Array read(Path file) throws IOException {
        try (InputStream in = openFile(file)) {
            return read(file.toString(), in);
        }
    }

    /**
     * Reads an IDX array from {@code in} (raw or gzip); {@code source} names it in messages.
     *
     * @param source its name in messages
     * @param in the bytes; not closed
     * @return the array
     * @throws IOException if the file cannot be read or is not what it claims to be, naming it
     */
    public static Array read(String source, InputStream in) throws IOException {
        DataInputStream data = decompressed(in);
        int zero = readInt16(data, source, "magic number");
        int type = data.read();
        int rank = data.read();
        if (zero != 0 || type < 0 || rank < 0) {
            throw new IOException(source + ": not an IDX file: its magic number starts 0x"
                    + Integer.toHexString(zero) + " where IDX files start 0x0000");
        }
        int size = itemSize(source, type);
        int[] dims = new int[rank];
        long items = 1;
        for (int d = 0; d < rank; d++) {
            dims[d] = readInt(data, source, "dimension " + d);
            if (dims[d] < 0) {
                throw new IOException(source + ": dimension " + d + " is " + dims[d] + "; dimensions must be >= 0");
            }
            items *= dims[d];
            if (items > MAX_ITEMS) {
                throw new IOException(source + ": dimensions " + Arrays.toString(Arrays.copyOf(dims, d + 1))
                        + " hold more than " + MAX_ITEMS + " items");
            }
        }
        byte[] bytes = new byte[Math.toIntExact(items * size)];
        try {
            data.readFully(bytes);
        } catch (EOFException e) {
            throw new IOException(source + ": ends before the " + items + " items of dimensions "
                    + Arrays.toString(dims) + " that its header announces", e);
        }
        if (data.read() != -1) {
            throw new IOException(source + ": has bytes after the " + items + " items of dimensions "
                    + Arrays.toString(dims) + " that its header announces");
        }
        return new Array(source, type, dims, decode(bytes, type, (int) items));
    }

    /**
     * Reads an image file: rank 3 (count, rows, cols) or 4 (count, channels, rows, cols).
     *
     * @param file the file
     * @return the images
     * @throws IOException if the file cannot be read or is not what it claims to be, naming it
     */
    public static Images readImages(Path file) throws IOException {
        return images(read(file));
    }

    /**
     * Reads an image file from {@code in}; {@code source} names it in messages.
     *
     * @param source its name in messages
     * @param in the bytes; not closed
     * @return the images
     * @throws IOException if the file cannot be read or is not what it claims to be, naming it
     */
    public static Images readImages(String source, InputStream in) throws IOException {
        return images(read(source, in));
    }

    /**
     * Reads a label file: rank 1, whole numbers >= 0.
     *
     * @param file the file
     * @return the labels
     * @throws IOException if the file cannot be read or is not what it claims to be, naming it
     */
    public static int[] readLabels(Path file) throws IOException {
        return labels(read(file));
    }

    /**
     * Reads a label file from {@code in}; {@code source} names it in messages.
     *
     * @param source its name in messages
     * @param in the bytes; not closed
     * @return the labels
     * @throws IOException if the file cannot be read or is not what it claims to be, naming it
     */
    public static int[] readLabels(String source, InputStream in) throws IOException {
        return labels(read(source, in));
    }

    private static Images images(Array a) throws IOException {
        int rank = a.dims().length;
        if (rank != 3 && rank != 4) {
            throw new IOException(a.source() + ": an image file has 3 dimensions (count, rows, cols) or 4 (count, "
                    + "channels, rows, cols), not " + Arrays.toString(a.dims()));
        }
        int channels = rank == 4 ? a.dim(1) : 1;
        int rows = a.dim(rank - 2);
        int cols = a.dim(rank - 1);
        if (channels < 1 || rows < 1 || cols < 1) {
            throw new IOException(a.source() + ": images of " + channels + " x " + rows + " x " + cols
                    + " have no pixels");
        }
        float[] v = a.values();
        if (a.type() == 0x08) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= 255f;
            }
        }
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IOException(a.source() + ": pixel " + i + " is " + v[i]);
            }
        }
        return new Images(v, a.dim(0), channels, rows, cols);
    }

    private static int[] labels(Array a) throws IOException {
        if (a.dims().length != 1) {
            throw new IOException(a.source() + ": a label file has 1 dimension, not " + Arrays.toString(a.dims()));
        }
        float[] v = a.values();
        int[] labels = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            labels[i] = (int) v[i];
            if (labels[i] != v[i] || labels[i] < 0) {
                throw new IOException(a.source() + ": label " + i + " is " + v[i] + ", not a class number >= 0");
            }
        }
        return labels;
    }

    private static int itemSize(String source, int type) throws IOException {
        return switch (type) {
            case 0x08, 0x09 -> 1;
            case 0x0B -> 2;
            case 0x0C, 0x0D -> 4;
            case 0x0E -> 8;
            default -> throw new IOException(source + ": type code 0x" + Integer.toHexString(type)
                    + " is none of IDX's 0x08 (ubyte), 0x09 (byte), 0x0B (short), 0x0C (int), 0x0D (float),"
                    + " 0x0E (double)");
        };
    }

    private static float[] decode(byte[] b, int type, int items) {
        float[] v = new float[items];
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);      // big-endian, as IDX
        for (int i = 0; i < items; i++) {
            v[i] = switch (type) {
                case 0x08 -> b[i] & 0xff;
                case 0x09 -> b[i];
                case 0x0B -> buf.getShort(2 * i);
                case 0x0C -> buf.getInt(4 * i);
                case 0x0D -> buf.getFloat(4 * i);
                default -> (float) buf.getDouble(8 * i);
            };
        }
        return v;
    }

    private static InputStream openFile(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a folder, not an IDX file");
        }
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        }
    }

    private static DataInputStream decompressed(InputStream in) throws IOException {
        InputStream raw = new BufferedInputStream(in);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        return new DataInputStream(gzip ? new BufferedInputStream(new GZIPInputStream(raw)) : raw);
    }

    private static int readInt16(DataInputStream in, String source, String what) throws IOException {
        try {
            return in.readUnsignedShort();
        } catch (EOFException e) {
            throw new IOException(source + ": ends inside its header (" + what + ")", e);
        }
    }

    private static int readInt(DataInputStream in, String source, String what) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new IOException(source + ": ends inside its header (" + what + ")", e);
        }
    }
}
