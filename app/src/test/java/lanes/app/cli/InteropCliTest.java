package lanes.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import lanes.layers.io.JsonText;
import lanes.layers.io.ModelFile;
import lanes.layers.models.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lanes export}, {@code lanes import} and every command's reading of safetensors, PyTorch's included. */
class InteropCliTest {
    static final Path FIXTURES = Path.of(System.getProperty("lanes.interop", "../interop"), "fixtures");
    static final Path SCRIPT = Path.of(System.getProperty("lanes.interop", "../interop"), "python",
            "torch_interop.py");
    static final Path TEST_IMAGES = Path.of(System.getProperty("lanes.data", "../data"), "digits",
            "t10k-images-idx3-ubyte.gz");

    @TempDir
    Path dir;

    private Path lenet() throws Exception {
        Architecture arch = Architecture.forImages("lenet5", 1, 28, 28, 10);
        Path file = dir.resolve("lenet.lanes");
        ModelFile.write(file, arch, arch.build(3), Map.of("test_accuracy", "0.1"));
        return file;
    }

    @Test
    void anExportedModelPredictsAsTheOriginalAndImportsBack() throws Exception {
        Path lanes = lenet();
        Path st = dir.resolve("lenet.safetensors");
        CliTest.Run r = CliTest.lanes("export", "--model", lanes.toString(), "--format", "safetensors", "--out",
                st.toString());
        assertEquals(0, r.status(), r.all());
        assertTrue(r.out().contains("(safetensors, "), r.out());
        Path back = dir.resolve("back.lanes");
        r = CliTest.lanes("import", "--from", st.toString(), "--out", back.toString());
        assertEquals(0, r.status(), r.all());
        assertTrue(r.out().contains("61,706 parameters"), r.out());
        String first = null;
        for (Path m : List.of(lanes, st, back)) {
            Path logits = dir.resolve(m.getFileName() + ".json");
            r = CliTest.lanes("predict", "--model", m.toString(), "--limit", "4", "--logits", logits.toString(),
                    TEST_IMAGES.toString());
            assertEquals(0, r.status(), r.all());
            @SuppressWarnings("unchecked")
            List<List<Double>> rows = (List<List<Double>>) ((Map<String, Object>) JsonText.parse(
                    Files.readString(logits))).get("logits");
            assertEquals(4, rows.size());
            assertEquals(10, rows.get(0).size());
            String printed = r.out().replace(m.toString(), "MODEL") + rows;
            if (first == null) {
                first = printed;
            }
            assertEquals(first, printed, m + " predicts otherwise than " + lanes);
        }
    }

    @Test
    void aPyTorchStateDictEvaluatesWithArchAtPyTorchsAccuracy() throws Exception {
        Path torch = FIXTURES.resolve("lenet5.safetensors");
        @SuppressWarnings("unchecked")
        Map<String, Object> record = (Map<String, Object>) JsonText.parse(
                Files.readString(FIXTURES.resolve("lenet5.logits.json")));
        double accuracy = (Double) record.get("test_accuracy");
        CliTest.Run r = CliTest.lanes("eval", "--model", torch.toString(), "--arch", "lenet5");
        assertEquals(0, r.status(), r.all());
        String expected = String.format(java.util.Locale.ROOT, "test accuracy %.2f %% (%,d / 2,004)",
                100 * accuracy, Math.round(accuracy * 2004));
        assertTrue(r.out().contains(expected), "PyTorch measured " + expected + "; Lanes: " + r.out());
        Path imported = dir.resolve("torch.lanes");
        r = CliTest.lanes("import", "--from", torch.toString(), "--arch", "lenet5", "--out", imported.toString());
        assertEquals(0, r.status(), r.all());
        r = CliTest.lanes("eval", "--model", imported.toString());
        assertTrue(r.out().contains(expected), r.out());
    }

    @Test
    void anOnnxExportEvaluatesAsTheOriginalAndPyTorchsOnnxAtPyTorchsAccuracy() throws Exception {
        Path lanes = lenet();
        Path onnx = dir.resolve("lenet.onnx");
        CliTest.Run r = CliTest.lanes("export", "--model", lanes.toString(), "--format", "onnx", "--out",
                onnx.toString());
        assertEquals(0, r.status(), r.all());
        String original = CliTest.lanes("eval", "--model", lanes.toString()).out().replace(lanes.toString(), "M");
        assertEquals(original, CliTest.lanes("eval", "--model", onnx.toString()).out().replace(onnx.toString(), "M"));
        @SuppressWarnings("unchecked")
        Map<String, Object> record = (Map<String, Object>) JsonText.parse(
                Files.readString(FIXTURES.resolve("lenet5.logits.json")));
        double accuracy = (Double) record.get("test_accuracy");
        r = CliTest.lanes("eval", "--model", FIXTURES.resolve("lenet5.onnx").toString());
        assertEquals(0, r.status(), r.all());
        assertTrue(r.out().contains("(lenet5) on the embedded digits") && r.out().contains(String.format(
                java.util.Locale.ROOT, "test accuracy %.2f %%", 100 * accuracy)), r.out());
        Path unknown = dir.resolve("model.bin");           // no .onnx suffix: found out from its bytes
        Files.copy(FIXTURES.resolve("softmax.onnx"), unknown);
        r = CliTest.lanes("import", "--from", unknown.toString(), "--out", dir.resolve("s.lanes").toString());
        assertEquals(0, r.status(), r.all());
        assertTrue(r.out().contains("softmax:784-10"), r.out());
    }

