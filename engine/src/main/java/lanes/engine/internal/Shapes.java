package lanes.engine.internal;

import java.util.Arrays;

/** Shape arithmetic shared by {@link lanes.engine.Tensor} and the kernels' argument checks. */
public final class Shapes {
    private Shapes() {
    }

    /** Product of the extents; throws if one is negative or the product overflows an int. */
    public static int size(String op, int[] shape) {
        long n = 1;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 0) {
                throw new IllegalArgumentException(op + ": extent " + shape[d] + " of dim " + d + " is negative in shape "
                        + Arrays.toString(shape));
            }
            n *= shape[d];
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(op + ": shape " + Arrays.toString(shape) + " has more than "
                        + Integer.MAX_VALUE + " elements");
            }
        }
        return (int) n;
    }

    public static int[] rowMajorStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = s;
            s *= Math.max(shape[d], 1);
        }
        return strides;
    }

    /** Index of the element farthest from the offset (the offset itself for an empty or rank-0 view). */
    public static long lastOffset(int offset, int[] shape, int[] strides) {
        long last = offset;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] > 0) {
                last += (long) (shape[d] - 1) * strides[d];
            }
        }
        return last;
    }

    public static void requireSameShape(String op, int[] a, int[] b) {
        if (!Arrays.equals(a, b)) {
            throw new IllegalArgumentException(op + ": shapes differ: " + Arrays.toString(a) + " vs "
                    + Arrays.toString(b));
        }
    }

    /** {@code requested} with a single -1 replaced so that the sizes agree; throws if they cannot. */
    public static int[] inferShape(String op, int[] current, int[] requested) {
        int[] target = requested.clone();
        int have = size(op, current);
        int infer = -1;
        long known = 1;
        for (int d = 0; d < target.length; d++) {
            if (target[d] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException(op + ": shape " + Arrays.toString(requested)
                            + " has more than one -1");
                }
                infer = d;
            } else if (target[d] < 0) {
                throw new IllegalArgumentException(op + ": extent " + target[d] + " of dim " + d
                        + " is negative in shape " + Arrays.toString(requested));
            } else {
                known *= target[d];
            }
        }
        if (infer >= 0) {
            if (known == 0 || have % known != 0) {
                throw new IllegalArgumentException(op + ": cannot infer the -1 in " + Arrays.toString(requested)
                        + " for " + have + " elements of shape " + Arrays.toString(current));
            }
            target[infer] = (int) (have / known);
        } else if (known != have) {
            throw new IllegalArgumentException(op + ": shape " + Arrays.toString(current) + " (" + have
                    + " elements) cannot become " + Arrays.toString(requested) + " (" + known + " elements)");
        }
        return target;
    }

    /**
     * Strides under which {@code target} addresses the same elements, in the same row-major order, as
     * {@code shape}/{@code strides}; null if no such strides exist (a copy is needed).
     *
     * <p>Walks the source dimensions from the innermost out, cutting them into chunks that are contiguous with
     * each other (each dimension's stride is the next one's stride times its extent). Each chunk must be covered
     * exactly by a run of target dimensions, which then take strides counted from the chunk's innermost stride.
     */
    public static int[] reshapeStrides(int[] shape, int[] strides, int[] target) {
        int n = size("reshape", shape);
        if (n <= 1) {
            return rowMajorStrides(target);
        }
        int[] out = new int[target.length];
        int t = target.length - 1;
        long chunkBase = strides[shape.length - 1];
        long chunkElems = 1;
        long viewElems = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            chunkElems *= shape[d];
            boolean chunkEnds = d == 0 || (shape[d - 1] != 1 && strides[d - 1] != chunkElems * chunkBase);
            if (chunkEnds) {
                while (t >= 0 && (viewElems < chunkElems || target[t] == 1)) {
                    out[t] = (int) (viewElems * chunkBase);
                    viewElems *= target[t];
                    t--;
                }
                if (viewElems != chunkElems) {
                    return null;
                }
                if (d > 0) {
                    chunkBase = strides[d - 1];
                    chunkElems = 1;
                    viewElems = 1;
                }
            }
        }
        return t == -1 ? out : null;
    }
}
