package lanes.reference;

import lanes.engine.signal.MelSettings;

/**
 * Log-mel spectrograms written straight from the definitions, in double: each frame windowed (periodic Hann,
 * centred in an n_fft frame), its DFT bin by bin, the power, the HTK mel triangles, the log. Beside each value, the
 * most a float computation of the same steps may be off by, from the sizes of the terms it sums.
 */
public final class MelReference {
    private MelReference() {
    }

    /**
     * The reference values and their tolerances, (frames, mels) row by row.
     *
     * @param logMel log(mel + floor)
     * @param tolerance per value: the float computation's error bound in the log domain
     */
    public record Result(double[] logMel, double[] tolerance) {
    }

    /**
     * The log-mel features of every whole frame of {@code x[off, off + n)}.
     *
     * @param x the signal
     * @param off where it starts
     * @param n its length
     * @param s the settings
     * @return the values and tolerances
     */
    public static Result logMel(float[] x, int off, int n, MelSettings s) {
        int frames = s.frames(n);
        int w = s.window();
        int k = s.nfft() / 2 + 1;
        int m = s.mels();
        double u = Math.ulp(1f) / 2;                         // float's unit roundoff, 2^-24
        double gammaW = w * u / (1 - w * u);
        double gammaK = (k + 2) * u / (1 - (k + 2) * u);
        double[][] bank = bank(s, k);
        double[] out = new double[frames * m];
        double[] tol = new double[frames * m];
        int start = (s.nfft() - w) / 2;
        for (int f = 0; f < frames; f++) {
            double[] seg = new double[w];
            double sum = 0;                                  // sum |w(t) x(t)|: the size of every DFT sum's terms
            for (int t = 0; t < w; t++) {
                double window = 0.5 - 0.5 * Math.cos(2 * Math.PI * t / w);
                seg[t] = window * x[off + f * s.hop() + start + t];
                sum += Math.abs(seg[t]);
            }
            double[] power = new double[k];
            double[] powerError = new double[k];
            for (int j = 0; j < k; j++) {
                double re = 0;
                double im = 0;
                for (int t = 0; t < w; t++) {
                    double angle = 2 * Math.PI * (((long) j * t) % s.nfft()) / s.nfft();
                    re += seg[t] * Math.cos(angle);
                    im -= seg[t] * Math.sin(angle);
                }
                power[j] = re * re + im * im;
                double d = (gammaW + 2 * u) * sum;           // the products' sums, the basis and window rounded
                powerError[j] = 2 * (Math.abs(re) + Math.abs(im)) * d + 2 * d * d + 2 * u * power[j];
            }
            for (int b = 0; b < m; b++) {
                double mel = 0;
                double melError = 0;
                for (int j = 0; j < k; j++) {
                    mel += bank[j][b] * power[j];
                    melError += bank[j][b] * (powerError[j] + (gammaK + u) * power[j]);
                }
                double v = mel + s.floor();
                out[f * m + b] = Math.log(v);
                // log's error: the argument's relative error, the log's own (a few ulps), the result's rounding
                tol[f * m + b] = 1.25 * melError / v + 4 * Math.ulp((float) Math.log(v)) + 1e-7;
            }
        }
        return new Result(out, tol);
    }

    // [bin][band]: band b is a triangle from edge b up to edge b + 1 and down to edge b + 2, edges even in mels
    private static double[][] bank(MelSettings s, int k) {
        int m = s.mels();
        double lo = 2595 * Math.log10(1 + s.fMin() / 700);
        double hi = 2595 * Math.log10(1 + s.fMax() / 700);
        double[] edge = new double[m + 2];
        for (int i = 0; i < m + 2; i++) {
            double mel = lo + (hi - lo) * i / (m + 1);
            edge[i] = 700 * (Math.pow(10, mel / 2595) - 1);
        }
        double[][] bank = new double[k][m];
        for (int j = 0; j < k; j++) {
            double hz = s.rate() / 2.0 * j / (k - 1);
            for (int b = 0; b < m; b++) {
                if (hz > edge[b] && hz < edge[b + 2]) {
                    bank[j][b] = hz <= edge[b + 1] ? (hz - edge[b]) / (edge[b + 1] - edge[b])
                            : (edge[b + 2] - hz) / (edge[b + 2] - edge[b + 1]);
                }
            }
        }
        return bank;
    }
}
