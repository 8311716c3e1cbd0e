package lanes.tests.layers.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import lanes.layers.audio.Audio;
import lanes.layers.audio.WavFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The WAV reader against SoX: every encoding SoX wrote (interop/audio/make-wav-fixtures.sh) decodes to SoX's own
 * decoding of it, sample for sample; what the reader writes reads back; every bad file gets one line naming it.
 */
class WavFileTest {
    private static byte[] resource(String name) throws IOException {
        try (InputStream in = WavFileTest.class.getResourceAsStream("/lanes/tests/audio/" + name)) {
            if (in == null) {
                throw new IllegalStateException("fixture " + name + " is missing");
            }
            return in.readAllBytes();
        }
    }

    private static float[] floats(byte[] raw) {
        float[] f = new float[raw.length / 4];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    @ParameterizedTest(name = "{0}: within {1} of SoX")
    @CsvSource({"pcm-u8, 0", "pcm-s16, 0", "pcm-s24, 0", "pcm-s32, 0", "float32, 0", "float64, 0",
        "mulaw, 0", "alaw, 0", "stereo-s16, 1e-7", "rate44100-s16, 0"})
    void everyEncodingDecodesAsSoxDecodesIt(String name, double tolerance) throws IOException {
        Audio a = WavFile.decode(resource(name + ".wav"));
        float[] sox = floats(resource(name + ".f32"));
        assertEquals(sox.length, a.samples().length, "samples");
        assertEquals(name.startsWith("rate44100") ? 44100 : 8000, a.rate());
        int worst = 0;
        for (int i = 0; i < sox.length; i++) {
            if (Math.abs(a.samples()[i] - sox[i]) > Math.abs(a.samples()[worst] - sox[worst])) {
                worst = i;
            }
        }
        int w = worst;
        assertTrue(Math.abs(a.samples()[w] - sox[w]) <= tolerance, () -> name + ": sample " + w + " is "
                + a.samples()[w] + ", SoX says " + sox[w] + " (tolerance " + tolerance + ")");
        assertTrue(Arrays.stream(toDouble(sox)).map(Math::abs).max().orElse(0) > 0.3, "the fixture has signal");
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @ParameterizedTest
    @EnumSource(WavFile.Encoding.class)
    void whatIsWrittenReadsBack(WavFile.Encoding encoding, @TempDir Path dir) throws IOException {
        float[] x = new float[1001];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.8 * Math.sin(i * 0.05) + 0.1 * Math.cos(i * 0.31));
        }
        Path file = dir.resolve("x.wav");
        WavFile.write(file, new Audio(x, 16000), encoding);
        Audio back = WavFile.read(file);
        assertEquals(16000, back.rate());
        assertEquals(x.length, back.samples().length);
        double tolerance = switch (encoding) {
            case FLOAT_32 -> 0;
            case PCM_16 -> 0.5 / 32768;
            case MU_LAW -> 0.8 / 32;                    // the largest segment's step, 1,024 of 32,768, halved, and more
        };
        for (int i = 0; i < x.length; i++) {
            int k = i;
            assertEquals(x[i], back.samples()[i], tolerance, () -> encoding + " sample " + k);
        }
    }

    @Test
    void muLawCodesEveryLevelAsTheStandardDoes() throws IOException {
        byte[] sox = resource("mulaw.wav");
        Audio a = WavFile.decode(sox);
        byte[] again = WavFile.encode(a, WavFile.Encoding.MU_LAW);
        assertArrayEquals(Arrays.copyOfRange(sox, sox.length - a.samples().length, sox.length),
                Arrays.copyOfRange(again, again.length - a.samples().length, again.length),
                "re-encoding SoX's mu-law codes gives the same codes");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "empty|not a WAV file",
        "text|not a WAV file (it starts with \"hell\"",
        "rf64|RF64, the 64-bit variant, is not read",
        "truncated|truncated: the data chunk declares 320 bytes but 100 are present",
        "half-frame|truncated: the data chunk's 319 bytes are not whole frames of 2 bytes",
        "mp3|unsupported encoding: MPEG audio (format tag 0x0055)",
        "pcm12|unsupported encoding: PCM (format tag 0x0001), 12 bits per sample",
        "no-fmt|the data chunk comes before any fmt chunk",
        "no-data|no data chunk",
        "zero-channels|0 channels; a WAV file has 1 to 64",
        "bad-align|block align 3 bytes, but 1 channels of 16 bits take 2",
        "zero-rate|sample rate 0 Hz",
    })
    void aBadFileIsNamedWithItsProblem(String kind, String message, @TempDir Path dir) throws IOException {
        byte[] good = resource("pcm-s16.wav");
        byte[] bytes = switch (kind) {
            case "empty" -> new byte[0];
            case "text" -> "hello, this is not audio".getBytes();
            case "rf64" -> patch(good, 0, "RF64".getBytes());
            case "truncated" -> Arrays.copyOf(good, good.length - 220);
            case "half-frame" -> patchInt(good, dataSizeAt(good), 319);
            case "mp3" -> patchShort(good, 20, 0x55);
            case "pcm12" -> patchShort(patchShort(good, 34, 12), 32, 2);
            case "no-fmt" -> patch(good, 12, "junk".getBytes());
            case "no-data" -> patch(good, dataSizeAt(good) - 4, "junk".getBytes());
            case "zero-channels" -> patchShort(good, 22, 0);
            case "bad-align" -> patchShort(good, 32, 3);
            default -> patchInt(good, 24, 0);
        };
        Path file = dir.resolve(kind + ".wav");
        Files.write(file, bytes);
        IOException e = assertThrows(IOException.class, () -> WavFile.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(message), () -> "expected \"" + message + "\" in: " + e.getMessage());
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> WavFile.read(dir.resolve("none.wav")));
        assertEquals(dir.resolve("none.wav") + ": no such file", e.getMessage());
    }

    // the offset of the data chunk's size field
    private static int dataSizeAt(byte[] wav) {
        for (int i = 12; i + 4 <= wav.length; i++) {
            if (wav[i] == 'd' && wav[i + 1] == 'a' && wav[i + 2] == 't' && wav[i + 3] == 'a') {
                return i + 4;
            }
        }
        throw new IllegalStateException("no data chunk");
    }

    private static byte[] patch(byte[] b, int at, byte[] with) {
        byte[] c = b.clone();
        System.arraycopy(with, 0, c, at, with.length);
        return c;
    }

    private static byte[] patchShort(byte[] b, int at, int v) {
        return patch(b, at, new byte[] {(byte) v, (byte) (v >> 8)});
    }

    private static byte[] patchInt(byte[] b, int at, int v) {
        return patch(b, at, new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)});
    }
}
