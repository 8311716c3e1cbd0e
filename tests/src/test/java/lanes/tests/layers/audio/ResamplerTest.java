package lanes.tests.layers.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import lanes.layers.audio.Resampler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The resampler keeps what the lower rate can hold and removes what it cannot: a tone in the pass band (up to 0.75 of
 * the lower Nyquist frequency) comes out as the same tone at the new rate (within 0.2 %, away from the ends), a tone above the new Nyquist frequency comes
 * out at least 60 dB down, and the length is the input's duration at the new rate.
 */
class ResamplerTest {
    private static float[] tone(double hz, int rate, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (0.7 * Math.sin(2 * Math.PI * hz * i / rate + 0.3));
        }
        return x;
    }

    @ParameterizedTest(name = "{0} Hz from {1} to {2}")
    @CsvSource({"1000, 44100, 16000", "3000, 48000, 16000", "440, 8000, 16000", "6000, 22050, 16000",
        "1000, 16000, 44100", "100, 16000, 8000", "2500, 16000, 11025", "1000, 44100, 16001"})
    void aToneInThePassBandKeepsItsShape(double hz, int in, int out) {
        int n = in / 2;
        float[] y = Resampler.between(in, out).apply(tone(hz, in, n));
        assertEquals((int) Math.ceil((double) n * out / in), y.length);
        double worst = 0;
        int where = -1;
        for (int i = y.length / 10; i < y.length * 9 / 10; i++) {
            double want = 0.7 * Math.sin(2 * Math.PI * hz * i / out + 0.3);
            if (Math.abs(y[i] - want) > worst) {
                worst = Math.abs(y[i] - want);
                where = i;
            }
        }
        double w = worst;
        int at = where;
        assertTrue(worst < 0.7 * 2e-3, () -> "largest error " + w + " at output sample " + at + " (tolerance "
                + 0.7 * 2e-3 + ")");
    }

    @ParameterizedTest(name = "{0} Hz from {1} to {2}")
    @CsvSource({"10000, 44100, 16000", "9000, 48000, 16000", "5000, 16000, 8000", "12000, 32000, 22050"})
    void aToneAboveTheNewNyquistIsRemoved(double hz, int in, int out) {
        int n = in / 2;
        float[] y = Resampler.between(in, out).apply(tone(hz, in, n));
        double energy = 0;
        int count = 0;
        for (int i = y.length / 10; i < y.length * 9 / 10; i++) {
            energy += y[i] * y[i];
            count++;
        }
        double rms = Math.sqrt(energy / count);
        double db = 20 * Math.log10(rms / (0.7 / Math.sqrt(2)));
        assertTrue(db < -60, () -> hz + " Hz at " + out + " Hz is " + db + " dB, not below -60 dB");
    }

    @ParameterizedTest(name = "{0} to {1}")
    @CsvSource({"44100, 16000", "8000, 16000", "16000, 16000"})
    void aConstantStaysConstant(int in, int out) {
        float[] x = new float[in / 4];
        java.util.Arrays.fill(x, 0.5f);
        float[] y = Resampler.between(in, out).apply(x);
        for (int i = y.length / 10; i < y.length * 9 / 10; i++) {
            assertEquals(0.5, y[i], 5e-4, "sample " + i);
        }
    }
}
