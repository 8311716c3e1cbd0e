package lanes.app.studio;

import java.util.Locale;

/**
 * The loss curve of a run, kept to at most {@code capacity} points: when full, every other point is dropped and
 * points are taken half as often, so that the whole run stays in view at an even spacing.
 */
final class History {
    private final int capacity;
    private final long[] steps;
    private final double[] a;
    private final double[] b;
    private int size;
    private long every = 1;
    private long lastStep = Long.MIN_VALUE;

    History(int capacity) {
        this.capacity = capacity;
        this.steps = new long[capacity];
        this.a = new double[capacity];
        this.b = new double[capacity];
    }

    synchronized void add(long step, double first, double second) {
        if (size > 0 && step - lastStep < every) {
            return;
        }
        if (size == capacity) {
            for (int i = 0; i < capacity / 2; i++) {
                steps[i] = steps[2 * i];
                a[i] = a[2 * i];
                b[i] = b[2 * i];
            }
            size = capacity / 2;
            every *= 2;
        }
        steps[size] = step;
        a[size] = first;
        b[size++] = second;
        lastStep = step;
    }

    /** {@code {"step": [...], "train": [...], "test": [...]}}, non-finite values as null. */
    synchronized String json() {
        StringBuilder s = new StringBuilder("{\"step\": [");
        for (int i = 0; i < size; i++) {
            s.append(i == 0 ? "" : ",").append(steps[i]);
        }
        s.append("], \"train\": [");
        for (int i = 0; i < size; i++) {
            s.append(i == 0 ? "" : ",").append(num(a[i]));
        }
        s.append("], \"test\": [");
        for (int i = 0; i < size; i++) {
            s.append(i == 0 ? "" : ",").append(num(b[i]));
        }
        return s.append("]}").toString();
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.5g", v) : "null";
    }
}
