package lanes.engine;

import java.util.Arrays;
import lanes.engine.internal.RowCursor;
import lanes.engine.internal.Shapes;
import lanes.engine.math.Fill;

/**
 * An n-dimensional view of a flat {@code float[]}: element {@code (i0, i1, ..., ik)} lives at
 * {@code data[offset + i0*strides[0] + i1*strides[1] + ... + ik*strides[k]]}.
 *
 * <p>Views ({@link #reshape}, {@link #transpose}, {@link #permute}, {@link #slice}, {@link #select},
 * {@link #expand}) never copy: they share the array and only change offset, shape and strides. Writes through a
 * view are seen by every other view of the same array. {@link #contiguous()} copies only when the view is not
 * already dense and row-major.
 *
 * <p>Strides are never negative. A stride of 0 (from {@link #expand}) repeats one element along a dimension; such
 * a view can be read but not used as the destination of {@link #copyFrom} or of a kernel's output.
 *
 * <p>Every method validates its arguments: a bad shape throws {@link IllegalArgumentException}, a bad index or
 * dimension throws {@link IndexOutOfBoundsException}; both messages name the operation, the shapes or indices
 * involved and the limit that was broken.
 */
public final class Tensor {
    private final float[] data;
    private final int offset;
    private final int[] shape;
    private final int[] strides;
    private final int size;

    private Tensor(float[] data, int offset, int[] shape, int[] strides) {
        this.data = data;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
        this.size = Shapes.size("tensor", shape);
    }

    // ---------------------------------------------------------------- construction

    /**
     * A new dense row-major tensor of zeros.
     *
     * @param shape the extents (each >= 0)
     * @return a new tensor
     */
    public static Tensor zeros(int... shape) {
        int[] s = shape.clone();
        return new Tensor(new float[Shapes.size("zeros", s)], 0, s, Shapes.rowMajorStrides(s));
    }

    /**
     * A dense row-major view of {@code data} (not copied; writes go to {@code data}).
     *
     * @param data the elements, row-major
     * @param shape the extents
     * @return a view of data
     * @throws IllegalArgumentException if {@code data.length} is not the product of {@code shape}
     */
    public static Tensor wrap(float[] data, int... shape) {
        int[] s = shape.clone();
        int n = Shapes.size("wrap", s);
        if (data.length != n) {
            throw new IllegalArgumentException("wrap: array of length " + data.length + " does not hold shape "
                    + Arrays.toString(s) + " (" + n + " elements)");
        }
        return new Tensor(data, 0, s, Shapes.rowMajorStrides(s));
    }

    /**
     * A view of {@code data} with explicit offset, shape and strides (not copied).
     *
     * @param data the backing array
     * @param offset index of element (0, ..., 0)
     * @param shape the extents
     * @param strides the step in data per dimension, in elements (>= 0)
     * @return a view of data
     * @throws IllegalArgumentException if a stride is negative, the ranks differ, or the view reaches outside
     *     {@code data}
     */
    public static Tensor view(float[] data, int offset, int[] shape, int[] strides) {
        int[] sh = shape.clone();
        int[] st = strides.clone();
        if (sh.length != st.length) {
            throw new IllegalArgumentException("view: shape " + Arrays.toString(sh) + " and strides "
                    + Arrays.toString(st) + " differ in rank");
        }
        Shapes.size("view", sh);
        for (int d = 0; d < st.length; d++) {
            if (st[d] < 0) {
                throw new IllegalArgumentException("view: stride " + st[d] + " of dim " + d + " is negative; strides "
                        + Arrays.toString(st));
            }
        }
        long last = Shapes.lastOffset(offset, sh, st);
        if (offset < 0 || (Shapes.size("view", sh) > 0 && last >= data.length) || last > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("view: offset " + offset + ", shape " + Arrays.toString(sh)
                    + ", strides " + Arrays.toString(st) + " reach element " + last + " of an array of length "
                    + data.length);
        }
        return new Tensor(data, offset, sh, st);
    }

    // ---------------------------------------------------------------- accessors

    /**
     * The backing array, shared with every view of it.
     *
     * @return the backing array (not a copy)
     */
    public float[] data() {
        return data;
    }

    /**
     * Index in {@link #data()} of element (0, ..., 0).
     *
     * @return the offset of element (0, ..., 0)
     */
    public int offset() {
        return offset;
    }

