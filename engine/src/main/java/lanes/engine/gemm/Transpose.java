package lanes.engine.gemm;

import static lanes.engine.Simd.LANES;
import static lanes.engine.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;

/**
 * In-register transposes of LANES x LANES blocks (16 x 16 on AVX-512, 8 x 8 on AVX2), for packing a transposed
 * operand without a scalar gather. log2(LANES) stages; at stage s, rows i and i + s (bit s of i clear) swap
 * their off-diagonal s x s blocks: one lane shift and one blend per row.
 *
 * <pre>
 *   row i at stage s:     lanes with bit s set   <- row i+s, lane - s
 *   row i+s at stage s:   lanes with bit s clear <- row i,   lane + s
 * </pre>
 */
final class Transpose {
    private static final VectorShuffle<Float> UP_8 = shift(-8);
    private static final VectorShuffle<Float> DOWN_8 = shift(8);
    private static final VectorMask<Float> HIGH_8 = bitSet(8);
    private static final VectorShuffle<Float> UP_4 = shift(-4);
    private static final VectorShuffle<Float> DOWN_4 = shift(4);
    private static final VectorMask<Float> HIGH_4 = bitSet(4);
    private static final VectorShuffle<Float> UP_2 = shift(-2);
    private static final VectorShuffle<Float> DOWN_2 = shift(2);
    private static final VectorMask<Float> HIGH_2 = bitSet(2);
    private static final VectorShuffle<Float> UP_1 = shift(-1);
    private static final VectorShuffle<Float> DOWN_1 = shift(1);
    private static final VectorMask<Float> HIGH_1 = bitSet(1);

    private Transpose() {
    }

    /** True if this machine's lane count has a transpose here. */
    static boolean supported() {
        return LANES == 16 || LANES == 8;
    }

    /**
     * dst[dOff + q*dStride + r] = src[off + r*ld + q] for r, q &lt; LANES. src not modified.
     */
    static void block(float[] src, int off, int ld, float[] dst, int dOff, int dStride) {
        if (LANES == 16) {
            transpose16(src, off, ld, dst, dOff, dStride);
        } else {
            transpose8(src, off, ld, dst, dOff, dStride);
        }
    }

    private static VectorShuffle<Float> shift(int by) {
        int[] idx = new int[LANES];
        for (int l = 0; l < LANES; l++) {
            idx[l] = Math.floorMod(l + by, LANES);
        }
        return VectorShuffle.fromArray(SPECIES, idx, 0);
    }

    private static VectorMask<Float> bitSet(int bit) {
        boolean[] m = new boolean[LANES];
        for (int l = 0; l < LANES; l++) {
            m[l] = (l & bit) != 0;
        }
        return VectorMask.fromArray(SPECIES, m, 0);
    }

