package lanes.engine.gemm;

/**
 * One matrix operand of a GEMM call as a strided view: element (i, j) is
 * {@code data[offset + i*rowStride + j*colStride]}. A transposed operand is the same array with its strides
 * swapped; a block of an operand is the same array at another offset.
 *
 * <p>Mutable, and owned by a block that its thread reuses ({@link GemmCall}, {@link GemmBlocking}), so that a warm
 * call allocates nothing: the call sets it, the blocking loops read it, and {@link #clear} drops the caller's
 * array when the call ends.
 */
final class Operand {
    float[] data;
    int offset;
    int rowStride;
    int colStride;

    /** This operand becomes {@code data} from {@code offset} on with the given strides; returns this. */
    Operand set(float[] data, int offset, int rowStride, int colStride) {
        this.data = data;
        this.offset = offset;
        this.rowStride = rowStride;
        this.colStride = colStride;
        return this;
    }

    /** This operand becomes the block of {@code whole} whose first element is (row, col) of whole; returns this. */
    Operand setBlock(Operand whole, int row, int col) {
        return set(whole.data, whole.at(row, col), whole.rowStride, whole.colStride);
    }

    /** The index in {@link #data} of element (i, j). */
    int at(int i, int j) {
        return offset + i * rowStride + j * colStride;
    }

    /** Drops the reference to the caller's array. */
    void clear() {
        data = null;
    }
}
