package lanes.tests.engine.simd;

import static org.junit.jupiter.api.Assertions.fail;

import lanes.engine.Simd;
import lanes.engine.simd.Transpose;
import lanes.tests.Gen;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The in-register transposes move bits, never change them: {@code copy} writes exactly the transposed matrix and
 * nothing else of dst, and a run of {@code blocks} writes each block's transpose, with the lanes past a short
 * block's rows holding its last row's values as documented. At whatever width the JVM runs (16 lanes at 512 bits, 8
 * at 256; the plain loop where neither).
 */
class TransposeProperties {
    private static final int L = Simd.LANES;

    @Property(tries = 60)
    void copyWritesTheTransposeAndNothingElse(@ForAll @IntRange(min = 1, max = 40) int rows,
            @ForAll @IntRange(min = 1, max = 70) int cols, @ForAll @IntRange(min = 0, max = 9) int ldExtra,
            @ForAll @IntRange(min = 0, max = 9) int strideExtra, @ForAll @IntRange(min = 0, max = 13) int off,
            @ForAll @IntRange(min = 0, max = 13) int dOff, @ForAll long seed) {
        int ld = cols + ldExtra;
        int dStride = rows + strideExtra;
        float[] src = Gen.floats(seed, off + rows * ld);
        float[] dst = Gen.floats(seed + 1, dOff + cols * dStride + 5);
        float[] before = dst.clone();
        float[] srcBefore = src.clone();
        Transpose.copy(src, off, ld, rows, cols, dst, dOff, dStride);
        String what = "copy of " + rows + " x " + cols + " (ld " + ld + ", off " + off + ") to dStride " + dStride
                + ", dOff " + dOff + " at " + L + " lanes";
        for (int i = 0; i < dst.length; i++) {
            int q = (i - dOff) / Math.max(1, dStride);
            int r = (i - dOff) - q * dStride;
            boolean inside = i >= dOff && q < cols && r < rows;
            float expected = inside ? src[off + r * ld + q] : before[i];
            sameBits(what, "dst", i, expected, dst[i]);
        }
        for (int i = 0; i < src.length; i++) {
            sameBits(what, "src (must not change)", i, srcBefore[i], src[i]);
        }
    }

    @Property(tries = 60)
    void copyIntoPanelWritesEachStepsRowsAndNothingPastItsSlack(@ForAll @IntRange(min = 1, max = 16) int rows,
            @ForAll @IntRange(min = 0, max = 4) int strideExtra, @ForAll @IntRange(min = 1, max = 70) int cols,
            @ForAll @IntRange(min = 0, max = 9) int ldExtra, @ForAll @IntRange(min = 0, max = 13) int off,
            @ForAll @IntRange(min = 0, max = 13) int dOff, @ForAll long seed) {
        int ld = cols + ldExtra;
        int dStride = rows + strideExtra;
        float[] src = Gen.floats(seed, off + rows * ld);
        float[] dst = Gen.floats(seed + 1, dOff + cols * dStride + L + 3);
        float[] before = dst.clone();
        Transpose.copyIntoPanel(src, off, ld, rows, cols, dst, dOff, dStride);
        String what = "copyIntoPanel of " + rows + " x " + cols + " (ld " + ld + ", off " + off + ") to dStride "
                + dStride + ", dOff " + dOff + " at " + L + " lanes";
        int end = dOff + cols * dStride + Math.max(0, L - rows);      // the documented slack past the last step
        for (int i = 0; i < dst.length; i++) {
            int q = Math.floorDiv(i - dOff, dStride);
            int r = (i - dOff) - q * dStride;
            if (i >= dOff && q < cols && r < rows) {
                sameBits(what, "dst", i, src[off + r * ld + q], dst[i]);
            } else if (i < dOff || i >= end) {
                sameBits(what, "dst outside the panel and its slack", i, before[i], dst[i]);
            }
        }
    }

    @Example
    void blocksReadNothingPastTheArrayAtItsEdges() {
        if (!Transpose.supported()) {
            return;
        }
        // Blocks of more than L / 2 rows load half-rows L / 2 floats early or late: at the array's first float
        // and its last, with rows as close as they may be (ld = L / 2 up to one block's width), no load may fall
        // outside the array, and the transpose must come out the same.
        for (int rows = 1; rows <= L; rows++) {
            for (int count = 1; count <= 3; count++) {
                for (int ld = L / 2; ld <= count * L + 1; ld++) {
                    if (count > 1 && ld < count * L) {
                        continue;       // blocks side by side must not overlap the next row's
                    }
                    checkBlocks(rows, count, ld, 0, 0, 1000L * rows + 10L * count + ld, L);
                }
            }
        }
    }

    @Property(tries = 60)
    void blocksWriteEachBlocksTransposeAndRepeatTheLastRowPastTheRows(@ForAll @IntRange(min = 1, max = 16) int rows,
            @ForAll @IntRange(min = 0, max = 6) int count, @ForAll @IntRange(min = 0, max = 9) int ldExtra,
            @ForAll @IntRange(min = 0, max = 5) int strideExtra, @ForAll @IntRange(min = 0, max = 13) int off,
            @ForAll @IntRange(min = 0, max = 13) int dOff, @ForAll long seed) {
        if (!Transpose.supported()) {
            return;
        }
        checkBlocks(Math.min(rows, L), count, count * L + ldExtra, off, dOff, seed, L + strideExtra);
    }

    // count blocks of rows x L from src[off] (rows ld apart, the array ending right after the last block) ->
    // dst with rows dStride apart: each block's transpose, the lanes past its rows repeating its last row
    private static void checkBlocks(int rowsHere, int count, int ld, int off, int dOff, long seed, int dStride) {
        float[] src = Gen.floats(seed, off + (rowsHere - 1) * ld + Math.max(1, count * L));
        float[] dst = Gen.floats(seed + 1, dOff + count * L * dStride + L);
        float[] before = dst.clone();
        String what = count + " blocks of " + rowsHere + " rows (ld " + ld + ", off " + off + ", src length "
                + src.length + ") to dStride " + dStride + ", dOff " + dOff + " at " + L + " lanes";
        try {
            Transpose.blocks(src, off, ld, rowsHere, count, dst, dOff, dStride);
        } catch (IndexOutOfBoundsException e) {
            fail(what + ": read or wrote outside an array: " + e.getMessage());
        }
        for (int i = 0; i < dst.length; i++) {
            int q = (i - dOff) / dStride;
            int lane = (i - dOff) - q * dStride;
            boolean inside = i >= dOff && q < count * L && lane < L;
            float expected = inside ? src[off + Math.min(lane, rowsHere - 1) * ld + q] : before[i];
            sameBits(what, "dst", i, expected, dst[i]);
        }
    }

    private static void sameBits(String what, String array, int i, float expected, float actual) {
        if (Float.floatToRawIntBits(expected) != Float.floatToRawIntBits(actual)) {
            fail(what + ": " + array + "[" + i + "] is " + actual + ", expected " + expected);
        }
    }
}