    // rows (L, L) of src, row r at src[off + r*ld], L = 16 -> its transpose, row q at dst[dOff + q*dStride]
    private static void transpose16(float[] src, int off, int ld, float[] dst, int dOff, int dStride) {
        FloatVector v0 = FloatVector.fromArray(SPECIES, src, off + 0 * ld);
        FloatVector v1 = FloatVector.fromArray(SPECIES, src, off + 1 * ld);
        FloatVector v2 = FloatVector.fromArray(SPECIES, src, off + 2 * ld);
        FloatVector v3 = FloatVector.fromArray(SPECIES, src, off + 3 * ld);
        FloatVector v4 = FloatVector.fromArray(SPECIES, src, off + 4 * ld);
        FloatVector v5 = FloatVector.fromArray(SPECIES, src, off + 5 * ld);
        FloatVector v6 = FloatVector.fromArray(SPECIES, src, off + 6 * ld);
        FloatVector v7 = FloatVector.fromArray(SPECIES, src, off + 7 * ld);
        FloatVector v8 = FloatVector.fromArray(SPECIES, src, off + 8 * ld);
        FloatVector v9 = FloatVector.fromArray(SPECIES, src, off + 9 * ld);
        FloatVector v10 = FloatVector.fromArray(SPECIES, src, off + 10 * ld);
        FloatVector v11 = FloatVector.fromArray(SPECIES, src, off + 11 * ld);
        FloatVector v12 = FloatVector.fromArray(SPECIES, src, off + 12 * ld);
        FloatVector v13 = FloatVector.fromArray(SPECIES, src, off + 13 * ld);
        FloatVector v14 = FloatVector.fromArray(SPECIES, src, off + 14 * ld);
        FloatVector v15 = FloatVector.fromArray(SPECIES, src, off + 15 * ld);
        {
            FloatVector t = v0.blend(v8.rearrange(UP_8), HIGH_8);
            v8 = v0.rearrange(DOWN_8).blend(v8, HIGH_8);
            v0 = t;
        }
        {
            FloatVector t = v1.blend(v9.rearrange(UP_8), HIGH_8);
            v9 = v1.rearrange(DOWN_8).blend(v9, HIGH_8);
            v1 = t;
        }
        {
            FloatVector t = v2.blend(v10.rearrange(UP_8), HIGH_8);
            v10 = v2.rearrange(DOWN_8).blend(v10, HIGH_8);
            v2 = t;
        }
        {
            FloatVector t = v3.blend(v11.rearrange(UP_8), HIGH_8);
            v11 = v3.rearrange(DOWN_8).blend(v11, HIGH_8);
            v3 = t;
        }
        {
            FloatVector t = v4.blend(v12.rearrange(UP_8), HIGH_8);
            v12 = v4.rearrange(DOWN_8).blend(v12, HIGH_8);
            v4 = t;
        }
        {
            FloatVector t = v5.blend(v13.rearrange(UP_8), HIGH_8);
            v13 = v5.rearrange(DOWN_8).blend(v13, HIGH_8);
            v5 = t;
        }
        {
            FloatVector t = v6.blend(v14.rearrange(UP_8), HIGH_8);
            v14 = v6.rearrange(DOWN_8).blend(v14, HIGH_8);
            v6 = t;
        }
        {
            FloatVector t = v7.blend(v15.rearrange(UP_8), HIGH_8);
            v15 = v7.rearrange(DOWN_8).blend(v15, HIGH_8);
            v7 = t;
        }
        {
            FloatVector t = v0.blend(v4.rearrange(UP_4), HIGH_4);
            v4 = v0.rearrange(DOWN_4).blend(v4, HIGH_4);
            v0 = t;
        }
        {
            FloatVector t = v1.blend(v5.rearrange(UP_4), HIGH_4);
            v5 = v1.rearrange(DOWN_4).blend(v5, HIGH_4);
            v1 = t;
        }
        {
            FloatVector t = v2.blend(v6.rearrange(UP_4), HIGH_4);
            v6 = v2.rearrange(DOWN_4).blend(v6, HIGH_4);
            v2 = t;
        }
        {
            FloatVector t = v3.blend(v7.rearrange(UP_4), HIGH_4);
            v7 = v3.rearrange(DOWN_4).blend(v7, HIGH_4);
            v3 = t;
        }
        {
            FloatVector t = v8.blend(v12.rearrange(UP_4), HIGH_4);
            v12 = v8.rearrange(DOWN_4).blend(v12, HIGH_4);
            v8 = t;
        }
        {
            FloatVector t = v9.blend(v13.rearrange(UP_4), HIGH_4);
            v13 = v9.rearrange(DOWN_4).blend(v13, HIGH_4);
            v9 = t;
        }
        {
            FloatVector t = v10.blend(v14.rearrange(UP_4), HIGH_4);
            v14 = v10.rearrange(DOWN_4).blend(v14, HIGH_4);
            v10 = t;
        }
        {
            FloatVector t = v11.blend(v15.rearrange(UP_4), HIGH_4);
            v15 = v11.rearrange(DOWN_4).blend(v15, HIGH_4);
            v11 = t;
        }
        {
            FloatVector t = v0.blend(v2.rearrange(UP_2), HIGH_2);
            v2 = v0.rearrange(DOWN_2).blend(v2, HIGH_2);
            v0 = t;
        }
        {
            FloatVector t = v1.blend(v3.rearrange(UP_2), HIGH_2);
            v3 = v1.rearrange(DOWN_2).blend(v3, HIGH_2);
            v1 = t;
        }
        {
            FloatVector t = v4.blend(v6.rearrange(UP_2), HIGH_2);
            v6 = v4.rearrange(DOWN_2).blend(v6, HIGH_2);
            v4 = t;
        }
        {
            FloatVector t = v5.blend(v7.rearrange(UP_2), HIGH_2);
            v7 = v5.rearrange(DOWN_2).blend(v7, HIGH_2);
            v5 = t;
        }
        {
            FloatVector t = v8.blend(v10.rearrange(UP_2), HIGH_2);
            v10 = v8.rearrange(DOWN_2).blend(v10, HIGH_2);
            v8 = t;
        }
        {
            FloatVector t = v9.blend(v11.rearrange(UP_2), HIGH_2);
            v11 = v9.rearrange(DOWN_2).blend(v11, HIGH_2);
            v9 = t;
        }
        {
            FloatVector t = v12.blend(v14.rearrange(UP_2), HIGH_2);
            v14 = v12.rearrange(DOWN_2).blend(v14, HIGH_2);
            v12 = t;
        }
        {
            FloatVector t = v13.blend(v15.rearrange(UP_2), HIGH_2);
            v15 = v13.rearrange(DOWN_2).blend(v15, HIGH_2);
            v13 = t;
        }
        {
            FloatVector t = v0.blend(v1.rearrange(UP_1), HIGH_1);
            v1 = v0.rearrange(DOWN_1).blend(v1, HIGH_1);
            v0 = t;
        }
        {
            FloatVector t = v2.blend(v3.rearrange(UP_1), HIGH_1);
            v3 = v2.rearrange(DOWN_1).blend(v3, HIGH_1);
            v2 = t;
        }
        {
            FloatVector t = v4.blend(v5.rearrange(UP_1), HIGH_1);
            v5 = v4.rearrange(DOWN_1).blend(v5, HIGH_1);
            v4 = t;
        }
        {
            FloatVector t = v6.blend(v7.rearrange(UP_1), HIGH_1);
            v7 = v6.rearrange(DOWN_1).blend(v7, HIGH_1);
            v6 = t;
        }
        {
            FloatVector t = v8.blend(v9.rearrange(UP_1), HIGH_1);
            v9 = v8.rearrange(DOWN_1).blend(v9, HIGH_1);
            v8 = t;
        }
        {
            FloatVector t = v10.blend(v11.rearrange(UP_1), HIGH_1);
            v11 = v10.rearrange(DOWN_1).blend(v11, HIGH_1);
            v10 = t;
        }
        {
            FloatVector t = v12.blend(v13.rearrange(UP_1), HIGH_1);
            v13 = v12.rearrange(DOWN_1).blend(v13, HIGH_1);
            v12 = t;
        }
        {
            FloatVector t = v14.blend(v15.rearrange(UP_1), HIGH_1);
            v15 = v14.rearrange(DOWN_1).blend(v15, HIGH_1);
            v14 = t;
        }
        v0.intoArray(dst, dOff + 0 * dStride);
        v1.intoArray(dst, dOff + 1 * dStride);
        v2.intoArray(dst, dOff + 2 * dStride);
        v3.intoArray(dst, dOff + 3 * dStride);
        v4.intoArray(dst, dOff + 4 * dStride);
        v5.intoArray(dst, dOff + 5 * dStride);
        v6.intoArray(dst, dOff + 6 * dStride);
        v7.intoArray(dst, dOff + 7 * dStride);
        v8.intoArray(dst, dOff + 8 * dStride);
        v9.intoArray(dst, dOff + 9 * dStride);
        v10.intoArray(dst, dOff + 10 * dStride);
        v11.intoArray(dst, dOff + 11 * dStride);
        v12.intoArray(dst, dOff + 12 * dStride);
        v13.intoArray(dst, dOff + 13 * dStride);
        v14.intoArray(dst, dOff + 14 * dStride);
        v15.intoArray(dst, dOff + 15 * dStride);
    }

