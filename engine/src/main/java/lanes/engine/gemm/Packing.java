package lanes.engine.gemm;

import static lanes.engine.Simd.LANES;
import static lanes.engine.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import lanes.engine.Simd;
import lanes.engine.simd.Transpose;

/**
 * Copies blocks of op(A) and op(B) into the micro-panel layouts the micro-kernel streams through, zero-padding
 * the last panel to a full MR or NR. An {@link Operand} is addressed by two strides, so transposed and strided views
 * cost nothing extra.
 *
 * <pre>
 *   packed A, mc x kc block:  micro-panels of MR rows;     in a panel, (i, p) at p*MR + i
 *   packed B, kc x nc panel:  micro-panels of NR columns;  in a panel, (p, j) at p*NR + j
 * </pre>
 */
final class Packing {
    private Packing() {
    }

    /** Floats a packed-A buffer needs beyond its panels: the last transposed block writes a full vector. */
    static int slack() {
        return LANES;
    }

    // op(A) block (mc, kc) from element (row, col) of op -> dst, floor(mc/MR) panels of (kc, MR), then the
    // remaining rows, if any, as one panel of (kc, lastMr) for the edge kernel that will read it
    static void packA(int mc, int kc, Operand op, int row, int col, float[] dst, int fullMr, int lastMr) {
        float[] a = op.data;
        int aOff = op.at(row, col);
        int rsA = op.rowStride;
        int csA = op.colStride;
        int o = 0;
        for (int i0 = 0; i0 < mc; i0 += fullMr) {
            int mr = mc - i0 >= fullMr ? fullMr : lastMr;
            int rows = Math.min(mr, mc - i0);
            int base = aOff + i0 * rsA;
            if (rows < mr) {
                java.util.Arrays.fill(dst, o, o + kc * mr, 0f);
            }
            if (rsA == 1 && rows <= LANES && Simd.fits(base + (kc - 1) * csA, a.length)
                    && Simd.fits(o + (kc - 1) * mr, dst.length)) {
                // A^T stored: the rows values of one step of k are adjacent, one masked vector copy each.
                VectorMask<Float> m = SPECIES.indexInRange(0, rows);
                for (int p = 0; p < kc; p++) {
                    FloatVector.fromArray(SPECIES, a, base + p * csA, m).intoArray(dst, o + p * mr, m);
                }
            } else if (rsA == 1) {
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(a, base + p * csA, dst, o + p * mr, rows);
                }
            } else if (csA == 1 && rows == mr && mr <= LANES && Transpose.supported()) {
                // A stored row-major: rows x LANES blocks transposed in registers. Each step of k gets LANES
                // floats of which the first mr count; the surplus lands on the next step's slot (rewritten next)
                // or, after the last, in the buffer's slack (see slack()).
                Transpose.copyIntoPanel(a, base, rsA, rows, kc, dst, o, mr);
            } else {
                // One row of A at a time: reads run along k, writes stride MR.
                for (int i = 0; i < rows; i++) {
                    int src = base + i * rsA;
                    int d = o + i;
                    if (csA == 1) {
                        for (int p = 0; p < kc; p++) {
                            dst[d + p * mr] = a[src + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            dst[d + p * mr] = a[src + p * csA];
                        }
                    }
                }
            }
            o += kc * mr;
        }
    }

    // op(B) panel (kc, nc) from element (row, col) of op -> dst from dstOff on, ceil(nc/NR) panels of (kc, NR)
    static void packB(int kc, int nc, Operand op, int row, int col, float[] dst, int dstOff) {
        float[] b = op.data;
        int bOff = op.at(row, col);
        int rsB = op.rowStride;
        int csB = op.colStride;
        final int nr = BlockSizes.NR;
        int o = dstOff;
        for (int j0 = 0; j0 < nc; j0 += nr) {
            int cols = Math.min(nr, nc - j0);
            int base = bOff + j0 * csB;
            if (csB == 1 && cols == nr) {
                // Rows of B are contiguous: two vector copies per step of k.
                for (int p = 0; p < kc; p++) {
                    int src = base + p * rsB;
                    int d = o + p * nr;
                    FloatVector.fromArray(SPECIES, b, src).intoArray(dst, d);
                    FloatVector.fromArray(SPECIES, b, src + LANES).intoArray(dst, d + LANES);
                }
            } else {
                if (cols < nr) {
                    java.util.Arrays.fill(dst, o, o + kc * nr, 0f);
                }
                if (csB == 1) {
                    for (int p = 0; p < kc; p++) {
                        System.arraycopy(b, base + p * rsB, dst, o + p * nr, cols);
                    }
                } else if (rsB == 1 && cols == nr && Transpose.supported()) {
                    // B^T stored: LANES x LANES blocks transposed in registers, then the k tail one by one.
                    Transpose.copy(b, base, csB, nr, kc, dst, o, nr);
                } else {
                    // B^T stored (or any other stride): one column of op(B) at a time, reads run along k.
                    for (int j = 0; j < cols; j++) {
                        int src = base + j * csB;
                        int d = o + j;
                        if (rsB == 1) {
                            for (int p = 0; p < kc; p++) {
                                dst[d + p * nr] = b[src + p];
                            }
                        } else {
                            for (int p = 0; p < kc; p++) {
                                dst[d + p * nr] = b[src + p * rsB];
                            }
                        }
                    }
                }
            }
            o += kc * nr;
        }
    }
}
