package lanes.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import lanes.layers.io.ModelFile;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data-parallel training in local mode, held to the same loops on one machine. */
class SparkTrainTest {
    @TempDir
    static Path dir;
    static Path tiny;

    /** 512 training and 256 test digits, in MNIST's layout. */
    @BeforeAll
    static void tinyDigits() throws IOException {
        tiny = TinyDigits.write(dir.resolve("tiny"), 512, 256);
    }

    private static TrainSpec spec(int partitions, float momentum) {
        return new TrainSpec(tiny.toString(), "lenet5", null, 28, 0.2, 3, 64, partitions, "sgd", momentum, 5e-4f);
    }

    private static float[] weights(DataParallel.Result r) {
        return Worker.weights(r.worker().params);
    }

    @Test
    void syncIsTheLoopOnOneMachineBitForBitAndLargeBatchSgdWithinSummationOrder() {
        DataParallel.Result here = DataParallel.trainHere(spec(2, 0.9f), DataParallel.Mode.sync, 1, 2, 0.05f, true);
        DataParallel.Result one = DataParallel.trainHere(spec(1, 0.9f), DataParallel.Mode.sync, 1, 2, 0.05f, true);
        DataParallel.Result spark;
        try (JavaSparkContext sc = SparkApp.context("test", "local[2]")) {
            spark = DataParallel.train(sc, spec(2, 0.9f), DataParallel.Mode.sync, 1, 2, 0.05f, true,
                    DataParallel.Fault.NONE, null);
        }
        // two partitions' gradients add in either order to the same floats: the Spark run is the reference's bits
        assertArrayEquals(weights(here), weights(spark));
        // against one machine taking each global batch whole, the sums differ in order only
        float[] a = weights(spark);
        float[] b = weights(one);
        double largest = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            largest = Math.max(largest, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        System.out.printf("sync on 2 partitions vs whole batches on one machine, 16 steps: largest weight "
                + "difference %.3g (largest weight %.3g)%n", largest, scale);
        assertTrue(largest <= 1e-6 * scale, "largest weight difference " + largest + " of weights up to " + scale);
        assertEquals(one.last().accuracy(), spark.last().accuracy(), 2.0 / 256, "test accuracy");
    }

    @Test
    void averagingAfterEachStepOfPlainSgdIsSync() {
        DataParallel.Result sync = DataParallel.trainHere(spec(2, 0f), DataParallel.Mode.sync, 1, 1, 0.05f, false);
        DataParallel.Result average = DataParallel.trainHere(spec(2, 0f), DataParallel.Mode.average, 1, 1, 0.05f,
                false);
        float[] a = weights(sync);
        float[] b = weights(average);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-5 * Math.max(1, Math.abs(a[i])), "weight " + i);
        }
    }

    @Test
    void aFaultInOneTaskIsRetriedAndTheWeightsAreThoseOfARunWithout() {
        for (DataParallel.Mode mode : DataParallel.Mode.values()) {
            DataParallel.Result clean = DataParallel.trainHere(spec(2, 0.9f), mode, 2, 1, 0.05f, true);
            DataParallel.Result retried;
            try (JavaSparkContext sc = SparkApp.context("test", "local[2,3]")) {
                retried = DataParallel.train(sc, spec(2, 0.9f), mode, 2, 1, 0.05f, true,
                        new DataParallel.Fault(1, 2), null);
            }
            assertArrayEquals(weights(clean), weights(retried), mode + ": the retried task changed the weights");
        }
        try (JavaSparkContext sc = SparkApp.context("test", "local[2]")) {     // one attempt: the fault is real
            assertThrows(SparkException.class, () -> DataParallel.train(sc, spec(2, 0.9f), DataParallel.Mode.sync,
                    1, 1, 0.05f, true, new DataParallel.Fault(1, 2), null));
        }
    }

    @Test
    void theCommandReportsAndSavesAModel() throws Exception {
        Path model = dir.resolve("m.lanes");
        Path json = dir.resolve("m.json");
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            status = SparkApp.run("train", "--master", "local[2]", "--data", tiny.toString(), "--epochs", "2",
                    "--mode", "average", "--average-every", "4", "--save", model.toString(), "--json",
                    json.toString(), "--plot", dir.resolve("p.png").toString());
        } finally {
            System.setOut(old);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, printed);
        assertTrue(printed.contains("Test accuracy ") && printed.contains("images/s"), printed);
        assertEquals("lenet5", ModelFile.read(model).architecture().text());
        assertTrue(Files.readString(json).contains("\"mode\": \"average\""), Files.readString(json));
        assertTrue(Files.size(dir.resolve("p.png")) > 1000);
    }
}