    // rows (L, L) of src, row r at src[off + r*ld], L = 8 -> its transpose, row q at dst[dOff + q*dStride]
    private static void transpose8(float[] src, int off, int ld, float[] dst, int dOff, int dStride) {
        FloatVector v0 = FloatVector.fromArray(SPECIES, src, off + 0 * ld);
        FloatVector v1 = FloatVector.fromArray(SPECIES, src, off + 1 * ld);
        FloatVector v2 = FloatVector.fromArray(SPECIES, src, off + 2 * ld);
        FloatVector v3 = FloatVector.fromArray(SPECIES, src, off + 3 * ld);
        FloatVector v4 = FloatVector.fromArray(SPECIES, src, off + 4 * ld);
        FloatVector v5 = FloatVector.fromArray(SPECIES, src, off + 5 * ld);
        FloatVector v6 = FloatVector.fromArray(SPECIES, src, off + 6 * ld);
        FloatVector v7 = FloatVector.fromArray(SPECIES, src, off + 7 * ld);
        {
            FloatVector t = v0.blend(v4.rearrange(UP_4), HIGH_4);
            v4 = v0.rearrange(DOWN_4).blend(v4, HIGH_4);
            v0 = t;
        }
        {
            FloatVector t = v1.blend(v5.rearrange(UP_4), HIGH_4);
            v5 = v1.rearrange(DOWN_4).blend(v5, HIGH_4);
            v1 = t;
        }
        {
            FloatVector t = v2.blend(v6.rearrange(UP_4), HIGH_4);
            v6 = v2.rearrange(DOWN_4).blend(v6, HIGH_4);
            v2 = t;
        }
        {
            FloatVector t = v3.blend(v7.rearrange(UP_4), HIGH_4);
            v7 = v3.rearrange(DOWN_4).blend(v7, HIGH_4);
            v3 = t;
        }
        {
            FloatVector t = v0.blend(v2.rearrange(UP_2), HIGH_2);
            v2 = v0.rearrange(DOWN_2).blend(v2, HIGH_2);
            v0 = t;
        }
        {
            FloatVector t = v1.blend(v3.rearrange(UP_2), HIGH_2);
            v3 = v1.rearrange(DOWN_2).blend(v3, HIGH_2);
            v1 = t;
        }
        {
            FloatVector t = v4.blend(v6.rearrange(UP_2), HIGH_2);
            v6 = v4.rearrange(DOWN_2).blend(v6, HIGH_2);
            v4 = t;
        }
        {
            FloatVector t = v5.blend(v7.rearrange(UP_2), HIGH_2);
            v7 = v5.rearrange(DOWN_2).blend(v7, HIGH_2);
            v5 = t;
        }
        {
            FloatVector t = v0.blend(v1.rearrange(UP_1), HIGH_1);
            v1 = v0.rearrange(DOWN_1).blend(v1, HIGH_1);
            v0 = t;
        }
        {
            FloatVector t = v2.blend(v3.rearrange(UP_1), HIGH_1);
            v3 = v2.rearrange(DOWN_1).blend(v3, HIGH_1);
            v2 = t;
        }
        {
            FloatVector t = v4.blend(v5.rearrange(UP_1), HIGH_1);
            v5 = v4.rearrange(DOWN_1).blend(v5, HIGH_1);
            v4 = t;
        }
        {
            FloatVector t = v6.blend(v7.rearrange(UP_1), HIGH_1);
            v7 = v6.rearrange(DOWN_1).blend(v7, HIGH_1);
            v6 = t;
        }
        v0.intoArray(dst, dOff + 0 * dStride);
        v1.intoArray(dst, dOff + 1 * dStride);
        v2.intoArray(dst, dOff + 2 * dStride);
        v3.intoArray(dst, dOff + 3 * dStride);
        v4.intoArray(dst, dOff + 4 * dStride);
        v5.intoArray(dst, dOff + 5 * dStride);
        v6.intoArray(dst, dOff + 6 * dStride);
        v7.intoArray(dst, dOff + 7 * dStride);
    }
}
