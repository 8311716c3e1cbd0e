package lanes.bench.cli;

import java.util.Arrays;
import java.util.Locale;

/**
 * Ratios of two implementations timed in pairs, one pair a round ({@code lanes bench gemm --rounds}): the median
 * of the per-round ratios and their range. A ratio of medians would pair Lanes' figure from a fast minute with
 * the peer's from a slow one; the ratio of each pair compares figures taken seconds apart.
 */
final class PairedRatios {
    private PairedRatios() {
    }

    /**
     * The median of {@code values}, ignoring NaN (a round without that figure); NaN if none is left.
     *
     * @param values figures, one a round (not modified)
     * @return their median
     */
    static double median(double[] values) {
        double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /**
     * The ratio {@code mine[r] / peer[r]} of each round where both were timed.
     *
     * @param mine figures of the implementation on top, one a round, NaN where it did not run (not modified)
     * @param peer figures of the peer, the same rounds (not modified)
     * @return the ratios of the rounds where both ran, in round order
     */
    static double[] ratios(double[] mine, double[] peer) {
        if (mine.length != peer.length) {
            throw new IllegalArgumentException("paired figures need the same rounds: " + mine.length + " against "
                    + peer.length);
        }
        double[] out = new double[mine.length];
        int n = 0;
        for (int r = 0; r < mine.length; r++) {
            if (!Double.isNaN(mine[r]) && !Double.isNaN(peer[r]) && peer[r] > 0) {
                out[n++] = mine[r] / peer[r];
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * The table cell for {@code mine} against {@code peer}: "-" if no round has both, "1.03x" for one round,
     * "1.03x 0.98-1.07" (median, then the lowest and highest round) for more.
     *
     * @param mine figures of the implementation on top, one a round (not modified)
     * @param peer figures of the peer, the same rounds (not modified)
     * @return the cell
     */
    static String describe(double[] mine, double[] peer) {
        double[] r = ratios(mine, peer);
        if (r.length == 0) {
            return "-";
        }
        String median = String.format(Locale.ROOT, "%.2fx", median(r));
        if (r.length == 1) {
            return median;
        }
        return median + String.format(Locale.ROOT, " %.2f-%.2f", Arrays.stream(r).min().getAsDouble(),
                Arrays.stream(r).max().getAsDouble());
    }
}
