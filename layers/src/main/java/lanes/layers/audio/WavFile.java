package lanes.layers.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import lanes.layers.io.AtomicFile;

/**
 * WAV files (RIFF WAVE) as mono {@link Audio}. Read: PCM of 8 bits (unsigned), 16, 24 and 32 bits (signed), IEEE
 * float of 32 and 64 bits, G.711 mu-law and A-law, plain or as WAVE_FORMAT_EXTENSIBLE, any number of channels (mixed
 * to mono by their mean), any rate. Written: 16-bit PCM, 32-bit float or mu-law, mono. A file that is not a WAV, is
 * cut short, or holds an encoding outside that list is refused with its name and what is wrong.
 *
 * <pre>
 *   "RIFF" size "WAVE" { chunk id, size (little-endian), bytes (padded to even) }*   "fmt " before "data"
 *   fmt: format tag, channels, rate, bytes/s, block align, bits/sample [, extension: valid bits, mask, GUID]
 * </pre>
 */
public final class WavFile {
    /** The encodings {@link #write} can write. */
    public enum Encoding {
        /** 16-bit signed PCM. */
        PCM_16,
        /** 32-bit IEEE float. */
        FLOAT_32,
        /** G.711 mu-law, 8 bits: half the size of 16-bit PCM, about 13 bits of dynamic range. */
        MU_LAW
    }

    private static final int PCM = 1;
    private static final int FLOAT = 3;
    private static final int A_LAW = 6;
    private static final int MU_LAW = 7;
    private static final int EXTENSIBLE = 0xFFFE;

    private WavFile() {
    }

