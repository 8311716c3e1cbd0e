package lanes.engine.gemm;

import static lanes.engine.Simd.LANES;
import static lanes.engine.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;
import lanes.engine.Simd;
import lanes.engine.gemm.tiles.MicroKernel;

/**
 * GEMM without packing, for products too small for packing to pay for itself. Two shapes vectorise without a
 * copy: rows of op(B) contiguous (vectors run along the columns of C), or rows of op(A) and columns of op(B)
 * both contiguous along k (each element of C is a dot product). {@link #handles} says which calls qualify.
 */
final class SmallGemm {
    private SmallGemm() {
    }

    /** True if one of the two unpacked kernels applies to these operands' strides. */
    static boolean handles(Operand a, Operand b) {
        return b.colStride == 1 || (a.colStride == 1 && b.rowStride == 1);
    }

    /**
     * True if the dot-product kernel applies (and the row-broadcast one does not): A's rows and B's columns
     * contiguous.
     */
    static boolean dotsApply(Operand a, Operand b) {
        return b.colStride != 1 && a.colStride == 1 && b.rowStride == 1;
    }

    // op(A) (m, k), op(B) (k, n) -> C (m, n) = alpha * op(A) op(B) + beta * C
    static void gemm(GemmCall call) {
        // the kernels take arrays and strides as parameters: given the operands and reading their fields into
        // locals, C2's code for the same loops was 5-25 % slower (8 x 8 x 8 to 20 x 30 x 40, in process)
        Operand a = call.a;
        Operand b = call.b;
        Operand c = call.c;
        if (b.colStride == 1) {
            rowsOfB(call.m, call.n, call.k, call.alpha, a.data, a.offset, a.rowStride, a.colStride, b.data, b.offset,
                    b.rowStride, call.beta, c.data, c.offset, c.rowStride);
        } else {
            dots(call.m, call.n, call.k, call.alpha, a.data, a.offset, a.rowStride, b.data, b.offset, b.colStride,
                    call.beta, c.data, c.offset, c.rowStride);
        }
    }

    // C[i, j..j+2L) = sum_p op(A)[i,p] * B[p, j..j+2L): two accumulators per row, scalar tail columns.
    private static void rowsOfB(int m, int n, int k, float alpha, float[] a, int aOff, int rsA, int csA, float[] b,
                                int bOff, int rsB, float beta, float[] c, int cOff, int ldc) {
        int bound2 = n - n % (2 * LANES);
        FloatVector vb = FloatVector.broadcast(SPECIES, beta);
        int bound1 = Simd.loopBound(n);
        for (int i = 0; i < m; i++) {
            int aRow = aOff + i * rsA;
            int cRow = cOff + i * ldc;
            int j = 0;
            for (; j < bound2; j += 2 * LANES) {
                FloatVector acc0 = FloatVector.zero(SPECIES);
                FloatVector acc1 = FloatVector.zero(SPECIES);
                for (int p = 0; p < k; p++) {
                    FloatVector av = FloatVector.broadcast(SPECIES, a[aRow + p * csA]);
                    int bRow = bOff + p * rsB + j;
                    acc0 = av.fma(FloatVector.fromArray(SPECIES, b, bRow), acc0);
                    acc1 = av.fma(FloatVector.fromArray(SPECIES, b, bRow + LANES), acc1);
                }
                // the write-back inline: a FloatVector handed to a helper C2 does not inline is boxed
                acc0 = acc0.mul(alpha);
                acc1 = acc1.mul(alpha);
                if (beta != 0f) {
                    acc0 = FloatVector.fromArray(SPECIES, c, cRow + j).fma(vb, acc0);
                    acc1 = FloatVector.fromArray(SPECIES, c, cRow + j + LANES).fma(vb, acc1);
                }
                acc0.intoArray(c, cRow + j);
                acc1.intoArray(c, cRow + j + LANES);
            }
            for (; j < bound1; j += LANES) {
                FloatVector acc = FloatVector.zero(SPECIES);
                for (int p = 0; p < k; p++) {
                    acc = FloatVector.broadcast(SPECIES, a[aRow + p * csA])
                            .fma(FloatVector.fromArray(SPECIES, b, bOff + p * rsB + j), acc);
                }
                acc = acc.mul(alpha);
                if (beta != 0f) {
                    acc = FloatVector.fromArray(SPECIES, c, cRow + j).fma(vb, acc);
                }
                acc.intoArray(c, cRow + j);
            }
            for (; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    sum = Math.fma(a[aRow + p * csA], b[bOff + p * rsB + j], sum);
                }
                MicroKernel.storeOne(c, cRow + j, sum, alpha, beta);
            }
        }
    }

    // C[i, j] = dot(row i of op(A), column j of op(B)), both contiguous along k.
    private static void dots(int m, int n, int k, float alpha, float[] a, int aOff, int rsA, float[] b, int bOff,
                             int csB, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = lanes.engine.math.Dot.dot(k, a, aOff + i * rsA, 1, b, bOff + j * csB, 1);
                MicroKernel.storeOne(c, cOff + i * ldc + j, sum, alpha, beta);
            }
        }
    }
}
