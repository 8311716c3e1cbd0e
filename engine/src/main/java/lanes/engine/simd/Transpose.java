package lanes.engine.simd;

import static lanes.engine.Simd.LANES;
import static lanes.engine.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * In-register transposes of LANES x LANES blocks (16 x 16 on AVX-512, 8 x 8 on AVX2), for packing a transposed
 * operand without a scalar gather. log2(LANES) stages; at stage s, rows i and i + s (bit s of i clear) swap
 * their off-diagonal s x s blocks, each new row one two-vector permute ({@code selectFrom(v1, v2)}):
 *
 * <pre>
 *   new row i,   lane l:  bit s of l clear ? row i[l]     : row i+s[l - s]
 *   new row i+s, lane l:  bit s of l clear ? row i[l + s] : row i+s[l]
 * </pre>
 */
public final class Transpose {
    // 16 lanes: the rows travel as ints (the same bits) so that the index vectors are ints too: float indices
    // are converted to ints on every selectFrom, 8 conversions a block that C2 does not hoist out of the packing
    // loop (transpose16 is too big to inline). Packing a 784 x 256 B^T into 32-column panels on Zen 5: 0.09-0.13
    // against 0.14-0.25 ns a float.
    private static final VectorSpecies<Integer> INTS = SPECIES.withLanes(int.class);
    private static final IntVector KEEP_8 = indices(8, true);
    private static final IntVector TAKE_8 = indices(8, false);
    private static final IntVector KEEP_4 = indices(4, true);
    private static final IntVector TAKE_4 = indices(4, false);
    private static final IntVector KEEP_2 = indices(2, true);
    private static final IntVector TAKE_2 = indices(2, false);
    private static final IntVector KEEP_1 = indices(1, true);
    private static final IntVector TAKE_1 = indices(1, false);
    // 8 lanes: AVX2 has no two-vector permute, so selectFrom(v1, v2) costs several instructions there (packing B^T
    // ran at 0.9 ns an element on Zen 3); each new row is instead one single-vector permute (vpermps) and one
    // blend with a constant mask (vblendvps). One permute per stage serves both rows of a pair: lane l takes
    // lane l XOR s, which is l - s where bit s of l is set and l + s where it is clear.
    private static final VectorShuffle<Float> SWAP_4 = swap(4);
    private static final VectorShuffle<Float> SWAP_2 = swap(2);
    private static final VectorShuffle<Float> SWAP_1 = swap(1);
    private static final VectorMask<Float> HIGH_4 = bitSet(4);
    private static final VectorMask<Float> HIGH_2 = bitSet(2);
    private static final VectorMask<Float> HIGH_1 = bitSet(1);

    private Transpose() {
    }

    /** True if this machine's lane count has a transpose here (never under {@code lanes.scalar}). */
    public static boolean supported() {
        return !lanes.engine.Simd.SCALAR && (LANES == 16 || LANES == 8);
    }

    /**
     * dst[dOff + q*dStride + r] = src[off + r*ld + q] for r &lt; rows, q &lt; cols: a rows x cols matrix copied
     * transposed, its whole LANES x LANES blocks through registers ({@link #block}) and the rest one element at a
     * time (all of it where this machine has no transpose). Nothing else of dst is written. src not modified.
     */
    public static void copy(float[] src, int off, int ld, int rows, int cols, float[] dst, int dOff, int dStride) {
        int fullRows = supported() ? rows / LANES * LANES : 0;
        int fullCols = supported() ? cols / LANES * LANES : 0;
        for (int r = 0; r < fullRows; r += LANES) {
            blocks(src, off + r * ld, ld, LANES, fullCols / LANES, dst, dOff + r, dStride);
        }
        for (int r = 0; r < rows; r++) {
            for (int q = r < fullRows ? fullCols : 0; q < cols; q++) {
                dst[dOff + q * dStride + r] = src[off + r * ld + q];
            }
        }
    }

