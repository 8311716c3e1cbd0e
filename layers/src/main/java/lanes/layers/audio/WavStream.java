package lanes.layers.audio;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A WAV file read a block at a time, as mono samples: for recordings too long to hold (an hour at 16 kHz is 230 MB
 * of floats). Reads what {@link WavFile#read} reads, with the same messages.
 */
public final class WavStream implements Closeable {
    private final Path file;
    private final InputStream in;
    private final WavFile.Format format;
    private long left;                  // bytes of the data chunk not yet read

    private WavStream(Path file, InputStream in, WavFile.Format format, long dataBytes) {
        this.file = file;
        this.in = in;
        this.format = format;
        this.left = dataBytes;
    }

    /**
     * Opens {@code file} and reads its header.
     *
     * @param file a WAV file
     * @return the stream, positioned at the first sample
     * @throws IOException if it is not a WAV file of a readable encoding, naming the file and why
     */
    public static WavStream open(Path file) throws IOException {
        InputStream in;
        try {
            in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        }
        try {
            long size = Files.size(file);
            byte[] head = in.readNBytes(12);
            if (head.length < 12 || !WavFile.tag(head, 0).equals("RIFF") || !WavFile.tag(head, 8).equals("WAVE")) {
                throw new IllegalArgumentException("not a WAV file (it starts with \"" + WavFile.printable(
                        head.length >= 4 ? WavFile.tag(head, 0) : "") + "\", not RIFF....WAVE)");
            }
            long at = 12;
            WavFile.Format format = null;
            while (true) {
                byte[] chunk = in.readNBytes(8);
                if (chunk.length < 8) {
                    throw new IllegalArgumentException(format == null ? "no fmt chunk" : "no data chunk");
                }
                String id = WavFile.tag(chunk, 0);
                long n = Integer.toUnsignedLong(ByteBuffer.wrap(chunk, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
                at += 8;
                if (id.equals("data")) {
                    if (format == null) {
                        throw new IllegalArgumentException("the data chunk comes before any fmt chunk");
                    }
                    if (n > size - at) {
                        throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "truncated: the data "
                                + "chunk declares %,d bytes but %,d are present", n, size - at));
                    }
                    if (n % format.blockAlign() != 0) {
                        throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "truncated: the data "
                                + "chunk's %,d bytes are not whole frames of %d bytes", n, format.blockAlign()));
                    }
                    return new WavStream(file, in, format, n);
                }
                byte[] body = in.readNBytes((int) Math.min(n + (n & 1), Integer.MAX_VALUE));
                if (id.equals("fmt ")) {
                    if (n < 16 || body.length < n) {
                        throw new IllegalArgumentException("the fmt chunk is " + (n < 16 ? n + " bytes, less than 16"
                                : "cut short"));
                    }
                    format = WavFile.Format.of(ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN), 0, (int) n);
                }
                at += body.length;
            }
        } catch (IllegalArgumentException e) {
            in.close();
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The file's rate.
     *
     * @return samples per second
     */
    public int rate() {
        return format.rate();
    }

    /**
     * The samples not yet read.
     *
     * @return samples per channel left
     */
    public long remaining() {
        return left / format.blockAlign();
    }

    /**
     * Reads up to {@code max} mono samples into {@code out}.
     *
     * @param out where they go, from index 0
     * @param max the most to read
     * @return how many were read: 0 at the end
     * @throws IOException if the file cannot be read or ends early
     */
    public int read(float[] out, int max) throws IOException {
        int frames = (int) Math.min(max, remaining());
        if (frames == 0) {
            return 0;
        }
        byte[] bytes = in.readNBytes(frames * format.blockAlign());
        if (bytes.length < frames * format.blockAlign()) {
            throw new IOException(file + ": truncated: it ended " + (left - bytes.length) + " bytes before its data "
                    + "chunk's end");
        }
        left -= bytes.length;
        float[] mono = format.samples(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), 0, bytes.length)
                .samples();
        System.arraycopy(mono, 0, out, 0, frames);
        return frames;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
