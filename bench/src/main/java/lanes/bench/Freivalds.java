package lanes.bench;

import java.util.Random;

/** Freivalds' test of a claimed product C = op(A) op(B): C v must equal op(A) (op(B) v) for random v. */
final class Freivalds {
    private Freivalds() {
    }

    /** Throws {@link IllegalStateException} naming the row and the difference if C fails the test. */
    static void check(String what, GemmCase g, float[] a, float[] b, float[] c) {
        int m = g.m();
        int n = g.n();
        int k = g.k();
        Random r = new Random(11);
        double[] v = new double[n];
        for (int j = 0; j < n; j++) {
            v[j] = r.nextBoolean() ? 1 : -1;
        }
        double[] bv = new double[k];
        double[] bvMag = new double[k];
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                double x = (g.transB() ? b[j * k + p] : b[p * n + j]) * v[j];
                bv[p] += x;
                bvMag[p] += Math.abs(x);
            }
        }
        double gamma = (k + n + 3.0) * 0x1p-24 / (1 - (k + n + 3.0) * 0x1p-24);
        for (int i = 0; i < m; i++) {
            double want = 0;
            double mag = 0;
            for (int p = 0; p < k; p++) {
                double aip = g.transA() ? a[p * m + i] : a[i * k + p];
                want += aip * bv[p];
                mag += Math.abs(aip) * bvMag[p];
            }
            double got = 0;
            for (int j = 0; j < n; j++) {
                got += c[i * n + j] * v[j];
            }
            double tol = gamma * mag;
            if (!(Math.abs(got - want) <= tol)) {
                throw new IllegalStateException(what + ": wrong product: row " + i + " of C v is " + got
                        + ", op(A) op(B) v is " + want + ", |diff| " + Math.abs(got - want) + " > tolerance " + tol);
            }
        }
    }
}
