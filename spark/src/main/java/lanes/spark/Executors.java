package lanes.spark;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import lanes.engine.VectorApi;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Checks, before any real work, that the executors' JVMs can run Lanes: jobs of one tiny task per slot that look for
 * the Vector API module and compare the Lanes classes they run with the driver's.
 */
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
        String mine = fingerprint();
        List<String> other = sc.parallelize(tasks, slots)
                .map(i -> fingerprint().equals(mine) ? "" : InetAddress.getLocalHost().getHostName() + " ("
                        + fingerprint() + ")")
                .filter(host -> !host.isEmpty()).distinct().collect();
        if (!other.isEmpty()) {
            throw new IllegalStateException("the executors on " + other + " run other Lanes classes than this driver ("
                    + mine + "): remove older Lanes jars from their class path (SPARK_DIST_CLASSPATH, "
                    + "spark.executor.extraClassPath) and let the driver ship its own (spark.jars)");
        }
    }

    /**
     * The first 12 hex digits of a SHA-256 over the bytes of the classes a task runs (the engine's GEMM, the layers'
     * trainer, this module's worker) as this JVM's class loader finds them: two JVMs with the same Lanes build agree.
     */
    static String fingerprint() {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (Class<?> c : new Class<?>[] {lanes.engine.gemm.Gemm.class, lanes.layers.train.Trainer.class,
                Worker.class}) {
                try (java.io.InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
                    sha.update(in == null ? new byte[0] : in.readAllBytes());
                }
            }
            sha.update(System.getProperty("lanes.spark.testBuild", "").getBytes(
                    java.nio.charset.StandardCharsets.UTF_8));       // tests stand in another build with it
            return java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot read Lanes' own classes: " + e.getMessage(), e);
        }
    }
}
