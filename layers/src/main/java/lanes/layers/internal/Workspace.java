package lanes.layers.internal;

import lanes.engine.Tensor;

/**
 * One layer-owned buffer role (an output, a gradient, a mask): one backing array, grown to the largest shape asked
 * for, and a dense view of it for each of the last {@link Recent#SIZE} shapes asked for. A model that alternates
 * between batch sizes allocates nothing once it has seen each, and a warm step allocates nothing at all.
 *
 * <p>A view's contents are whatever was last written through any view of this workspace (zeros when new): callers
 * overwrite or clear it. Views of one workspace share elements, so a layer uses a view only until it asks for
 * another shape of the same workspace.
 */
public final class Workspace {
    private float[] data = new float[0];
    private final Recent<Tensor> views = new Recent<>();

    /** A dense (n) view. */
    public Tensor get(int n) {
        return find(1, n, 0, 0, 0);
    }

    /** A dense (rows, cols) view. */
    public Tensor get(int rows, int cols) {
        return find(2, rows, cols, 0, 0);
    }

    /** A dense (d0, d1, d2) view. */
    public Tensor get(int d0, int d1, int d2) {
        return find(3, d0, d1, d2, 0);
    }

    /** A dense (d0, d1, d2, d3) view. */
    public Tensor get(int d0, int d1, int d2, int d3) {
        return find(4, d0, d1, d2, d3);
    }

    /** A dense view of the shape of {@code like} (rank 1 to 4). */
    public Tensor getLike(Tensor like) {
        for (int i = 0; i < Recent.SIZE; i++) {
            Tensor t = views.get(i);
            if (t != null && t.sameShape(like)) {
                return t;
            }
        }
        return add(like.shape());
    }

    // the kept view of shape (d0, .., d<rank-1>), or a new one; allocates only on a miss
    private Tensor find(int rank, int d0, int d1, int d2, int d3) {
        for (int i = 0; i < Recent.SIZE; i++) {
            Tensor t = views.get(i);
            if (t != null && t.rank() == rank && t.shape(0) == d0 && (rank < 2 || t.shape(1) == d1)
                    && (rank < 3 || t.shape(2) == d2) && (rank < 4 || t.shape(3) == d3)) {
                return t;
            }
        }
        return add(java.util.Arrays.copyOf(new int[] {d0, d1, d2, d3}, rank));
    }

    private Tensor add(int[] shape) {
        long size = 1;
        for (int extent : shape) {
            size *= extent;
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("buffer of shape " + java.util.Arrays.toString(shape) + " has "
                    + size + " elements, more than an array holds");
        }
        if (size > data.length) {
            data = new float[(int) size];
            views.clear();              // the old views point into the old array
        }
        int[] strides = new int[shape.length];
        int stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = stride;
            stride *= shape[d];
        }
        return views.add(Tensor.view(data, 0, shape, strides));
    }
}