    /**
     * Reads a WAV file as mono samples.
     *
     * @param file the file
     * @return its samples (channels averaged) and rate
     * @throws IOException if it cannot be read, or is not a WAV file of an encoding above, naming the file and why
     */
    public static Audio read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        }
        try {
            return decode(bytes);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Decodes the bytes of a WAV file.
     *
     * @param bytes the whole file
     * @return its samples (channels averaged) and rate
     * @throws IllegalArgumentException saying what is wrong
     */
    public static Audio decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || !tag(bytes, 0).equals("RIFF") || !tag(bytes, 8).equals("WAVE")) {
            String start = bytes.length >= 4 ? tag(bytes, 0) : "";
            throw new IllegalArgumentException("not a WAV file (it starts with \"" + printable(start)
                    + "\", not RIFF....WAVE" + (start.equals("RF64") ? ": RF64, the 64-bit variant, is not read"
                    : start.equals("RIFX") ? ": RIFX, the big-endian variant, is not read" : "") + ")");
        }
        Format format = null;
        int at = 12;
        while (at + 8 <= bytes.length) {
            String id = tag(bytes, at);
            long size = Integer.toUnsignedLong(b.getInt(at + 4));
            int body = at + 8;
            if (id.equals("fmt ")) {
                if (size < 16 || body + size > bytes.length) {
                    throw new IllegalArgumentException("the fmt chunk is " + (size < 16 ? size + " bytes, less than "
                            + "16" : "cut short (" + size + " bytes declared, " + (bytes.length - body) + " present)"));
                }
                format = Format.of(b, body, (int) size);
            } else if (id.equals("data")) {
                if (format == null) {
                    throw new IllegalArgumentException("the data chunk comes before any fmt chunk");
                }
                long present = bytes.length - body;
                if (size > present) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "truncated: the data chunk declares "
                            + "%,d bytes but %,d are present", size, present));
                }
                return format.samples(b, body, (int) size);
            }
            at = (int) Math.min(Integer.MAX_VALUE, body + size + (size & 1));
        }
        throw new IllegalArgumentException(format == null ? "no fmt chunk" : "no data chunk");
    }

    /**
     * Writes {@code audio} as a mono WAV file, atomically.
     *
     * @param file the file
     * @param audio the samples (clipped to [-1, 1])
     * @param encoding how to store them
     * @throws IOException if it cannot be written
     */
    public static void write(Path file, Audio audio, Encoding encoding) throws IOException {
        AtomicFile.write(file, encode(audio, encoding));
    }

    /**
     * The bytes of a mono WAV file of {@code audio}.
     *
     * @param audio the samples (clipped to [-1, 1])
     * @param encoding how to store them
     * @return the file's bytes
     */
    public static byte[] encode(Audio audio, Encoding encoding) {
        int bits = switch (encoding) {
            case PCM_16 -> 16;
            case FLOAT_32 -> 32;
            case MU_LAW -> 8;
        };
        int n = audio.samples().length;
        int data = n * bits / 8;
        boolean law = encoding == Encoding.MU_LAW;
        int fmt = law ? 18 : 16;                        // non-PCM formats carry cbSize
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + fmt + (law ? 12 : 0) + 8 + data + (data & 1))
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(b.capacity() - 8).put(ascii("WAVE"));
        b.put(ascii("fmt ")).putInt(fmt).putShort((short) (encoding == Encoding.PCM_16 ? PCM
                : encoding == Encoding.FLOAT_32 ? FLOAT : MU_LAW)).putShort((short) 1).putInt(audio.rate())
                .putInt(audio.rate() * bits / 8).putShort((short) (bits / 8)).putShort((short) bits);
        if (law) {
            b.putShort((short) 0);
            b.put(ascii("fact")).putInt(4).putInt(n);
        }
        b.put(ascii("data")).putInt(data);
        for (float s : audio.samples()) {
            float v = Math.max(-1f, Math.min(1f, Float.isNaN(s) ? 0f : s));
            switch (encoding) {
                case PCM_16 -> b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(v * 32768f))));
                case FLOAT_32 -> b.putFloat(v);
                case MU_LAW -> b.put(G711.muLaw(Math.max(-32768, Math.min(32767, Math.round(v * 32768f)))));
            }
        }
        return b.array();
    }

    // the fmt chunk, checked
    record Format(int tag, int channels, int rate, int blockAlign, int bits) {
        static Format of(ByteBuffer b, int at, int size) {
            int tag = Short.toUnsignedInt(b.getShort(at));
            int channels = Short.toUnsignedInt(b.getShort(at + 2));
            int rate = b.getInt(at + 4);
            int blockAlign = Short.toUnsignedInt(b.getShort(at + 12));
            int bits = Short.toUnsignedInt(b.getShort(at + 14));
            if (tag == EXTENSIBLE) {
                if (size < 40) {
                    throw new IllegalArgumentException("WAVE_FORMAT_EXTENSIBLE with a fmt chunk of " + size
                            + " bytes, not 40");
                }
                tag = Short.toUnsignedInt(b.getShort(at + 24));      // the sub-format GUID's first two bytes
            }
            String name = switch (tag) {
                case PCM -> "PCM";
                case FLOAT -> "IEEE float";
                case A_LAW -> "A-law";
                case MU_LAW -> "mu-law";
                case 2 -> "MS ADPCM";
                case 0x11 -> "IMA ADPCM";
                case 0x50, 0x55 -> "MPEG audio";
                default -> null;
            };
            boolean known = tag == PCM && (bits == 8 || bits == 16 || bits == 24 || bits == 32)
                    || tag == FLOAT && (bits == 32 || bits == 64) || (tag == A_LAW || tag == MU_LAW) && bits == 8;
            if (!known) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "unsupported encoding: %s (format tag "
                        + "0x%04X), %d bits per sample; read are PCM of 8, 16, 24 or 32 bits, IEEE float of 32 or 64 "
                        + "bits, and 8-bit mu-law and A-law", name == null ? "unknown" : name, tag, bits));
            }
            if (channels < 1 || channels > 64) {
                throw new IllegalArgumentException(channels + " channels; a WAV file has 1 to 64");
            }
            if (rate < 1 || rate > 768_000) {
                throw new IllegalArgumentException("sample rate " + Integer.toUnsignedString(rate) + " Hz; read are "
                        + "1 to 768,000");
            }
            if (blockAlign != channels * bits / 8) {
                throw new IllegalArgumentException("block align " + blockAlign + " bytes, but " + channels
                        + " channels of " + bits + " bits take " + channels * bits / 8);
            }
            return new Format(tag, channels, rate, blockAlign, bits);
        }

        // data (frames of `channels` samples) -> mono, channels averaged
        Audio samples(ByteBuffer b, int at, int size) {
            if (size % blockAlign != 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "truncated: the data chunk's %,d bytes "
                        + "are not whole frames of %d bytes", size, blockAlign));
            }
            int frames = size / blockAlign;
            float[] out = new float[frames];
            int width = bits / 8;
            for (int f = 0; f < frames; f++) {
                double sum = 0;
                for (int c = 0; c < channels; c++) {
                    sum += sample(b, at + f * blockAlign + c * width);
                }
                out[f] = (float) (sum / channels);
            }
            return new Audio(out, rate);
        }

        private double sample(ByteBuffer b, int p) {
            return switch (tag) {
                case PCM -> switch (bits) {
                    case 8 -> (Byte.toUnsignedInt(b.get(p)) - 128) / 128.0;
                    case 16 -> b.getShort(p) / 32768.0;
                    case 24 -> ((b.get(p + 2) << 16) | (Byte.toUnsignedInt(b.get(p + 1)) << 8)
                            | Byte.toUnsignedInt(b.get(p))) / 8388608.0;
                    default -> b.getInt(p) / 2147483648.0;
                };
                case FLOAT -> bits == 32 ? b.getFloat(p) : b.getDouble(p);
                case MU_LAW -> G711.fromMuLaw(b.get(p)) / 32768.0;
                default -> G711.fromALaw(b.get(p)) / 32768.0;
            };
        }
    }

    static String tag(byte[] bytes, int at) {
        return new String(bytes, at, Math.min(4, bytes.length - at), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return out.toString();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
