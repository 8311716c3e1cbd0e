package lanes.engine.internal;

import java.util.Arrays;
import lanes.engine.Tensor;

/** Argument checks shared by the raw-array kernels; every message names the operation, the argument and the limit. */
public final class Checks {
    private Checks() {
    }

    /** Throws unless {@code n >= 0}. */
    public static void count(String op, String name, int n) {
        if (n < 0) {
            throw new IllegalArgumentException(op + ": " + name + " = " + n + " is negative");
        }
    }

    /**
     * Throws unless the {@code n} elements {@code a[off + i*inc]}, {@code 0 <= i < n}, are all inside {@code a}.
     * An increment of 0 (one element repeated) is allowed only where {@code zeroIncOk}, i.e. for inputs.
     */
    public static void strided(String op, String name, int n, float[] a, int off, int inc, boolean zeroIncOk) {
        count(op, "n", n);
        if (inc < (zeroIncOk ? 0 : 1)) {
            throw new IllegalArgumentException(op + ": increment of " + name + " is " + inc + ", must be >= "
                    + (zeroIncOk ? 0 : 1));
        }
        if (n == 0) {
            return;
        }
        long last = off + (long) (n - 1) * inc;
        if (off < 0 || last >= a.length) {
            throw new IndexOutOfBoundsException(op + ": " + name + " needs elements " + off + ".." + last + " (n = " + n
                    + ", offset = " + off + ", increment = " + inc + ") but its array has length " + a.length);
        }
    }

    /** The exception for tensor {@code t} (maybe null) that lacks the shape {@code expected} that spec needs. */
    public static RuntimeException shapeError(String op, String name, Tensor t, int[] expected, Object spec) {
        if (t == null) {
            return new NullPointerException(op + ": " + name + " is null; expected shape "
                    + Arrays.toString(expected) + " for " + spec);
        }
        return new IllegalArgumentException(op + ": " + name + " has shape " + Arrays.toString(t.shape())
                + " but " + spec + " needs " + Arrays.toString(expected));
    }

    /** Throws unless {@code out} shares its array with none of the inputs given (null: none). */
    public static void requireDistinct(String op, String name, Tensor out, Tensor a, Tensor b, Tensor c) {
        if ((a != null && out.sharesData(a)) || (b != null && out.sharesData(b)) || (c != null && out.sharesData(c))) {
            throw new IllegalArgumentException(op + ": output " + name + " shares its array with an input;"
                    + " outputs must not alias inputs");
        }
    }
}
