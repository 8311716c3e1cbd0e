package lanes.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a range of fuzz cases found: per suite the cases run and the failures, each failure with its case; two
 * totals add up ({@link #plus}) in any order to the same counts, so Spark may combine them as it likes.
 */
public final class FuzzTotals implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * One failed case.
     *
     * @param suite the suite
     * @param seed the case's seed
     * @param message what differed: the case, the element, the tolerance and the difference
     */
    public record Failure(String suite, long seed, String message) implements Serializable {
        /**
         * The command that replays this case on one machine.
         *
         * @param suites the suite option of the run ("all", or one suite)
         * @return the command line
         */
        public String replay(String suites) {
            return "./lanes fuzz --suite " + suites + " --seed " + seed + " --cases 1";
        }
    }

    final Map<String, Long> cases = new LinkedHashMap<>();
    final Map<String, Long> nanos = new LinkedHashMap<>();
    final List<Failure> failures = new ArrayList<>();

    /**
     * Counts one case.
     *
     * @param suite its suite
     * @param elapsedNanos how long it took
     * @param failure its failure, or null if it passed
     */
    void add(String suite, long elapsedNanos, Failure failure) {
        cases.merge(suite, 1L, Long::sum);
        nanos.merge(suite, elapsedNanos, Long::sum);
        if (failure != null) {
            failures.add(failure);
        }
    }

    /**
     * This and {@code other} together, in a new object.
     *
     * @param other more cases
     * @return the sum
     */
    public FuzzTotals plus(FuzzTotals other) {
        FuzzTotals t = new FuzzTotals();
        cases.forEach((k, v) -> t.cases.merge(k, v, Long::sum));
        other.cases.forEach((k, v) -> t.cases.merge(k, v, Long::sum));
        nanos.forEach((k, v) -> t.nanos.merge(k, v, Long::sum));
        other.nanos.forEach((k, v) -> t.nanos.merge(k, v, Long::sum));
        t.failures.addAll(failures);
        t.failures.addAll(other.failures);
        t.failures.sort(java.util.Comparator.comparingLong(Failure::seed));
        return t;
    }

    /**
     * The cases run per suite.
     *
     * @return suite to count
     */
    public Map<String, Long> cases() {
        return Map.copyOf(cases);
    }

    /**
     * The seconds one slot spent on a suite's cases, summed over the tasks.
     *
     * @param suite the suite
     * @return the seconds
     */
    public double seconds(String suite) {
        return nanos.getOrDefault(suite, 0L) / 1e9;
    }

    /**
     * The failures, by seed.
     *
     * @return a copy
     */
    public List<Failure> failures() {
        return List.copyOf(failures);
    }

    /**
     * All cases run.
     *
     * @return the count
     */
    public long total() {
        return cases.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The failures of one suite.
     *
     * @param suite the suite
     * @return their count
     */
    public long failed(String suite) {
        return failures.stream().filter(f -> f.suite().equals(suite)).count();
    }
}
