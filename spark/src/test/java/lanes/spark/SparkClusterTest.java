package lanes.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lanes' two Spark jobs on a real standalone cluster (a master and two workers, separate JVMs on loopback), held to
 * local mode bit for bit: undisturbed, with an executor killed mid-job, and with a worker gone for good.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkClusterTest {
    static final long CASES = 240;

    @TempDir
    static Path dir;
    static StandaloneCluster cluster;
    static Path tiny;
    static FuzzTotals local;

    @BeforeAll
    static void startTheClusterAndTheReference() throws Exception {
        cluster = new StandaloneCluster(dir, 2);
        tiny = TinyDigits.write(dir.resolve("tiny"), 512, 128);
        try (JavaSparkContext sc = SparkApp.context("reference", "local[2]")) {
            local = SparkFuzz.run(sc, "all", 11, CASES, 8, -1);
        }
    }

    @AfterAll
    static void stopTheCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void fuzzOnTheClusterGivesLocalModesTotals() {
        try (JavaSparkContext sc = SparkApp.context("fuzz", cluster.master())) {
            assertTrue(sc.master().startsWith("spark://"), sc.master());
            assertSame(local, SparkFuzz.run(sc, "all", 11, CASES, 8, -1));
        }
    }

    @Test
    @Order(2)
    void syncAndAverageTrainingOnTheClusterGiveLocalModesWeights() {
        for (DataParallel.Mode mode : DataParallel.Mode.values()) {
            float[] here;
            try (JavaSparkContext sc = SparkApp.context("reference", "local[2]")) {
                here = weights(DataParallel.train(sc, spec(), mode, 3, 1, 0.05f, true, DataParallel.Fault.NONE,
                        null));
            }
            try (JavaSparkContext sc = SparkApp.context("train", cluster.master())) {
                assertArrayEquals(here, weights(DataParallel.train(sc, spec(), mode, 3, 1, 0.05f, true,
                        DataParallel.Fault.NONE, null)), mode.name());
            }
        }
    }

    @Test
    @Order(3)
    void anExecutorKilledMidJobLeavesTheTotalsAndTheWeightsAsTheyWere() throws Exception {
        try (JavaSparkContext sc = SparkApp.context("fuzz", cluster.master())) {
            Retries retries = Retries.on(sc);
            CompletableFuture<FuzzTotals> run = CompletableFuture.supplyAsync(
                    () -> SparkFuzz.run(sc, "all", 11, CASES, 8, -1));
            killOnceBusy(sc, 0);
            assertSame(local, run.get());
            assertTrue(retries.count() > 0, "the killed executor's tasks were retried");
            assertTrue(retries.line().contains("ExecutorLostFailure"), retries.line());
        }
        float[] here;
        try (JavaSparkContext sc = SparkApp.context("reference", "local[2]")) {
            here = weights(DataParallel.train(sc, spec(), DataParallel.Mode.sync, 1, 2, 0.05f, true,
                    DataParallel.Fault.NONE, null));
        }
        try (JavaSparkContext sc = SparkApp.context("train", cluster.master())) {
            Retries retries = Retries.on(sc);
            CompletableFuture<float[]> run = CompletableFuture.supplyAsync(() -> weights(DataParallel.train(sc,
                    spec(), DataParallel.Mode.sync, 1, 2, 0.05f, true, DataParallel.Fault.NONE, null)));
            killOnceBusy(sc, 1);
            assertArrayEquals(here, run.get());
            assertTrue(retries.count() > 0, "the killed executor's tasks were retried");
        }
    }

    @Test
    @Order(4)
    void aWorkerThatNeverComesBackLeavesTheJobToTheOther() throws Exception {
        try (JavaSparkContext sc = SparkApp.context("fuzz", cluster.master())) {
            CompletableFuture<FuzzTotals> run = CompletableFuture.supplyAsync(
                    () -> SparkFuzz.run(sc, "all", 11, CASES, 8, -1));
            Thread.sleep(1500);
            cluster.killWorker(1);
            assertSame(local, run.get());
        }
    }

    /**
     * Executors that run other Lanes classes than the driver are one line naming them. (Executors without the Vector
     * API module cannot be made here: Spark 4.2 itself adds --add-modules=jdk.incubator.vector to every executor's
     * options; the check for them runs all the same, and local mode's test covers its message.)
     */
    @Test
    @Order(5)
    void executorsWithAnotherLanesBuildAreOneLine() {
        System.setProperty("spark.executor.extraJavaOptions", String.join(" ", Cluster.moduleOptions())
                + " -Dlanes.spark.testBuild=older");
        try (JavaSparkContext sc = SparkApp.context("checks", cluster.master())) {
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> Executors.requireVectorApi(sc));
            assertTrue(e.getMessage().contains("run other Lanes classes than this driver"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        } finally {
            System.clearProperty("spark.executor.extraJavaOptions");
        }
    }

    @Test
    @Order(6)
    void aMasterThatCannotBeReachedIsOneLineAtOnce() {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long start = System.nanoTime();
        int status;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = SparkApp.run("fuzz", "--master", "spark://127.0.0.1:1", "--cases", "10");
        } finally {
            System.setErr(old);
        }
        String line = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(1, status, line);
        assertTrue(line.contains("cannot reach the Spark master at spark://127.0.0.1:1"), line);
        assertFalse(line.contains("\n"), line);
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "no hang");
    }

    // kills an executor of worker `worker` once both executors run tasks of the job
    private static void killOnceBusy(JavaSparkContext sc, int worker) throws InterruptedException {
        long end = System.currentTimeMillis() + 30_000;
        while (java.util.Arrays.stream(sc.sc().statusTracker().getExecutorInfos())
                .mapToInt(e -> e.numRunningTasks()).sum() < 2 || !cluster.killExecutor(worker)) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("worker " + worker + "'s executor never ran a task of the job");
            }
            Thread.sleep(20);
        }
    }

    private static void assertSame(FuzzTotals expected, FuzzTotals actual) {
        assertEquals(expected.cases(), actual.cases());
        assertEquals(expected.failures(), actual.failures());
        assertEquals(CASES, actual.total());
    }

    private static TrainSpec spec() {
        return new TrainSpec(tiny.toString(), "lenet5", null, 28, 0.2, 3, 64, 2, "sgd", 0.9f, 5e-4f);
    }

    private static float[] weights(DataParallel.Result r) {
        return Worker.weights(r.worker().params);
    }
}
