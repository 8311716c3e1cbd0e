package lanes.layers.audio;

/**
 * Band-limited resampling between two rates: each output sample is the input convolved with a Kaiser-windowed sinc
 * low-pass whose cut-off is 0.94 of the lower rate's Nyquist frequency, evaluated at the output sample's time. For
 * rates whose ratio is L / M in lowest terms the kernel takes only L phases, computed once.
 *
 * <pre>
 *   t = n * in / out                        (the output sample's time, in input samples)
 *   y[n] = sum over k within t +- R of x[k] h(t - k)
 *   h(u) = 2 fc sinc(2 fc u) kaiser(u / R)  fc = 0.47 min(1, out / in) cycles per input sample, R = 16 / (2 fc)
 * </pre>
 *
 * The window's beta of 8.6 puts the stop band about 86 dB down; the pass band is flat (a tone keeps its shape within
 * 0.2 % of its amplitude) up to 0.75 of the lower rate's Nyquist frequency, and the transition lies between there and
 * 0.94. Samples before the first and after the last are taken as zero.
 */
public final class Resampler {
    private static final double ROLLOFF = 0.94;
    private static final int ZERO_CROSSINGS = 16;
    private static final double BETA = 8.6;

    private final int in;
    private final int out;
    private final int up;                   // L
    private final int down;                 // M
    private final double fc;
    private final double reach;             // R, in input samples
    private final int taps;
    private final float[][] phases;         // [L][taps], or null where L is large: the kernel evaluated directly

    private Resampler(int in, int out) {
        this.in = in;
        this.out = out;
        int g = gcd(in, out);
        this.up = out / g;
        this.down = in / g;
        this.fc = 0.5 * ROLLOFF * Math.min(1.0, (double) out / in);
        this.reach = ZERO_CROSSINGS / (2 * fc);
        this.taps = 2 * (int) Math.ceil(reach) + 1;
        this.phases = up <= 4096 ? table() : null;
    }

    /**
     * A resampler from rate {@code in} to rate {@code out}.
     *
     * @param in the input's samples per second
     * @param out the output's
     * @return the resampler
     * @throws IllegalArgumentException if a rate is not positive
     */
    public static Resampler between(int in, int out) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("resampling from " + in + " Hz to " + out + " Hz: rates must be >= 1");
        }
        return new Resampler(in, out);
    }

    /**
     * The samples at the output rate: {@code ceil(x.length * out / in)} of them.
     *
     * @param x the input
     * @return the output
     */
    public float[] apply(float[] x) {
        if (in == out) {
            return x.clone();
        }
        int n = (int) Math.ceil((double) x.length * up / down);
        float[] y = new float[n];
        int half = taps / 2;
        for (int i = 0; i < n; i++) {
            long num = (long) i * down;                  // t = num / up input samples
            int base = (int) (num / up);
            int phase = (int) (num % up);
            double t = (double) num / up;
            double sum = 0;
            for (int j = 0; j < taps; j++) {
                int k = base - half + j;
                if (k < 0 || k >= x.length) {
                    continue;
                }
                sum += x[k] * (phases != null ? phases[phase][j] : kernel(t - k));
            }
            y[i] = (float) sum;
        }
        return y;
    }

    // [phase p][tap j] = h(p / L + half - j): the kernel at the offsets of output times with that phase
    private float[][] table() {
        float[][] t = new float[up][taps];
        int half = taps / 2;
        for (int p = 0; p < up; p++) {
            for (int j = 0; j < taps; j++) {
                t[p][j] = (float) kernel((double) p / up + half - j);
            }
        }
        return t;
    }

    private double kernel(double u) {
        if (Math.abs(u) >= reach) {
            return 0;
        }
        double x = 2 * fc * u;
        double sinc = x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
        double r = u / reach;
        return 2 * fc * sinc * bessel0(BETA * Math.sqrt(1 - r * r)) / bessel0(BETA);
    }

    // the modified Bessel function of the first kind, order 0, by its series
    private static double bessel0(double x) {
        double sum = 1;
        double term = 1;
        for (int k = 1; k < 50; k++) {
            term *= (x / (2 * k)) * (x / (2 * k));
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