    /**
     * dst[dOff + q*dStride + r] = src[off + r*ld + q] for r &lt; rows &lt;= dStride, q &lt; cols: a few rows copied
     * transposed into a panel of dStride floats a step, as GEMM packs A. Where dStride &lt;= LANES, whole blocks of
     * LANES columns go through registers and write LANES floats a step ({@link #blocks}): the floats past dStride
     * land on the next step, which is written after them, and after the last step they run up to LANES - rows
     * floats past it, which dst must hold. Floats rows..dStride-1 of each step are left unspecified. The rest is
     * copied one element at a time. src not modified.
     */
    public static void copyIntoPanel(float[] src, int off, int ld, int rows, int cols, float[] dst, int dOff,
                                     int dStride) {
        int whole = supported() && dStride <= LANES ? cols - cols % LANES : 0;
        blocks(src, off, ld, rows, whole / LANES, dst, dOff, dStride);
        for (int r = 0; r < rows; r++) {
            for (int q = whole; q < cols; q++) {
                dst[dOff + q * dStride + r] = src[off + r * ld + q];
            }
        }
    }

    /**
     * dst[dOff + q*dStride + r] = src[off + r*ld + q] for r, q &lt; LANES. src not modified.
     */
    public static void block(float[] src, int off, int ld, float[] dst, int dOff, int dStride) {
        block(src, off, ld, LANES, dst, dOff, dStride);
    }

    /**
     * As {@link #block(float[], int, int, float[], int, int)} for a block of only {@code rows} (1..LANES) rows:
     * each of the LANES rows written still has LANES floats, and lanes {@code rows..LANES-1} of each hold
     * copies of the last row's values (no vector is chosen by a branch: C2 would box it), for the caller to
     * overwrite.
     */
    public static void block(float[] src, int off, int ld, int rows, float[] dst, int dOff, int dStride) {
        blocks(src, off, ld, rows, 1, dst, dOff, dStride);
    }

    /**
     * {@code count} blocks side by side along src's rows, each as {@link #block(float[], int, int, int, float[],
     * int, int)}: block b reads columns {@code b*LANES ..} of the {@code rows} rows at src[off], and writes rows
     * {@code b*LANES ..} of dst. One call for a run of blocks keeps the permutes' constants in registers across
     * them: a call per block (too big to inline) rebuilt them every time. Packing a 784 x 256 B^T on Zen 5, one
     * JVM each: 0.33-0.35 -> 0.20-0.25 ns a float at -XX:UseAVX=2, 0.20 -> 0.15 at 512 bits.
     *
     * <p>With 8 lanes, blocks of more than 4 rows take their first stage from memory: that stage swaps half-rows,
     * and a load 4 floats early or late puts a half-row in the other half, so two loads and a blend replace two
     * permutes and a blend. Those loads read up to 4 floats past a block's columns in rows 0-3 and before them in
     * rows 4-7: inside the rows around them, which is why they need more than 4 rows and {@code ld >= 4}. Packing
     * a 784 x 256 B^T at -XX:UseAVX=2 on Zen 5: 0.20-0.24 -> 0.16-0.18 ns a float (the SGEMM's mlp.fwd_Wt 1.05-1.07x,
     * in process). With 16 lanes the same trick would need the later stages split into pieces C2 inlines; not done.
     */
    public static void blocks(float[] src, int off, int ld, int rows, int count, float[] dst, int dOff,
                              int dStride) {
        if (LANES == 16) {
            transpose16(src, off, ld, rows, count, dst, dOff, dStride);
        } else if (rows > LANES / 2 && ld >= LANES / 2) {
            transpose8HalvesLoaded(src, off, ld, rows, count, dst, dOff, dStride);
        } else {
            transpose8(src, off, ld, rows, count, dst, dOff, dStride);
        }
    }

    // Lane l of the result takes lane l XOR s.
    private static VectorShuffle<Float> swap(int s) {
        int[] idx = new int[LANES];
        for (int l = 0; l < LANES; l++) {
            idx[l] = l ^ s;
        }
        return VectorShuffle.fromArray(SPECIES, idx, 0);
    }

