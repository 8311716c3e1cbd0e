package lanes.engine.gemm;

import static lanes.engine.Simd.LANES;
import static lanes.engine.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;
import lanes.engine.Simd;
import lanes.engine.math.Activations;

/**
 * Work fused into the write-back of GEMM's C (and of a convolution's output, each image seen as a channels x
 * positions matrix; see {@code Conv.forward}): called once for every finished block of C, right after the last rank-KC
 * update wrote it and while it is still in cache, so that a bias or an activation costs no extra pass over memory.
 *
 * <p>Each element of C is passed to exactly one call, after its final value (alpha*op(A)op(B) + beta*C) is stored.
 */
@FunctionalInterface
public interface Epilogue {

    /**
     * Rewrites, in place, the block of C whose element (i, j) is {@code c[off + i*ldc + j]} for {@code i < rows},
     * {@code j < cols}, and which is the block starting at row {@code row0}, column {@code col0} of the whole C.
     *
     * @param c the array holding C
     * @param off index of the block's element (0, 0) in c
     * @param ldc the step from one row of C to the next
     * @param row0 the block's first row in the whole C
     * @param col0 the block's first column in the whole C
     * @param rows rows in the block
     * @param cols columns in the block
     */
    void apply(float[] c, int off, int ldc, int row0, int col0, int rows, int cols);

    /**
     * This epilogue, then {@code next}.
     *
     * @param next the epilogue to run after this one
     * @return the two in sequence
     */
    default Epilogue andThen(Epilogue next) {
        return (c, off, ldc, row0, col0, rows, cols) -> {
            apply(c, off, ldc, row0, col0, rows, cols);
            next.apply(c, off, ldc, row0, col0, rows, cols);
        };
    }

    /**
     * {@code C[i][j] += bias[biasOff + j]}: one bias per column, as in a Linear layer {@code y = x W^T + b}.
     * The bias array is read, not modified.
     *
     * @param bias the biases, one per column
     * @param biasOff index of the first column's bias
     * @return the epilogue
     */
    static Epilogue addToEachRow(float[] bias, int biasOff) {
        return (c, off, ldc, row0, col0, rows, cols) -> {
            int bound = Simd.loopBound(cols);
            for (int i = 0; i < rows; i++) {
                int at = off + i * ldc;
                int j = 0;
                for (; j < bound; j += LANES) {
                    FloatVector.fromArray(SPECIES, c, at + j)
                            .add(FloatVector.fromArray(SPECIES, bias, biasOff + col0 + j)).intoArray(c, at + j);
                }
                for (; j < cols; j++) {
                    c[at + j] += bias[biasOff + col0 + j];
                }
            }
        };
    }

    /**
     * {@code C[i][j] = max(C[i][j], 0)} with Java's max: a NaN stays NaN and -0 becomes +0, row by row
     * through {@link Activations#relu}, so a fused ReLU equals a separate one exactly.
     *
     * @return the epilogue
     */
    static Epilogue relu() {
        return (c, off, ldc, row0, col0, rows, cols) -> {
            for (int i = 0; i < rows; i++) {
                Activations.relu(cols, c, off + i * ldc, c, off + i * ldc);
            }
        };
    }
}
