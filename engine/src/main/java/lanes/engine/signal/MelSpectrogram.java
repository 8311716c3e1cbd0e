package lanes.engine.signal;

import static lanes.engine.Simd.LANES;
import static lanes.engine.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;
import lanes.engine.Simd;
import lanes.engine.Tensor;
import lanes.engine.VectorApi;
import lanes.engine.gemm.Matmul;

/**
 * Log-mel spectrograms of many frames at once:
 *
 * <pre>
 *   frames  (F, W)   a strided view of the signal: row f starts at f * hop + (nfft - W) / 2, no copy
 *   spectra (F, 2K)  = frames . basis,   basis (W, 2K): [w(n) cos(2 pi k n / nfft) | -w(n) sin(2 pi k n / nfft)]
 *   power   (F, K)   = re^2 + im^2                                  K = nfft / 2 + 1 bins
 *   mel     (F, M)   = power . filterbank,   filterbank (K, M): the HTK mel scale's triangles
 *   out     (F, M)   = log(mel + floor)
 * </pre>
 *
 * The window is Hann (periodic, as torch's {@code hann_window}); the two matrices are built once, in double, and
 * rounded. One instance reuses its buffers: use one per thread.
 */
public final class MelSpectrogram {
    private final MelSettings settings;
    private final float[] basis;            // (W, 2K)
    private final float[] filterbank;       // (K, M)
    private float[] spectra = new float[0];
    private float[] power = new float[0];

    /**
     * A spectrogram of these settings.
     *
     * @param settings the framing, bands and floor
     */
    public MelSpectrogram(MelSettings settings) {
        VectorApi.require();       // one clear line where the JVM lacks --add-modules jdk.incubator.vector
        this.settings = settings;
        this.basis = basis(settings);
        this.filterbank = filterbank(settings);
    }

    /**
     * The settings.
     *
     * @return them
     */
    public MelSettings settings() {
        return settings;
    }

    /**
     * The log-mel features of every whole frame of {@code x[off, off + n)}.
     *
     * @param x the signal
     * @param off where it starts
     * @param n its length
     * @return a new (frames, mels) tensor
     */
    public Tensor apply(float[] x, int off, int n) {
        Tensor out = Tensor.zeros(settings.frames(n), settings.mels());
        apply(x, off, n, out);
        return out;
    }

    /**
     * The log-mel features of every whole frame of {@code x[off, off + n)} into {@code out}.
     *
     * @param x the signal, not modified
     * @param off where it starts
     * @param n its length
     * @param out (frames, mels), contiguous, written
     * @throws IllegalArgumentException if out's shape is not (frames, mels)
     */
    public void apply(float[] x, int off, int n, Tensor out) {
        // x (n) -> frames (F, W) -> spectra (F, 2K) -> power (F, K) -> mel (F, M) -> log
        int f = settings.frames(n);
        int w = settings.window();
        int k = settings.bins();
        int m = settings.mels();
        if (!out.hasShape(f, m) || !out.isContiguous()) {
            throw new IllegalArgumentException("mel spectrogram: out is " + java.util.Arrays.toString(out.shape())
                    + (out.isContiguous() ? "" : " (not contiguous)") + ", needs [" + f + ", " + m + "] contiguous");
        }
        if (off < 0 || off + (long) n > x.length) {
            throw new IndexOutOfBoundsException("mel spectrogram: samples [" + off + ", " + (off + (long) n)
                    + ") of an array of " + x.length);
        }
        if (f == 0) {
            return;
        }
        Tensor frames = Tensor.view(x, off + (settings.nfft() - w) / 2, new int[] {f, w},
                new int[] {settings.hop(), 1});
        if (spectra.length < f * 2 * k) {
            spectra = new float[f * 2 * k];
            power = new float[f * k];
        }
        Tensor s = Tensor.view(spectra, 0, new int[] {f, 2 * k}, new int[] {2 * k, 1});
        Matmul.matmul(frames, Tensor.wrap(basis, w, 2 * k), s);
        for (int r = 0; r < f; r++) {
            power(k, spectra, r * 2 * k, power, r * k);
        }
        Tensor mel = out;
        Matmul.matmul(Tensor.view(power, 0, new int[] {f, k}, new int[] {k, 1}), Tensor.wrap(filterbank, k, m), mel);
        log(f * m, out.data(), out.offset(), (float) settings.floor());
    }

    // re (k) at s[at], im (k) at s[at + k] -> p (k): re^2 + im^2
    static void power(int k, float[] s, int at, float[] p, int pAt) {
        int i = 0;
        for (int bound = Simd.loopBound(k); i < bound; i += LANES) {
            FloatVector re = FloatVector.fromArray(SPECIES, s, at + i);
            FloatVector im = FloatVector.fromArray(SPECIES, s, at + k + i);
            re.fma(re, im.mul(im)).intoArray(p, pAt + i);
        }
        for (; i < k; i++) {
            float re = s[at + i];
            float im = s[at + k + i];
            p[pAt + i] = Math.fma(re, re, im * im);
        }
    }

    // x (n) -> log(x + floor), in place. Math.log, one element at a time: it gives the same bits interpreted and
    // compiled, which the Vector API's LOG does not (its compiled form is another library's), and features that
    // change with the JIT's progress would make training depend on timing.
    static void log(int n, float[] x, int off, float floor) {
        for (int i = 0; i < n; i++) {
            x[off + i] = (float) Math.log(x[off + i] + floor);
        }
    }

    // (W, 2K): the periodic Hann window times cos and -sin of each bin's frequency
    private static float[] basis(MelSettings s) {
        int w = s.window();
        int k = s.bins();
        float[] b = new float[w * 2 * k];
        for (int t = 0; t < w; t++) {
            double window = 0.5 - 0.5 * Math.cos(2 * Math.PI * t / w);
            for (int j = 0; j < k; j++) {
                double angle = 2 * Math.PI * (((long) j * t) % s.nfft()) / s.nfft();
                b[t * 2 * k + j] = (float) (window * Math.cos(angle));
                b[t * 2 * k + k + j] = (float) (-window * Math.sin(angle));
            }
        }
        return b;
    }

    // (K, M): band m rises from f[m] to f[m + 1] and falls to f[m + 2], the f evenly spaced in HTK mels
    static float[] filterbank(MelSettings s) {
        int k = s.bins();
        int m = s.mels();
        double lo = hzToMel(s.fMin());
        double hi = hzToMel(s.fMax());
        double[] edges = new double[m + 2];
        for (int i = 0; i < m + 2; i++) {
            edges[i] = melToHz(lo + (hi - lo) * i / (m + 1));
        }
        float[] fb = new float[k * m];
        for (int bin = 0; bin < k; bin++) {
            double hz = (s.rate() / 2.0) * bin / (k - 1);
            for (int band = 0; band < m; band++) {
                double up = (hz - edges[band]) / (edges[band + 1] - edges[band]);
                double down = (edges[band + 2] - hz) / (edges[band + 2] - edges[band + 1]);
                fb[bin * m + band] = (float) Math.max(0, Math.min(up, down));
            }
        }
        return fb;
    }

    /** HTK's mel scale: 2595 log10(1 + hz / 700). */
    static double hzToMel(double hz) {
        return 2595 * Math.log10(1 + hz / 700);
    }

    static double melToHz(double mel) {
        return 700 * (Math.pow(10, mel / 2595) - 1);
    }
}
