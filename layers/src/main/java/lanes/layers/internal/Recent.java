package lanes.layers.internal;

/**
 * The last few values a layer derived from an input's shape (its geometry, a buffer's view of a shape), kept so
 * that a model alternating between a few batch sizes (the full batches, an epoch's last partial batch, evaluation
 * batches) derives each once and then finds it. The caller tests the entries, in a plain loop (a lambda capturing
 * the input would allocate on every call).
 *
 * <pre>
 *   for (int i = 0; i &lt; Recent.SIZE; i++) { T t = recent.get(i); if (t != null &amp;&amp; fits(t)) return t; }
 *   return recent.add(derive());           // replaces the oldest
 * </pre>
 */
public final class Recent<T> {
    /** How many values are kept: batch sizes a training run alternates between, with room to spare. */
    public static final int SIZE = 4;
    private final Object[] items = new Object[SIZE];
    private int next;

    /** Entry {@code i} (0 to SIZE - 1), or null if not filled. */
    @SuppressWarnings("unchecked")
    public T get(int i) {
        return (T) items[i];
    }

    /** Keeps {@code item} in place of the oldest entry; returns it. */
    public T add(T item) {
        items[next] = item;
        next = (next + 1) % SIZE;
        return item;
    }

    /** The kept array of length {@code n} in {@code arrays}, or a new one kept in place of the oldest. */
    public static int[] ints(Recent<int[]> arrays, int n) {
        for (int i = 0; i < SIZE; i++) {
            int[] kept = arrays.get(i);
            if (kept != null && kept.length == n) {
                return kept;
            }
        }
        return arrays.add(new int[n]);
    }

    /** Forgets every entry. */
    public void clear() {
        java.util.Arrays.fill(items, null);
        next = 0;
    }
}
