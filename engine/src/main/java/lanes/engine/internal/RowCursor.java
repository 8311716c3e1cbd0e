package lanes.engine.internal;

import java.util.Arrays;
import lanes.engine.Tensor;

/**
 * Walks the rows of one or more views of the same shape in lockstep, so that a kernel can run its 1-D loop over
 * each row: {@code while (c.next()) kernel(c.rowLength(), data, c.rowOffset(k), c.rowStride(k), ...)}.
 *
 * <p>Dimensions of extent 1 are dropped and neighbouring dimensions that are contiguous in <em>every</em> view
 * are merged, so dense tensors of any rank come out as a single long row with stride 1.
 */
public final class RowCursor {
    private final int[] shape;        // outer dims after merging; the last merged dim is the row
    private final int[][] strides;    // [view][dim]
    private final int[] base;         // [view] offset of element 0
    private final int[] rowStart;     // [view] offset of the current row
    private final int[] index;        // position over the outer dims
    private final int rowLength;
    private final int outer;
    private final long rows;
    private long visited;

    /** A cursor over the rows of {@code views}, which must all have the same shape. */
    public RowCursor(Tensor... views) {
        int[] full = views[0].shape();
        for (Tensor v : views) {
            Shapes.requireSameShape("rows", full, v.shape());
        }
        int k = views.length;
        // Keep dims of extent != 1, then merge d into d+1 where every view is contiguous across them.
        int[] dims = new int[full.length];
        int rank = 0;
        for (int d = 0; d < full.length; d++) {
            if (full[d] != 1) {
                dims[rank++] = d;
            }
        }
        int[] mShape = new int[Math.max(rank, 1)];
        int[][] mStrides = new int[k][Math.max(rank, 1)];
        int m = 0;
        if (rank == 0) {
            mShape[0] = 1;
            for (int v = 0; v < k; v++) {
                mStrides[v][0] = 1;
            }
            m = 1;
        } else {
            for (int i = 0; i < rank; i++) {
                int d = dims[i];
                boolean merge = m > 0;
                for (int v = 0; v < k && merge; v++) {
                    merge = mStrides[v][m - 1] == views[v].stride(d) * full[d];
                }
                if (merge) {
                    mShape[m - 1] *= full[d];
                    for (int v = 0; v < k; v++) {
                        mStrides[v][m - 1] = views[v].stride(d);
                    }
                } else {
                    mShape[m] = full[d];
                    for (int v = 0; v < k; v++) {
                        mStrides[v][m] = views[v].stride(d);
                    }
                    m++;
                }
            }
        }
        this.shape = Arrays.copyOf(mShape, m);
        this.strides = new int[k][];
        this.base = new int[k];
        for (int v = 0; v < k; v++) {
            strides[v] = Arrays.copyOf(mStrides[v], m);
            base[v] = views[v].offset();
        }
        this.rowStart = new int[k];
        this.index = new int[m - 1];
        this.rowLength = shape[m - 1];
        long rows = 1;
        for (int d = 0; d < m - 1; d++) {
            rows *= shape[d];
        }
        this.outer = m - 1;
        this.rows = rowLength == 0 ? 0 : rows;
    }

    /** Moves to the next row; false when every row has been visited. Call once before the first row. */
    public boolean next() {
        if (visited == rows) {
            return false;
        }
        if (visited++ > 0) {
            for (int d = outer - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        for (int v = 0; v < base.length; v++) {
            int at = base[v];
            for (int d = 0; d < outer; d++) {
                at += index[d] * strides[v][d];
            }
            rowStart[v] = at;
        }
        return true;
    }

    /** Elements in every row. */
    public int rowLength() {
        return rowLength;
    }

    /** Offset of the current row of view {@code v} (in the order given to the constructor). */
    public int rowOffset(int v) {
        return rowStart[v];
    }

    /** Distance between neighbouring elements of a row of view {@code v}. */
    public int rowStride(int v) {
        return strides[v][outer];
    }
}
