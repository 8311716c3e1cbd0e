package lanes.spark;

import org.apache.spark.TaskContext;

/** The partition the current task works on (0 outside Spark, where one machine stands for partition 0). */
final class TaskPartition {
    private static final ThreadLocal<Integer> OVERRIDE = new ThreadLocal<>();

    private TaskPartition() {
    }

    static int id() {
        Integer o = OVERRIDE.get();
        if (o != null) {
            return o;
        }
        TaskContext t = TaskContext.get();
        return t == null ? 0 : t.partitionId();
    }

    /** Runs {@code body} as partition {@code p}: the single-machine reference uses it to play every partition. */
    static <T> T as(int p, java.util.function.Supplier<T> body) {
        OVERRIDE.set(p);
        try {
            return body.get();
        } finally {
            OVERRIDE.remove();
        }
    }
}
