package lanes.reference;

import java.util.Locale;
import lanes.engine.conv.ConvSpec;

/**
 * The adjoint identities of a convolution's three passes, an oracle that needs no second implementation: for any
 * x, w and g, {@code <conv(x, w), g> = <x, backwardData(g, w)> = <w, backwardWeights(x, g)>} (without a bias), as
 * each pass is the transpose of the others in one of its arguments. In floating point they agree within
 * {@code 2 gamma_(k+2) * <conv(|x|, |w|), |g|>}, k the longest sum any pass makes.
 */
public final class ConvAdjoint {
    private ConvAdjoint() {
    }

    /**
     * Null if {@code y = conv(x, w)} (no bias), {@code dx = backwardData(g, w)} and {@code dw = backwardWeights(x,
     * g)} (dw's first {@code w.length} elements) satisfy the identities; else what differs, with the three
     * products, the tolerance and the bound.
     *
     * @param s the geometry
     * @param x the input
     * @param w the weights
     * @param g the output gradient
     * @param y the computed output
     * @param dx the computed input gradient
     * @param dw the computed weight gradient
     * @return null, or the failure
     */
    public static String failure(ConvSpec s, float[] x, float[] w, float[] g, float[] y, float[] dx, float[] dw) {
        double yg = dot(y, g, g.length);
        double xdx = dot(x, dx, x.length);
        double wdw = dot(w, dw, w.length);
        double[] bound = ConvReference.forward(s, abs(x), abs(w), null).value();
        double m = 0;
        for (int i = 0; i < g.length; i++) {
            m += bound[i] * Math.abs(g[i]);
        }
        long k = (long) s.inPerGroup() * s.kernelH * s.kernelW + (long) s.outPerGroup() * s.kernelH * s.kernelW
                + (long) s.batch * s.outH * s.outW;
        double tol = 2 * Tolerance.gamma(k + 2) * m + 1e-30;
        if (Math.abs(yg - xdx) <= tol && Math.abs(yg - wdw) <= tol && Math.abs(yg) <= m * (1 + 1e-5) + 1e-30) {
            return null;
        }
        return String.format(Locale.ROOT, "<conv(x,w),g> = %s, <x,backwardData(g,w)> = %s, <w,backwardWeights(x,g)>"
                + " = %s, tolerance %.3g (sum of |x||w||g| = %.6g), largest difference %.3g", yg, xdx, wdw, tol, m,
                Math.max(Math.abs(yg - xdx), Math.abs(yg - wdw)));
    }

    private static double dot(float[] a, float[] b, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    private static float[] abs(float[] a) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Math.abs(a[i]);
        }
        return out;
    }
}
