package lanes.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app end to end on tiny runs (train a few batches, save, eval, predict, fuzz) and its answers to bad input:
 * exit status != 0 and one clear line naming the problem, never a stack trace without --verbose.
 */
class CliTest {
    @TempDir
    static Path dir;
    static Path tiny;
    static Path model;

    /** What a run printed, and its exit status. */
    record Run(int status, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static Run lanes(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = LanesApp.run(args);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** A 256-image copy of the digits (raw IDX, not gzipped), and a LeNet-5 trained on it for 2 epochs. */
    @BeforeAll
    static void trainTiny() throws IOException {
        tiny = Files.createDirectories(dir.resolve("tiny"));
        Path digits = Path.of(System.getProperty("lanes.data", "../data"), "digits");
        for (String f : new String[] {"train-images-idx3-ubyte", "t10k-images-idx3-ubyte"}) {
            byte[] all = gunzip(digits.resolve(f + ".gz"));
            writeIdx(tiny.resolve(f), all, 16, 256 * 784, 0x803, 256, 28, 28);
        }
        for (String f : new String[] {"train-labels-idx1-ubyte", "t10k-labels-idx1-ubyte"}) {
            byte[] all = gunzip(digits.resolve(f + ".gz"));
            writeIdx(tiny.resolve(f), all, 8, 256, 0x801, 256);
        }
        model = dir.resolve("tiny.lanes");
        Run r = lanes("train", "--data", tiny.toString(), "--epochs", "2", "--batch", "32", "--quiet", "--save",
                model.toString(), "--plot", dir.resolve("tiny.png").toString(), "--json",
                dir.resolve("tiny.json").toString());
        assertEquals(0, r.status(), r.all());
    }

    static byte[] gunzip(Path p) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return in.readAllBytes();
        }
    }

    /** The first image of a raw (not gzipped) 28 x 28 IDX file as a grey PNG. */
    static void writeFirstDigit(Path idx, Path png) throws IOException {
        java.awt.image.BufferedImage im = new java.awt.image.BufferedImage(28, 28,
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        byte[] pixels = Files.readAllBytes(idx);
        for (int i = 0; i < 784; i++) {
            im.getRaster().setSample(i % 28, i / 28, 0, pixels[16 + i] & 0xff);
        }
        javax.imageio.ImageIO.write(im, "png", png.toFile());
    }

    static void writeIdx(Path p, byte[] source, int header, int bytes, int magic, int... dims) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(source, header, bytes);
        Files.write(p, b.toByteArray());
    }

    @Test
    void trainWritesAModelAPlotAndAReport() throws IOException {
        assertTrue(Files.size(model) > 60_000 * 4, "the model file holds LeNet-5's 61,706 weights");
        byte[] png = Files.readAllBytes(dir.resolve("tiny.png"));
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
        String json = Files.readString(dir.resolve("tiny.json"));
        for (String key : new String[] {"\"test_accuracy\"", "\"images_per_s\"", "\"epochs\": 2", "\"seconds\""}) {
            assertTrue(json.contains(key), key + " in " + json);
        }
    }