    // The lanes whose bit s is set.
    private static VectorMask<Float> bitSet(int s) {
        boolean[] on = new boolean[LANES];
        for (int l = 0; l < LANES; l++) {
            on[l] = (l & s) != 0;
        }
        return VectorMask.fromArray(SPECIES, on, 0);
    }

    // Index vectors for selectFrom(row i, row i+s): 0..L-1 pick from row i, L..2L-1 from row i+s.
    private static IntVector indices(int s, boolean forRowI) {
        int[] idx = new int[LANES];
        for (int l = 0; l < LANES; l++) {
            boolean low = (l & s) == 0;
            if (forRowI) {
                idx[l] = low ? l : LANES + l - s;
            } else {
                idx[l] = low ? (l + s) % LANES : LANES + l;
            }
        }
        return IntVector.fromArray(INTS, idx, 0);
    }

    // count blocks of rows (L, L) of src side by side, block b at src[off + b*L], row r ld further, L = 16 ->
    // their transposes, block b's row q at dst[dOff + (b*L + q)*dStride]; rows' starts as in transpose8
    private static void transpose16(float[] src, int off, int ld, int rows, int count, float[] dst, int dOff,
                                    int dStride) {
        int last = rows - 1;
        int s1 = off + Math.min(1, last) * ld;
        int s2 = off + Math.min(2, last) * ld;
        int s3 = off + Math.min(3, last) * ld;
        int s4 = off + Math.min(4, last) * ld;
        int s5 = off + Math.min(5, last) * ld;
        int s6 = off + Math.min(6, last) * ld;
        int s7 = off + Math.min(7, last) * ld;
        int s8 = off + Math.min(8, last) * ld;
        int s9 = off + Math.min(9, last) * ld;
        int s10 = off + Math.min(10, last) * ld;
        int s11 = off + Math.min(11, last) * ld;
        int s12 = off + Math.min(12, last) * ld;
        int s13 = off + Math.min(13, last) * ld;
        int s14 = off + Math.min(14, last) * ld;
        int s15 = off + Math.min(15, last) * ld;
        for (int b = 0; b < count; b++) {
            int c = b * LANES;
            int d = dOff + c * dStride;
            IntVector v0 = FloatVector.fromArray(SPECIES, src, off + c).reinterpretAsInts();
            IntVector v1 = FloatVector.fromArray(SPECIES, src, s1 + c).reinterpretAsInts();
            IntVector v2 = FloatVector.fromArray(SPECIES, src, s2 + c).reinterpretAsInts();
            IntVector v3 = FloatVector.fromArray(SPECIES, src, s3 + c).reinterpretAsInts();
            IntVector v4 = FloatVector.fromArray(SPECIES, src, s4 + c).reinterpretAsInts();
            IntVector v5 = FloatVector.fromArray(SPECIES, src, s5 + c).reinterpretAsInts();
            IntVector v6 = FloatVector.fromArray(SPECIES, src, s6 + c).reinterpretAsInts();
            IntVector v7 = FloatVector.fromArray(SPECIES, src, s7 + c).reinterpretAsInts();
            IntVector v8 = FloatVector.fromArray(SPECIES, src, s8 + c).reinterpretAsInts();
            IntVector v9 = FloatVector.fromArray(SPECIES, src, s9 + c).reinterpretAsInts();
            IntVector v10 = FloatVector.fromArray(SPECIES, src, s10 + c).reinterpretAsInts();
            IntVector v11 = FloatVector.fromArray(SPECIES, src, s11 + c).reinterpretAsInts();
            IntVector v12 = FloatVector.fromArray(SPECIES, src, s12 + c).reinterpretAsInts();
            IntVector v13 = FloatVector.fromArray(SPECIES, src, s13 + c).reinterpretAsInts();
            IntVector v14 = FloatVector.fromArray(SPECIES, src, s14 + c).reinterpretAsInts();
            IntVector v15 = FloatVector.fromArray(SPECIES, src, s15 + c).reinterpretAsInts();
            {
                IntVector t = KEEP_8.selectFrom(v0, v8);
                v8 = TAKE_8.selectFrom(v0, v8);
                v0 = t;
            }
            {
                IntVector t = KEEP_8.selectFrom(v1, v9);
                v9 = TAKE_8.selectFrom(v1, v9);
                v1 = t;
            }
            {
                IntVector t = KEEP_8.selectFrom(v2, v10);
                v10 = TAKE_8.selectFrom(v2, v10);
                v2 = t;
            }
            {
                IntVector t = KEEP_8.selectFrom(v3, v11);
                v11 = TAKE_8.selectFrom(v3, v11);
                v3 = t;
            }
            {
                IntVector t = KEEP_8.selectFrom(v4, v12);
                v12 = TAKE_8.selectFrom(v4, v12);
                v4 = t;
            }
            {
                IntVector t = KEEP_8.selectFrom(v5, v13);
                v13 = TAKE_8.selectFrom(v5, v13);
                v5 = t;
            }
            {
                IntVector t = KEEP_8.selectFrom(v6, v14);
                v14 = TAKE_8.selectFrom(v6, v14);
                v6 = t;
            }
            {
                IntVector t = KEEP_8.selectFrom(v7, v15);
                v15 = TAKE_8.selectFrom(v7, v15);
                v7 = t;
            }
            {
                IntVector t = KEEP_4.selectFrom(v0, v4);
                v4 = TAKE_4.selectFrom(v0, v4);
                v0 = t;
            }
            {
                IntVector t = KEEP_4.selectFrom(v1, v5);
                v5 = TAKE_4.selectFrom(v1, v5);
                v1 = t;
            }
            {
                IntVector t = KEEP_4.selectFrom(v2, v6);
                v6 = TAKE_4.selectFrom(v2, v6);
                v2 = t;
            }
            {
                IntVector t = KEEP_4.selectFrom(v3, v7);
                v7 = TAKE_4.selectFrom(v3, v7);
                v3 = t;
            }
            {
                IntVector t = KEEP_4.selectFrom(v8, v12);
                v12 = TAKE_4.selectFrom(v8, v12);
                v8 = t;
            }
            {
                IntVector t = KEEP_4.selectFrom(v9, v13);
                v13 = TAKE_4.selectFrom(v9, v13);
                v9 = t;
            }
            {
                IntVector t = KEEP_4.selectFrom(v10, v14);
                v14 = TAKE_4.selectFrom(v10, v14);
                v10 = t;
            }
            {
                IntVector t = KEEP_4.selectFrom(v11, v15);
                v15 = TAKE_4.selectFrom(v11, v15);
                v11 = t;
            }
            {
                IntVector t = KEEP_2.selectFrom(v0, v2);
                v2 = TAKE_2.selectFrom(v0, v2);
                v0 = t;
            }
            {
                IntVector t = KEEP_2.selectFrom(v1, v3);
                v3 = TAKE_2.selectFrom(v1, v3);
                v1 = t;
            }
            {
                IntVector t = KEEP_2.selectFrom(v4, v6);
                v6 = TAKE_2.selectFrom(v4, v6);
                v4 = t;
            }
            {
                IntVector t = KEEP_2.selectFrom(v5, v7);
                v7 = TAKE_2.selectFrom(v5, v7);
                v5 = t;
            }
            {
                IntVector t = KEEP_2.selectFrom(v8, v10);
                v10 = TAKE_2.selectFrom(v8, v10);
                v8 = t;
            }
            {
                IntVector t = KEEP_2.selectFrom(v9, v11);
                v11 = TAKE_2.selectFrom(v9, v11);
                v9 = t;
            }
            {
                IntVector t = KEEP_2.selectFrom(v12, v14);
                v14 = TAKE_2.selectFrom(v12, v14);
                v12 = t;
            }
            {
                IntVector t = KEEP_2.selectFrom(v13, v15);
                v15 = TAKE_2.selectFrom(v13, v15);
                v13 = t;
            }
            {
                IntVector t = KEEP_1.selectFrom(v0, v1);
                v1 = TAKE_1.selectFrom(v0, v1);
                v0 = t;
            }
            {
                IntVector t = KEEP_1.selectFrom(v2, v3);
                v3 = TAKE_1.selectFrom(v2, v3);
                v2 = t;
            }
            {
                IntVector t = KEEP_1.selectFrom(v4, v5);
                v5 = TAKE_1.selectFrom(v4, v5);
                v4 = t;
            }
            {
                IntVector t = KEEP_1.selectFrom(v6, v7);
                v7 = TAKE_1.selectFrom(v6, v7);
                v6 = t;
            }
            {
                IntVector t = KEEP_1.selectFrom(v8, v9);
                v9 = TAKE_1.selectFrom(v8, v9);
                v8 = t;
            }
            {
                IntVector t = KEEP_1.selectFrom(v10, v11);
                v11 = TAKE_1.selectFrom(v10, v11);
                v10 = t;
            }
            {
                IntVector t = KEEP_1.selectFrom(v12, v13);
                v13 = TAKE_1.selectFrom(v12, v13);
                v12 = t;
            }
            {
                IntVector t = KEEP_1.selectFrom(v14, v15);
                v15 = TAKE_1.selectFrom(v14, v15);
                v14 = t;
            }
            v0.reinterpretAsFloats().intoArray(dst, d + 0 * dStride);
            v1.reinterpretAsFloats().intoArray(dst, d + 1 * dStride);
            v2.reinterpretAsFloats().intoArray(dst, d + 2 * dStride);
            v3.reinterpretAsFloats().intoArray(dst, d + 3 * dStride);
            v4.reinterpretAsFloats().intoArray(dst, d + 4 * dStride);
            v5.reinterpretAsFloats().intoArray(dst, d + 5 * dStride);
            v6.reinterpretAsFloats().intoArray(dst, d + 6 * dStride);
            v7.reinterpretAsFloats().intoArray(dst, d + 7 * dStride);
            v8.reinterpretAsFloats().intoArray(dst, d + 8 * dStride);
            v9.reinterpretAsFloats().intoArray(dst, d + 9 * dStride);
            v10.reinterpretAsFloats().intoArray(dst, d + 10 * dStride);
            v11.reinterpretAsFloats().intoArray(dst, d + 11 * dStride);
            v12.reinterpretAsFloats().intoArray(dst, d + 12 * dStride);
            v13.reinterpretAsFloats().intoArray(dst, d + 13 * dStride);
            v14.reinterpretAsFloats().intoArray(dst, d + 14 * dStride);
            v15.reinterpretAsFloats().intoArray(dst, d + 15 * dStride);
        }
    }