    /**
     * Number of dimensions.
     *
     * @return the rank
     */
    public int rank() {
        return shape.length;
    }

    /**
     * Number of elements: the product of the shape (1 for rank 0).
     *
     * @return the element count
     */
    public int size() {
        return size;
    }

    /**
     * A copy of the shape.
     *
     * @return the extents, in a new array
     */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * Extent of dimension {@code dim}.
     *
     * @param dim the dimension
     * @return its extent
     */
    public int shape(int dim) {
        return shape[checkDim("shape", dim)];
    }

    /**
     * A copy of the strides, in elements.
     *
     * @return the strides, in a new array
     */
    public int[] strides() {
        return strides.clone();
    }

    /**
     * Stride of dimension {@code dim}, in elements.
     *
     * @param dim the dimension
     * @return its stride
     */
    public int stride(int dim) {
        return strides[checkDim("stride", dim)];
    }

    /**
     * True if the elements are dense and row-major: every dimension of extent above 1 has the stride of
     * {@link #zeros} for this shape. An empty tensor is contiguous.
     *
     * @return true if dense and row-major
     */
    public boolean isContiguous() {
        if (size == 0) {
            return true;
        }
        int expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /**
     * Index in {@link #data()} of the element at {@code index}.
     *
     * @param index one index per dimension, each inside its extent
     * @return the position in the backing array
     */
    public int indexOf(int... index) {
        if (index.length != shape.length) {
            throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " has rank " + index.length
                    + " but the tensor has shape " + Arrays.toString(shape));
        }
        int at = offset;
        for (int d = 0; d < index.length; d++) {
            if (index[d] < 0 || index[d] >= shape[d]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " is out of bounds for shape "
                        + Arrays.toString(shape) + " (dim " + d + ")");
            }
            at += index[d] * strides[d];
        }
        return at;
    }

    /**
     * The element at {@code index}.
     *
     * @param index one index per dimension
     * @return the element
     */
    public float get(int... index) {
        return data[indexOf(index)];
    }

    /**
     * Writes {@code value} at {@code index}; returns this tensor.
     *
     * @param value the value to write
     * @param index one index per dimension
     * @return this tensor
     */
    public Tensor set(float value, int... index) {
        data[indexOf(index)] = value;
        return this;
    }

    // ---------------------------------------------------------------- views

    /**
     * A view with a new shape and the same elements in row-major order. One dimension may be {@code -1}: it is
     * inferred. Possible without a copy only when the strides allow it; otherwise throws and points to
     * {@link #contiguous()}.
     *
     * @param newShape the new extents (their product equal to the size), one of them may be -1
     * @return a view with the new shape
     */
    public Tensor reshape(int... newShape) {
        int[] target = Shapes.inferShape("reshape", shape, newShape);
        int[] newStrides = Shapes.reshapeStrides(shape, strides, target);
        if (newStrides == null) {
            throw new IllegalArgumentException("reshape: a view of shape " + Arrays.toString(shape) + " with strides "
                    + Arrays.toString(strides) + " cannot be reshaped to " + Arrays.toString(target)
                    + " without a copy; call contiguous() first");
        }
        return new Tensor(data, offset, target, newStrides);
    }

    /**
     * A view with dimensions {@code d0} and {@code d1} swapped.
     *
     * @param d0 one dimension
     * @param d1 the other
     * @return a view
     */
    public Tensor transpose(int d0, int d1) {
        checkDim("transpose", d0);
        checkDim("transpose", d1);
        int[] order = new int[shape.length];
        for (int d = 0; d < order.length; d++) {
            order[d] = d;
        }
        order[d0] = d1;
        order[d1] = d0;
        return permute(order);
    }

    /**
     * The transpose of a matrix (rank 2).
     *
     * @return a view with the two dimensions swapped
     */
    public Tensor t() {
        if (shape.length != 2) {
            throw new IllegalArgumentException("t: needs a matrix but shape is " + Arrays.toString(shape));
        }
        return transpose(0, 1);
    }

    /**
     * A view whose dimension {@code d} is this tensor's dimension {@code order[d]}.
     *
     * @param order a permutation of 0 .. rank-1
     * @return a view
     */
    public Tensor permute(int... order) {
        if (order.length != shape.length) {
            throw new IllegalArgumentException("permute: order " + Arrays.toString(order) + " has " + order.length
                    + " entries for shape " + Arrays.toString(shape));
        }
        boolean[] seen = new boolean[order.length];
        int[] s = new int[order.length];
        int[] st = new int[order.length];
        for (int d = 0; d < order.length; d++) {
            int from = order[d];
            if (from < 0 || from >= order.length || seen[from]) {
                throw new IllegalArgumentException("permute: order " + Arrays.toString(order)
                        + " is not a permutation of 0.." + (order.length - 1));
            }
            seen[from] = true;
            s[d] = shape[from];
            st[d] = strides[from];
        }
        return new Tensor(data, offset, s, st);
    }

    /**
     * A view of indices {@code start, start+step, ...} below {@code end} along {@code dim} (as Python's
     * {@code start:end:step}, with {@code 0 <= start <= end <= shape(dim)} and {@code step >= 1}).
     *
     * @param dim the dimension
     * @param start the first index
     * @param end one past the last index
     * @param step the step between indices (>= 1)
     * @return a view
     */
    public Tensor slice(int dim, int start, int end, int step) {
        checkDim("slice", dim);
        if (step < 1) {
            throw new IllegalArgumentException("slice: step " + step + " must be >= 1");
        }
        if (start < 0 || end > shape[dim] || start > end) {
            throw new IndexOutOfBoundsException("slice: range [" + start + ", " + end + ") of dim " + dim
                    + " is out of bounds for shape " + Arrays.toString(shape));
        }
        int[] s = shape.clone();
        int[] st = strides.clone();
        s[dim] = (end - start + step - 1) / step;
        st[dim] = strides[dim] * step;
        int newOffset = s[dim] == 0 ? offset : offset + start * strides[dim];
        return new Tensor(data, newOffset, s, st);
    }

    /**
     * A view of indices {@code start..end-1} along {@code dim}.
     *
     * @param dim the dimension
     * @param start the first index
     * @param end one past the last index
     * @return a view
     */
    public Tensor slice(int dim, int start, int end) {
        return slice(dim, start, end, 1);
    }

    /**
     * A view of index {@code index} along {@code dim}, that dimension dropped (rank decreases by one).
     *
     * @param dim the dimension
     * @param index the index along it
     * @return a view of rank one lower
     */
    public Tensor select(int dim, int index) {
        checkDim("select", dim);
        if (index < 0 || index >= shape[dim]) {
            throw new IndexOutOfBoundsException("select: index " + index + " is out of bounds for dim " + dim
                    + " of shape " + Arrays.toString(shape));
        }
        int[] s = new int[shape.length - 1];
        int[] st = new int[shape.length - 1];
        for (int d = 0, k = 0; d < shape.length; d++) {
            if (d != dim) {
                s[k] = shape[d];
                st[k] = strides[d];
                k++;
            }
        }
        return new Tensor(data, offset + index * strides[dim], s, st);
    }

    /**
     * A broadcast view: dimensions of extent 1 may grow (their stride becomes 0) and new leading dimensions may be
     * added (as PyTorch's {@code expand}). No element is copied.
     *
     * @param newShape the broadcast extents
     * @return a broadcast view
     */
    public Tensor expand(int... newShape) {
        int[] target = newShape.clone();
        Shapes.size("expand", target);
        if (target.length < shape.length) {
            throw new IllegalArgumentException("expand: shape " + Arrays.toString(shape) + " cannot expand to fewer"
                    + " dimensions " + Arrays.toString(target));
        }
        int lead = target.length - shape.length;
        int[] st = new int[target.length];
        for (int d = 0; d < target.length; d++) {
            int from = d - lead;
            if (from < 0) {
                st[d] = 0;
            } else if (shape[from] == target[d]) {
                st[d] = strides[from];
            } else if (shape[from] == 1) {
                st[d] = 0;
            } else {
                throw new IllegalArgumentException("expand: shape " + Arrays.toString(shape) + " cannot expand to "
                        + Arrays.toString(target) + ": dim " + from + " has extent " + shape[from] + ", not 1");
            }
        }
        return new Tensor(data, offset, target, st);
    }

    // ---------------------------------------------------------------- copies

    /**
     * This tensor if it is already dense and row-major, else a dense row-major copy.
     *
     * @return a dense row-major tensor with these elements
     */
    public Tensor contiguous() {
        return isContiguous() ? this : copy();
    }

    /**
     * A dense row-major copy in a new array.
     *
     * @return a new dense tensor
     */
    public Tensor copy() {
        Tensor out = zeros(shape);
        out.copyFrom(this);
        return out;
    }

    /**
     * The elements in row-major order, in a new array.
     *
     * @return a new array
     */
    public float[] toArray() {
        return copy().data;
    }

    /**
     * Copies {@code src} into this view, element by element, whatever the strides of either. The two may share
     * an array, even overlap: the result is as if {@code src} were read in full first.
     *
     * @param src the elements to copy, of this tensor's shape; not modified
     * @return this tensor
     * @throws IllegalArgumentException if the shapes differ or this view repeats elements (a stride of 0)
     */
    public Tensor copyFrom(Tensor src) {
        Shapes.requireSameShape("copyFrom", shape, src.shape);
        requireWritable("copyFrom");
        Tensor from = (src.data == data && !sameView(src)) ? src.copy() : src;
        RowCursor rows = new RowCursor(this, from);
        int n = rows.rowLength();
        int dInc = rows.rowStride(0);
        int sInc = rows.rowStride(1);
        float[] s = from.data;
        while (rows.next()) {
            int di = rows.rowOffset(0);
            int si = rows.rowOffset(1);
            if (dInc == 1 && sInc == 1) {
                System.arraycopy(s, si, data, di, n);
            } else {
                for (int i = 0; i < n; i++) {
                    data[di + i * dInc] = s[si + i * sInc];
                }
            }
        }
        return this;
    }

    /**
     * Sets every element of this view to {@code value}; returns this tensor.
     *
     * @param value the value
     * @return this tensor
     */
    public Tensor fill(float value) {
        if (size == 0) {
            return this;            // an empty view's offset may lie at or past the array's end
        }
        if (isContiguous()) {
            Fill.fill(data, offset, offset + size, value);
            return this;
        }
        RowCursor rows = new RowCursor(this);
        int n = rows.rowLength();
        int inc = rows.rowStride(0);
        while (rows.next()) {
            int at = rows.rowOffset(0);
            if (inc == 1) {
                Arrays.fill(data, at, at + n, value);
            } else {
                for (int i = 0; i < n; i++) {
                    data[at + i * inc] = value;
                }
            }
        }
        return this;
    }

    /**
     * Throws unless every element of this view has its own place in the array, so that writing through it is
     * well defined. Kernels call it on their outputs.
     *
     * @param op the operation, named in the message
     */
    public void requireWritable(String op) {
        for (int d = 0; d < shape.length; d++) {
            if (strides[d] == 0 && shape[d] > 1) {
                throw new IllegalArgumentException(op + ": cannot write through a broadcast view (dim " + d
                        + " has stride 0 and extent " + shape[d] + "); shape " + Arrays.toString(shape) + ", strides "
                        + Arrays.toString(strides));
            }
        }
    }

    /**
     * True if this tensor's shape is {@code shape} (compared without copying either).
     *
     * @param shape the expected extents
     * @return true if they match
     */
    public boolean hasShape(int... shape) {
        return Arrays.equals(this.shape, shape);
    }

    /**
     * True if this tensor and {@code other} have the same shape (compared without copying either).
     *
     * @param other another tensor
     * @return true if the shapes match
     */
    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    /**
     * True if {@code other} is a view of the same elements in the same order: same array, offset, shape, strides.
     *
     * @param other another tensor
     * @return true if both view the same elements the same way
     */
    public boolean sameView(Tensor other) {
        return data == other.data && offset == other.offset && Arrays.equals(shape, other.shape)
                && Arrays.equals(strides, other.strides);
    }

    /**
     * True if this view and {@code other} share the backing array (they may or may not touch the same elements).
     *
     * @param other another tensor
     * @return true if both use one array
     */
    public boolean sharesData(Tensor other) {
        return data == other.data;
    }

    @Override
    public String toString() {
        return "Tensor(shape=" + Arrays.toString(shape) + ", strides=" + Arrays.toString(strides) + ", offset="
                + offset + ")";
    }

    private int checkDim(String op, int dim) {
        if (dim < 0 || dim >= shape.length) {
            throw new IndexOutOfBoundsException(op + ": dim " + dim + " is out of range for shape "
                    + Arrays.toString(shape) + " (rank " + shape.length + ")");
        }
        return dim;
    }
}
