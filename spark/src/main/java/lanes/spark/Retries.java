package lanes.spark;

import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Counts the task attempts that failed and were retried (an executor lost, an injected fault), by reason, so that a
 * report can say what the results survived.
 */
final class Retries extends SparkListener {
    private final Map<String, Integer> reasons = new TreeMap<>();

    /**
     * A counter listening to {@code sc}.
     *
     * @param sc the context
     * @return the counter
     */
    static Retries on(JavaSparkContext sc) {
        Retries r = new Retries();
        sc.sc().addSparkListener(r);
        return r;
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.taskInfo().failed() || end.taskInfo().killed()) {
            String reason = end.reason().getClass().getSimpleName().replace("$", "");
            reasons.merge(reason, 1, Integer::sum);
        }
    }

    /**
     * The failed attempts in all.
     *
     * @return the count
     */
    synchronized int count() {
        return reasons.values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * One line for a report, or an empty string where nothing failed.
     *
     * @return e.g. {@code 2 task attempt(s) failed and were retried (ExecutorLostFailure 2)}
     */
    synchronized String line() {
        if (reasons.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        reasons.forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append(' ').append(v));
        return count() + " task attempt(s) failed and were retried (" + b + "); the results are those of a run "
                + "without them";
    }
}