    @Test
    void evalReproducesTheAccuracyTrainReported() throws IOException {
        String json = Files.readString(dir.resolve("tiny.json"));
        double trained = Double.parseDouble(json.replaceAll("(?s).*?\"test_accuracy\": ([0-9.]+).*", "$1"));
        Run r = lanes("eval", "--model", model.toString(), "--data", tiny.toString());
        assertEquals(0, r.status(), r.all());
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "test accuracy %.2f %%", 100 * trained)),
                r.out() + " vs " + trained);
        assertTrue(r.out().contains("Confusion matrix"), r.out());
    }

    @Test
    void predictPrintsAClassAndItsProbabilityForIdxAndPng() throws IOException {
        Run idx = lanes("predict", "--model", model.toString(), "--limit", "2",
                tiny.resolve("t10k-images-idx3-ubyte").toString());
        assertEquals(0, idx.status(), idx.all());
        assertTrue(idx.out().matches("(?s).*\\[0\\]: class \\d, probability [01]\\.\\d{4}.*\\[1\\]: class \\d.*"),
                idx.out());
        Path png = dir.resolve("digit.png");
        writeFirstDigit(tiny.resolve("t10k-images-idx3-ubyte"), png);
        Run one = lanes("predict", "--model", model.toString(), png.toString());
        assertEquals(0, one.status(), one.all());
        assertTrue(one.out().matches("(?s).*digit\\.png: class \\d, probability [01]\\.\\d{4}.*"), one.out());
    }

    @Test
    void fuzzRunsCasesAndSaysHowManyFailed() {
        Run r = lanes("fuzz", "--cases", "30", "--seed", "7");
        assertEquals(0, r.status(), r.all());
        assertTrue(r.out().contains("30 case(s)") && r.out().contains("0 failed"), r.out());
    }

    @Test
    void aMissingFolderIsOneClearLine() {
        assertOneLineError(lanes("train", "--data", dir.resolve("nowhere").toString()), 1, "no such folder");
    }

    @Test
    void aWrongMagicNumberNamesTheFile() throws IOException {
        Path bad = copyOfTiny("magic");
        byte[] b = Files.readAllBytes(bad.resolve("train-images-idx3-ubyte"));
        b[0] = 7;
        Files.write(bad.resolve("train-images-idx3-ubyte"), b);
        assertOneLineError(lanes("train", "--data", bad.toString()), 1, "train-images-idx3-ubyte: not an IDX file");
    }

    @Test
    void truncatedImagesAreNamed() throws IOException {
        Path bad = copyOfTiny("short");
        byte[] b = Files.readAllBytes(bad.resolve("t10k-images-idx3-ubyte"));
        Files.write(bad.resolve("t10k-images-idx3-ubyte"), java.util.Arrays.copyOf(b, b.length - 100));
        assertOneLineError(lanes("eval", "--model", model.toString(), "--data", bad.toString()), 1,
                "t10k-images-idx3-ubyte: ends before");
    }

    @Test
    void labelsOutOfRangeAreNamed() throws IOException {
        Path bad = copyOfTiny("labels");
        byte[] b = Files.readAllBytes(bad.resolve("train-labels-idx1-ubyte"));
        b[8 + 5] = 42;
        Files.write(bad.resolve("train-labels-idx1-ubyte"), b);
        assertOneLineError(lanes("train", "--data", bad.toString()), 1, "label 5 is 42, outside the 10 classes");
    }

    @Test
    void aModelFileCutShortIsRefused() throws IOException {
        Path cut = dir.resolve("cut.lanes");
        byte[] b = Files.readAllBytes(model);
        Files.write(cut, java.util.Arrays.copyOf(b, b.length / 2));
        assertOneLineError(lanes("eval", "--model", cut.toString(), "--data", tiny.toString()), 1,
                "corrupted or truncated");
    }

    @Test
    void aModelFileWithOneByteFlippedIsRefused() throws IOException {
        byte[] b = Files.readAllBytes(model);
        for (int at : new int[] {9, 40, b.length / 2, b.length - 1}) {
            Path flipped = dir.resolve("flip" + at + ".lanes");
            byte[] c = b.clone();
            c[at] ^= 0x10;
            Files.write(flipped, c);
            assertOneLineError(lanes("eval", "--model", flipped.toString(), "--data", tiny.toString()), 1,
                    "corrupted or truncated");
        }
    }

    @Test
    void anUnknownModelNameIsRefused() {
        assertOneLineError(lanes("train", "--model", "resnet", "--data", tiny.toString()), 1,
                "unknown model \"resnet\"");
    }

    @Test
    void aRunResumedFromItsCheckpointEndsAsTheUnbrokenRun() throws IOException {
        Path unbroken = dir.resolve("unbroken.lanes");
        Path resumed = dir.resolve("resumed.lanes");
        Path checkpoints = dir.resolve("checkpoints");
        // a constant rate: a cosine schedule depends on --epochs, so a 2-epoch run is not the first 2 of 3
        String[] common = {"train", "--model", "mlp", "--data", tiny.toString(), "--batch", "32", "--quiet",
            "--schedule", "constant",
            "--plot", dir.resolve("p.png").toString()};
        assertEquals(0, lanes(with(common, "--epochs", "3", "--save", unbroken.toString())).status());
        assertEquals(0, lanes(with(common, "--epochs", "2", "--checkpoint-every", "2", "--checkpoint-dir",
                checkpoints.toString())).status());
        Run r = lanes(with(common, "--epochs", "3", "--resume", checkpoints.resolve("checkpoint-2.lanes").toString(),
                "--save", resumed.toString()));
        assertEquals(0, r.status(), r.all());
        assertTrue(r.out().contains("Resumed from"), r.out());
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(unbroken), Files.readAllBytes(resumed)),
                "the resumed run's model file equals the unbroken run's, byte for byte");
    }

    private static String[] with(String[] a, String... more) {
        String[] all = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, all, a.length, more.length);
        return all;
    }

    @Test
    void logisticRegressionOnTenClassesPointsToSoftmax() {
        assertOneLineError(lanes("train", "--model", "logistic", "--data", tiny.toString()), 1,
                "logistic regression is binary, for 2 classes, not 10; softmax regression is the model for 10");
    }

    @Test
    void aNegativeBatchSizeIsRefused() {
        assertOneLineError(lanes("train", "--batch", "-5", "--data", tiny.toString()), 1, "--batch -5: must be >= 1");
    }

    @Test
    void aMalformedOptionIsOneLineAndVerboseAddsTheStack() {
        assertOneLineError(lanes("train", "--epochs", "x"), 2, "'x' is not an int");
        Run verbose = lanes("--verbose", "train", "--model", "resnet", "--data", tiny.toString());
        assertEquals(1, verbose.status());
        assertTrue(verbose.err().contains("\tat "), "a stack trace with --verbose: " + verbose.err());
    }

    private static Path copyOfTiny(String name) throws IOException {
        Path copy = Files.createDirectories(dir.resolve(name));
        for (Path f : Files.list(tiny).toList()) {
            Files.copy(f, copy.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return copy;
    }

    private static void assertOneLineError(Run r, int status, String expected) {
        assertEquals(status, r.status(), r.all());
        String err = r.err().strip();
        assertTrue(err.contains(expected), "\"" + expected + "\" in: " + err);
        assertFalse(err.contains("\n"), "one line, no stack trace: " + err);
    }
}
