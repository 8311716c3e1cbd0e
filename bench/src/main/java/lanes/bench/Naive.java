package lanes.bench;

/** The plain Java peer: an i-p-j triple loop, the way one writes GEMM without thinking about the machine. */
final class Naive {
    private Naive() {
    }

    // op(A) (m, k), op(B) (k, n) -> C (m, n), dense row-major
    static void sgemm(GemmCase g, float[] a, float[] b, float[] c) {
        int m = g.m();
        int n = g.n();
        int k = g.k();
        java.util.Arrays.fill(c, 0f);
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                float aip = g.transA() ? a[p * m + i] : a[i * k + p];
                for (int j = 0; j < n; j++) {
                    c[i * n + j] += aip * (g.transB() ? b[j * k + p] : b[p * n + j]);
                }
            }
        }
    }
}