    // count blocks of rows (L, L) of src side by side, block b at src[off + b*L], row r ld further, L = 8 ->
    // their transposes, block b's row q at dst[dOff + (b*L + q)*dStride]. Each row's start is one loop-invariant
    // sum, so that C2 can take the loads' range checks out of the loop (it does not for a sum of two).
    private static void transpose8(float[] src, int off, int ld, int rows, int count, float[] dst, int dOff,
                                   int dStride) {
        int last = rows - 1;
        int s1 = off + Math.min(1, last) * ld;
        int s2 = off + Math.min(2, last) * ld;
        int s3 = off + Math.min(3, last) * ld;
        int s4 = off + Math.min(4, last) * ld;
        int s5 = off + Math.min(5, last) * ld;
        int s6 = off + Math.min(6, last) * ld;
        int s7 = off + Math.min(7, last) * ld;
        for (int b = 0; b < count; b++) {
            int c = b * LANES;
            FloatVector v0 = FloatVector.fromArray(SPECIES, src, off + c);
            FloatVector v1 = FloatVector.fromArray(SPECIES, src, s1 + c);
            FloatVector v2 = FloatVector.fromArray(SPECIES, src, s2 + c);
            FloatVector v3 = FloatVector.fromArray(SPECIES, src, s3 + c);
            FloatVector v4 = FloatVector.fromArray(SPECIES, src, s4 + c);
            FloatVector v5 = FloatVector.fromArray(SPECIES, src, s5 + c);
            FloatVector v6 = FloatVector.fromArray(SPECIES, src, s6 + c);
            FloatVector v7 = FloatVector.fromArray(SPECIES, src, s7 + c);
            FloatVector h0 = v0.blend(v4.rearrange(SWAP_4), HIGH_4);
            v4 = v0.rearrange(SWAP_4).blend(v4, HIGH_4);
            v0 = h0;
            FloatVector h1 = v1.blend(v5.rearrange(SWAP_4), HIGH_4);
            v5 = v1.rearrange(SWAP_4).blend(v5, HIGH_4);
            v1 = h1;
            FloatVector h2 = v2.blend(v6.rearrange(SWAP_4), HIGH_4);
            v6 = v2.rearrange(SWAP_4).blend(v6, HIGH_4);
            v2 = h2;
            FloatVector h3 = v3.blend(v7.rearrange(SWAP_4), HIGH_4);
            v7 = v3.rearrange(SWAP_4).blend(v7, HIGH_4);
            v3 = h3;
            FloatVector t = v0.blend(v2.rearrange(SWAP_2), HIGH_2);
            v2 = v0.rearrange(SWAP_2).blend(v2, HIGH_2);
            v0 = t;
            t = v1.blend(v3.rearrange(SWAP_2), HIGH_2);
            v3 = v1.rearrange(SWAP_2).blend(v3, HIGH_2);
            v1 = t;
            t = v4.blend(v6.rearrange(SWAP_2), HIGH_2);
            v6 = v4.rearrange(SWAP_2).blend(v6, HIGH_2);
            v4 = t;
            t = v5.blend(v7.rearrange(SWAP_2), HIGH_2);
            v7 = v5.rearrange(SWAP_2).blend(v7, HIGH_2);
            v5 = t;
            int d = dOff + c * dStride;
            v0.blend(v1.rearrange(SWAP_1), HIGH_1).intoArray(dst, d);
            v0.rearrange(SWAP_1).blend(v1, HIGH_1).intoArray(dst, d + dStride);
            v2.blend(v3.rearrange(SWAP_1), HIGH_1).intoArray(dst, d + 2 * dStride);
            v2.rearrange(SWAP_1).blend(v3, HIGH_1).intoArray(dst, d + 3 * dStride);
            v4.blend(v5.rearrange(SWAP_1), HIGH_1).intoArray(dst, d + 4 * dStride);
            v4.rearrange(SWAP_1).blend(v5, HIGH_1).intoArray(dst, d + 5 * dStride);
            v6.blend(v7.rearrange(SWAP_1), HIGH_1).intoArray(dst, d + 6 * dStride);
            v6.rearrange(SWAP_1).blend(v7, HIGH_1).intoArray(dst, d + 7 * dStride);
        }
    }

