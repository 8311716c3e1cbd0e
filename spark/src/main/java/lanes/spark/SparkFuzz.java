package lanes.spark;

import java.util.ArrayList;
import java.util.List;
import lanes.reference.FuzzCases;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A fuzz campaign as a Spark job: case i is seed S + i of the reference module's generators (as in
 * {@code lanes fuzz}), the range of i is cut into one range per task, and each task returns what its cases found.
 * A task that fails (its executor lost, an injected fault) is retried by Spark and runs the same cases again, so
 * the totals are those of a run without the fault.
 */
public final class SparkFuzz {
    private SparkFuzz() {
    }

    /**
     * Runs {@code cases} cases from {@code seed} in {@code tasks} tasks.
     *
     * @param sc the Spark context
     * @param suite gemm, conv, pool or all
     * @param seed the first case's seed
     * @param cases how many cases (>= 1)
     * @param tasks how many tasks (>= 1)
     * @param failFirstAttemptOf a task index whose first attempt throws (fault injection for tests), or -1
     * @return what the cases found
     */
    public static FuzzTotals run(JavaSparkContext sc, String suite, long seed, long cases, int tasks,
            int failFirstAttemptOf) {
        List<String> suites = FuzzCases.suites(suite);          // an unknown suite fails here, not in a task
        List<long[]> ranges = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            long from = cases * t / tasks;
            long to = cases * (t + 1) / tasks;
            if (to > from) {
                ranges.add(new long[] {seed + from, seed + to});
            }
        }
        return sc.parallelize(ranges, ranges.size())
                .map(r -> range(suites, r[0], r[1], failFirstAttemptOf))
                .reduce(FuzzTotals::plus);
    }

    /** Runs the cases of seeds [from, to) on this executor. */
    static FuzzTotals range(List<String> suites, long from, long to, int failFirstAttemptOf) {
        TaskContext task = TaskContext.get();
        if (task != null && task.partitionId() == failFirstAttemptOf && task.attemptNumber() == 0) {
            throw new IllegalStateException("fault injected into the first attempt of task " + failFirstAttemptOf);
        }
        FuzzTotals t = new FuzzTotals();
        for (long s = from; s < to; s++) {
            String suite = FuzzCases.suiteOf(suites, s);
            FuzzTotals.Failure failure = null;
            long start = System.nanoTime();
            try {
                FuzzCases.run(suite, s);
            } catch (RuntimeException e) {                  // a Mismatch, or a kernel that threw
                failure = new FuzzTotals.Failure(suite, s, e.getMessage() == null ? e.toString() : e.getMessage());
            }
            t.add(suite, System.nanoTime() - start, failure);
        }
        return t;
    }
}