    @Test
    void aFileThatIsNotWhatTheCommandNeedsIsOneLine() throws Exception {
        Path torch = FIXTURES.resolve("lenet5.safetensors");
        oneLine(CliTest.lanes("eval", "--model", torch.toString()), 1, "say which model it holds (--arch NAME)");
        oneLine(CliTest.lanes("eval", "--model", torch.toString(), "--arch", "mlp"), 1,
                "missing: 1.weight[256, 784]");
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(torch), 5000));
        oneLine(CliTest.lanes("import", "--from", cut.toString(), "--arch", "lenet5", "--out",
                dir.resolve("x.lanes").toString()), 1, "(truncated)");
        oneLine(CliTest.lanes("export", "--model", lenet().toString(), "--format", "pt", "--out",
                dir.resolve("x.pt").toString()), 2, "--format");
        Path text = dir.resolve("notes.onnx");
        Files.writeString(text, "not a model");
        oneLine(CliTest.lanes("eval", "--model", text.toString()), 1, "not an ONNX model");
        oneLine(CliTest.lanes("eval", "--model", FIXTURES.resolve("mlp.onnx").toString(), "--arch", "softmax"), 1,
                "are not those of softmax:784-10");
        oneLine(CliTest.lanes("import", "--from", torch.toString(), "--arch", "lenet5", "--input", "3x32x32",
                "--out", dir.resolve("y.lanes").toString()), 1, "lenet5 takes 1 x 28 x 28 or 3 x 28 x 28 images");
    }

    /**
     * Where /usr/bin/python3 has torch: PyTorch loads what Lanes exports (strict) and computes Lanes' logits and
     * predictions; the LeNet-5 is one that lanes train trained.
     */
    @Test
    void pyTorchLoadsWhatLanesExportsAndComputesItsLogits() throws Exception {
        assumeTrue(python("-c", "import torch, numpy") == 0, "/usr/bin/python3 with torch and numpy");
        Path rgb = dir.resolve("rgb.png");
        java.awt.image.BufferedImage im = new java.awt.image.BufferedImage(32, 32,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(4);
        for (int i = 0; i < 32 * 32; i++) {
            im.setRGB(i % 32, i / 32, random.nextInt(1 << 24));
        }
        javax.imageio.ImageIO.write(im, "png", rgb.toFile());
        for (String name : List.of("lenet5", "lenet5-classic", "mlp", "softmax", "tdnn", "alexnet", "lenet5:3")) {
            boolean colour = name.equals("alexnet") || name.equals("lenet5:3");
            Architecture arch = colour ? Architecture.forImages(name.replace(":3", ""), 3, name.equals("alexnet")
                    ? 32 : 28, name.equals("alexnet") ? 32 : 28, 6) : Architecture.forImages(name, 1, 28, 28, 10);
            String file = name.replace(':', '_');
            Path lanes = dir.resolve(file + ".lanes");
            if (name.equals("lenet5")) {                        // the one trained by lanes train, one epoch
                CliTest.Run t = CliTest.lanes("train", "--epochs", "1", "--quiet", "--save", lanes.toString(),
                        "--plot", dir.resolve("t.png").toString());
                assertEquals(0, t.status(), t.all());
            } else {
                ModelFile.write(lanes, arch, arch.build(9), Map.of());
            }
            Path st = dir.resolve(file + ".safetensors");
            Path logits = dir.resolve(file + ".json");
            assertEquals(0, CliTest.lanes("export", "--model", lanes.toString(), "--format", "safetensors", "--out",
                    st.toString()).status());
            CliTest.Run r = CliTest.lanes("predict", "--model", lanes.toString(), "--limit", "16", "--logits",
                    logits.toString(), colour ? rgb.toString() : TEST_IMAGES.toString());
            assertEquals(0, r.status(), r.all());
            assertEquals(0, python(SCRIPT.toString(), "check", "--model", st.toString(), "--logits",
                    logits.toString()), name + ": " + lastOutput);
            assertTrue(lastOutput.contains(": match"), lastOutput);
            System.out.print(lastOutput);
        }
    }

    private String lastOutput = "";

    private int python(String... args) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(python)) {
            return -1;
        }
        List<String> command = new java.util.ArrayList<>(List.of(python.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python timed out");
        lastOutput = new String(out, StandardCharsets.UTF_8);
        return p.exitValue();
    }

    private static void oneLine(CliTest.Run r, int status, String expected) {
        assertEquals(status, r.status(), r.all());
        String err = r.err().strip();
        assertTrue(err.contains(expected), "\"" + expected + "\" in: " + err);
        assertFalse(err.contains("\n"), "one line, no stack trace: " + err);
    }
}
