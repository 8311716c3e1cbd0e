package lanes.reference;

import java.util.ArrayList;
import java.util.List;
import lanes.engine.Tensor;

/**
 * Element addressing straight from the definition {@code offset + sum_d index[d] * strides[d]}, independent of
 * the methods of {@link Tensor} under test.
 */
public final class Indexing {
    private Indexing() {
    }

    /**
     * Every index of {@code shape}, in row-major order (one empty index for rank 0, none if an extent is 0).
     *
     * @param shape the extents
     * @return the indices
     */
    public static List<int[]> allIndices(int[] shape) {
        List<int[]> out = new ArrayList<>();
        for (int extent : shape) {
            if (extent == 0) {
                return out;
            }
        }
        int[] idx = new int[shape.length];
        while (true) {
            out.add(idx.clone());
            int d = shape.length - 1;
            while (d >= 0 && ++idx[d] == shape[d]) {
                idx[d] = 0;
                d--;
            }
            if (d < 0) {
                return out;
            }
        }
    }

    /**
     * Position in the backing array of {@code index}, computed from offset and strides.
     *
     * @param t the view
     * @param index one index per dimension
     * @return the position
     */
    public static int address(Tensor t, int[] index) {
        int[] strides = t.strides();
        int at = t.offset();
        for (int d = 0; d < index.length; d++) {
            at += index[d] * strides[d];
        }
        return at;
    }

    /**
     * The view's elements in row-major order, read straight from the backing array.
     *
     * @param t the view
     * @return a new array
     */
    public static float[] elements(Tensor t) {
        List<int[]> all = allIndices(t.shape());
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.data()[address(t, all.get(i))];
        }
        return out;
    }
}