    // As transpose8 for rows > 4 and ld >= 4, its first stage from memory: row i's half-rows meet row i+4's by
    // loads 4 floats late (i < 4) or early (i >= 4) and a blend. Reads 4 floats past the block in rows 0-3 and
    // before it in rows 4-7, all inside the rows between (see blocks). Its last two stages are transpose8's, written
    // out again: a helper taking the vectors would box them wherever C2 does not inline it (AllocationTest's run
    // with -XX:InlineSmallCode=200 holds every kernel to that).
    private static void transpose8HalvesLoaded(float[] src, int off, int ld, int rows, int count, float[] dst,
                                               int dOff, int dStride) {
        int last = rows - 1;
        int s1 = off + ld;
        int s2 = off + Math.min(2, last) * ld;
        int s3 = off + Math.min(3, last) * ld;
        int s4 = off + 4 * ld;
        int s5 = off + Math.min(5, last) * ld;
        int s6 = off + Math.min(6, last) * ld;
        int s7 = off + Math.min(7, last) * ld;
        int late0 = off + 4;
        int late1 = s1 + 4;
        int late2 = s2 + 4;
        int late3 = s3 + 4;
        int early4 = s4 - 4;
        int early5 = s5 - 4;
        int early6 = s6 - 4;
        int early7 = s7 - 4;
        for (int b = 0; b < count; b++) {
            int c = b * LANES;
            FloatVector v0 = FloatVector.fromArray(SPECIES, src, off + c)
                    .blend(FloatVector.fromArray(SPECIES, src, early4 + c), HIGH_4);
            FloatVector v1 = FloatVector.fromArray(SPECIES, src, s1 + c)
                    .blend(FloatVector.fromArray(SPECIES, src, early5 + c), HIGH_4);
            FloatVector v2 = FloatVector.fromArray(SPECIES, src, s2 + c)
                    .blend(FloatVector.fromArray(SPECIES, src, early6 + c), HIGH_4);
            FloatVector v3 = FloatVector.fromArray(SPECIES, src, s3 + c)
                    .blend(FloatVector.fromArray(SPECIES, src, early7 + c), HIGH_4);
            FloatVector v4 = FloatVector.fromArray(SPECIES, src, late0 + c)
                    .blend(FloatVector.fromArray(SPECIES, src, s4 + c), HIGH_4);
            FloatVector v5 = FloatVector.fromArray(SPECIES, src, late1 + c)
                    .blend(FloatVector.fromArray(SPECIES, src, s5 + c), HIGH_4);
            FloatVector v6 = FloatVector.fromArray(SPECIES, src, late2 + c)
                    .blend(FloatVector.fromArray(SPECIES, src, s6 + c), HIGH_4);
            FloatVector v7 = FloatVector.fromArray(SPECIES, src, late3 + c)
                    .blend(FloatVector.fromArray(SPECIES, src, s7 + c), HIGH_4);
            FloatVector t = v0.blend(v2.rearrange(SWAP_2), HIGH_2);
            v2 = v0.rearrange(SWAP_2).blend(v2, HIGH_2);
            v0 = t;
            t = v1.blend(v3.rearrange(SWAP_2), HIGH_2);
            v3 = v1.rearrange(SWAP_2).blend(v3, HIGH_2);
            v1 = t;
            t = v4.blend(v6.rearrange(SWAP_2), HIGH_2);
            v6 = v4.rearrange(SWAP_2).blend(v6, HIGH_2);
            v4 = t;
            t = v5.blend(v7.rearrange(SWAP_2), HIGH_2);
            v7 = v5.rearrange(SWAP_2).blend(v7, HIGH_2);
            v5 = t;
            int d = dOff + c * dStride;
            v0.blend(v1.rearrange(SWAP_1), HIGH_1).intoArray(dst, d);
            v0.rearrange(SWAP_1).blend(v1, HIGH_1).intoArray(dst, d + dStride);
            v2.blend(v3.rearrange(SWAP_1), HIGH_1).intoArray(dst, d + 2 * dStride);
            v2.rearrange(SWAP_1).blend(v3, HIGH_1).intoArray(dst, d + 3 * dStride);
            v4.blend(v5.rearrange(SWAP_1), HIGH_1).intoArray(dst, d + 4 * dStride);
            v4.rearrange(SWAP_1).blend(v5, HIGH_1).intoArray(dst, d + 5 * dStride);
            v6.blend(v7.rearrange(SWAP_1), HIGH_1).intoArray(dst, d + 6 * dStride);
            v6.rearrange(SWAP_1).blend(v7, HIGH_1).intoArray(dst, d + 7 * dStride);
        }
    }
}
