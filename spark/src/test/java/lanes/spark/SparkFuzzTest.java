package lanes.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import lanes.reference.FuzzCases;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * The fuzz job in local mode: the totals of one machine, the same after a retried fault, and the advice where the
 * executors lack the Vector API module.
 */
class SparkFuzzTest {
    @Test
    void theJobFindsWhatOneMachineFindsAndAFaultRetriedChangesNothing() {
        long seed = 40;
        long cases = 60;
        FuzzTotals one = new FuzzTotals();
        for (long s = seed; s < seed + cases; s++) {
            one = one.plus(SparkFuzz.range(FuzzCases.SUITES, s, s + 1, -1));
        }
        FuzzTotals spark;
        try (JavaSparkContext sc = SparkApp.context("test", "local[2]")) {
            spark = SparkFuzz.run(sc, "all", seed, cases, 5, -1);
            // with one attempt per task (local[2]), the injected fault ends the job: it is real
            assertThrows(SparkException.class, () -> SparkFuzz.run(sc, "all", seed, cases, 5, 1));
        }
        assertEquals(one.cases(), spark.cases());
        assertEquals(Map.of("gemm", 20L, "conv", 20L, "pool", 20L), spark.cases());
        assertEquals(one.failures(), spark.failures());
        FuzzTotals retried;
        try (JavaSparkContext sc = SparkApp.context("test", "local[2,3]")) {
            retried = SparkFuzz.run(sc, "all", seed, cases, 5, 1);
        }
        assertEquals(spark.cases(), retried.cases(), "the retried task ran its cases once");
        assertEquals(spark.failures(), retried.failures());
    }

    @Test
    void theCommandPrintsEachSuiteAndExitsZeroWhenNothingFailed() {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            status = SparkApp.run("fuzz", "--master", "local[2]", "--cases", "12", "--suite", "pool", "--seed", "3");
        } finally {
            System.setOut(old);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, printed);
        assertTrue(printed.contains("pool  12 case(s), 0 failed"), printed);
        assertTrue(printed.contains("12 case(s) in "), printed);
    }

    @Test
    void aFailureComesBackWithItsReplayCommand() {
        FuzzTotals.Failure f = new FuzzTotals.Failure("conv", 1234, "conv ... y[3] = 1.0, expected 2.0 within 1e-6");
        assertEquals("./lanes fuzz --suite all --seed 1234 --cases 1", f.replay("all"));
    }

    /** Executors without --add-modules jdk.incubator.vector: the job stops at once with the advice. */
    @Test
    void executorsWithoutTheVectorApiAreToldWhatToAdd() throws Exception {
        List<String> options = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(System.getProperty("lanes.sparkJvmOptions")))) {
            if (!line.isBlank() && !line.startsWith("--add-modules")) {
                options.add(line.trim());
            }
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "lanes.spark.SparkApp", "fuzz",
                "--master", "local[1]", "--cases", "3"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), output);
        assertTrue(output.contains("run without the Vector API module: start them with --add-modules "
                + "jdk.incubator.vector"), output);
    }
}
