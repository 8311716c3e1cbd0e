package lanes.spark;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import lanes.engine.VectorApi;
import org.apache.spark.api.java.JavaSparkContext;

/** Checks, before any real work, that the executors' JVMs can run Lanes: a job of one tiny task per slot. */
final class Executors {
    private Executors() {
    }

    /**
     * Throws, with the advice to give, if an executor lacks the Vector API module.
     *
     * @param sc the Spark context
     */
    static void requireVectorApi(JavaSparkContext sc) {
        int slots = Math.max(1, sc.defaultParallelism());
        List<Integer> tasks = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            tasks.add(i);
        }
        List<String> missing = sc.parallelize(tasks, slots)
                .map(i -> VectorApi.present() ? "" : InetAddress.getLocalHost().getHostName())
                .filter(host -> !host.isEmpty()).distinct().collect();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the executors on " + missing + " run without the Vector API module: "
                    + "start them with --add-modules jdk.incubator.vector (spark-submit --conf "
                    + "spark.executor.extraJavaOptions=\"--add-modules jdk.incubator.vector ...\"; see README)");
        }
    }
}
