package lanes.layers.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reader of the MNIST IDX format (optionally gzip-compressed, detected by its magic bytes): images
 * (magic 0x00000803, count, rows, cols, then bytes) and labels (magic 0x00000801, count, then bytes). Every header
 * field and the file's length are checked; a bad file throws naming the file, the field and the values.
 */
public final class Idx {
    private Idx() {
    }

    /** Images as floats in [0, 1] (byte / 255), shape (count, rows*cols), and their rows and columns. */
    public record Images(float[] pixels, int count, int rows, int cols) {
    }

    /** Reads an image file. */
    public static Images readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != 0x00000803) {
                throw new IOException(file + ": magic number 0x" + Integer.toHexString(magic)
                        + " is not an IDX image file's 0x00000803");
            }
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (count < 0 || rows < 1 || cols < 1 || (long) count * rows * cols > Integer.MAX_VALUE - 64) {
                throw new IOException(file + ": header says " + count + " images of " + rows + " x " + cols);
            }
            byte[] bytes = new byte[count * rows * cols];
            readFully(in, bytes, file, count + " images of " + rows + " x " + cols);
            requireEnd(in, file);
            float[] pixels = new float[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                pixels[i] = (bytes[i] & 0xff) / 255f;
            }
            return new Images(pixels, count, rows, cols);
        }
    }

    /** Reads a label file: one class (0..255) per item. */
    public static int[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != 0x00000801) {
                throw new IOException(file + ": magic number 0x" + Integer.toHexString(magic)
                        + " is not an IDX label file's 0x00000801");
            }
            int count = in.readInt();
            if (count < 0) {
                throw new IOException(file + ": header says " + count + " labels");
            }
            byte[] bytes = new byte[count];
            readFully(in, bytes, file, count + " labels");
            requireEnd(in, file);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = bytes[i] & 0xff;
            }
            return labels;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file));
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        return new DataInputStream(gzip ? new BufferedInputStream(new GZIPInputStream(raw)) : raw);
    }

    private static void readFully(DataInputStream in, byte[] bytes, Path file, String what) throws IOException {
        try {
            in.readFully(bytes);
        } catch (EOFException e) {
            throw new IOException(file + ": ends before the " + what + " its header announces", e);
        }
    }

    private static void requireEnd(DataInputStream in, Path file) throws IOException {
        if (in.read() != -1) {
            throw new IOException(file + ": has bytes after the items its header announces");
        }
    }
}
