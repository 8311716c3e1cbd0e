package lanes.tests.layers.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import lanes.engine.Tensor;
import lanes.layers.io.ModelFile;
import lanes.layers.io.Safetensors;
import lanes.layers.io.StateDict;
import lanes.layers.models.Architecture;
import lanes.layers.nn.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Safetensors files: PyTorch's names and layouts, exact round trips, half precisions, and one clear error each. */
class SafetensorsTest {
    static final List<String> MODELS = List.of("lenet5", "lenet5-classic", "mlp", "softmax", "tdnn");

    @Test
    void everyBuiltInModelRoundTripsBitForBitAndPredictsTheSame(@TempDir Path dir) throws Exception {
        for (String name : MODELS) {
            Architecture arch = Architecture.forImages(name, 1, 28, 28, 10);
            roundTrip(dir, arch);
        }
        roundTrip(dir, Architecture.forImages("logistic", 1, 28, 28, 2));
        roundTrip(dir, Architecture.forImages("lenet5", 3, 28, 28, 6));
        roundTrip(dir, Architecture.forImages("alexnet", 3, 32, 32, 6));
    }

    private static void roundTrip(Path dir, Architecture arch) throws Exception {
        Sequential model = arch.build(11);
        Path file = dir.resolve(arch.text().replace(':', '_') + ".safetensors");
        ModelFile.writeSafetensors(file, arch, model, Map.of("test_accuracy", "0.5"));
        ModelFile.Loaded back = ModelFile.read(file);
        assertEquals(arch, back.architecture());
        assertEquals(Map.of("test_accuracy", "0.5"), back.metadata());
        Map<String, Tensor> want = StateDict.tensors(model);
        Map<String, Tensor> got = StateDict.tensors(back.model());
        assertEquals(want.keySet(), got.keySet(), arch.text());
        for (String key : want.keySet()) {
            assertArrayEquals(want.get(key).toArray(), got.get(key).toArray(), arch + " " + key);
        }
        int[] in = arch.input();
        Tensor x = images(3, 3, in[0], in[1], in[2]);
        assertArrayEquals(model.forward(x).toArray(), back.model().forward(x).toArray(), arch.text());
    }

    @Test
    void namesAndLayoutsArePyTorchsStateDictOfTheSameSequential() {
        Map<String, Tensor> lenet = StateDict.tensors(Architecture.forImages("lenet5", 1, 28, 28, 10).build(1));
        assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "9.weight", "9.bias",
                "11.weight", "11.bias"), List.copyOf(lenet.keySet()));
        assertArrayEquals(new int[] {6, 1, 5, 5}, lenet.get("0.weight").shape());          // OIHW
        assertArrayEquals(new int[] {120, 400}, lenet.get("7.weight").shape());            // [out, in]
        Map<String, Tensor> tdnn = StateDict.tensors(Architecture.forImages("tdnn", 1, 28, 28, 10).build(1));
        assertEquals(List.of("1.0.weight", "1.0.bias", "1.2.weight", "1.2.bias", "1.6.weight", "1.6.bias"),
                List.copyOf(tdnn.keySet()));
        assertArrayEquals(new int[] {64, 28, 5}, tdnn.get("1.0.weight").shape());
    }

    @Test
    void halfAndBfloat16AreConvertedExactly() throws Exception {
        float[] values = {0f, -0f, 1f, -2.5f, 65504f, 6.1035156e-5f, 5.9604645e-8f, 0.333251953125f};
        ByteBuffer f16 = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer bf16 = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            f16.putShort(Float.floatToFloat16(v));
            bf16.putShort((short) (Float.floatToRawIntBits(v) >>> 16));
        }
        byte[] file = file("{\"h\":{\"dtype\":\"F16\",\"shape\":[2,4],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[8],\"data_offsets\":[16,32]}}", concat(f16.array(), bf16.array()));
        Safetensors.Contents c = Safetensors.parse("t", file);
        assertArrayEquals(values, c.tensors().get("h").toArray());
        assertArrayEquals(new int[] {2, 4}, c.tensors().get("h").shape());
        for (int i = 0; i < values.length; i++) {
            float truncated = Float.intBitsToFloat(Float.floatToRawIntBits(values[i]) & 0xffff0000);
            assertEquals(truncated, c.tensors().get("b").toArray()[i], "bf16 element " + i);
        }
    }

    @Test
    void aMalformedFileGetsOneErrorThatSaysWhatIsWrong() {
        String f32 = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        byte[] eight = new byte[8];
        expect("truncated: 5 bytes", new byte[5]);
        expect("header length is 1000", header(1000, "{}"));
        expect("not valid JSON", file("{\"a\":", eight));
        expect("does not start with '{'", file("[1]", eight));
        expect("has dtype F64; Lanes reads F32, F16 and BF16",
                file("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", eight));
        expect("span 8 bytes but shape [3] of F32 needs 12",
                file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", eight));
        expect("cover 8 bytes of data but the file has 12 (trailing bytes)", file(f32, new byte[12]));
        expect("cover 8 bytes of data but the file has 4 (truncated)", file(f32, new byte[4]));
        expect("starts at byte 8 of the data, leaving a gap after byte 4",
                file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", new byte[12]));
        expect("overlapping the tensor before it",
                file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", eight));
        expect("the key \"a\" appears twice", file("{\"a\":{},\"a\":{}}", eight));
        expect("has an unknown field \"strides\"",
                file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"strides\":[1]}}", eight));
        expect("shape holds -1.0, not a whole number >= 0",
                file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,8]}}", eight));
        expect("metadata \"n\" is not a string", file("{\"__metadata__\":{\"n\":1}}", new byte[0]));
    }

    @Test
    void aFileThatDoesNotFitTheModelNamesTheTensors(@TempDir Path dir) throws Exception {
        Architecture arch = Architecture.forImages("softmax", 1, 28, 28, 10);
        Path file = dir.resolve("m.safetensors");
        ModelFile.writeSafetensors(file, arch, arch.build(1), Map.of());
        IOException e = assertThrows(IOException.class,
                () -> ModelFile.readSafetensors(file, Architecture.forImages("mlp", 1, 28, 28, 10)));
        assertTrue(e.getMessage().contains("missing: 3.weight[128, 256]"), e.getMessage());
        e = assertThrows(IOException.class,
                () -> ModelFile.readSafetensors(file, Architecture.forImages("softmax", 1, 28, 28, 5)));
        assertTrue(e.getMessage().contains("tensor 1.weight has shape [10, 784] where the model has [5, 784]"),
                e.getMessage());
        Path bare = dir.resolve("bare.safetensors");
        Safetensors.write(bare, Map.of(), StateDict.tensors(arch.build(1)));
        e = assertThrows(IOException.class, () -> ModelFile.read(bare));
        assertTrue(e.getMessage().contains("say which model it holds"), e.getMessage());
        assertEquals(arch, ModelFile.readSafetensors(bare, arch).architecture());
        Map<String, Tensor> nan = StateDict.tensors(arch.build(1));
        nan.get("1.bias").set(Float.NaN, 3);
        Safetensors.write(bare, Map.of(), nan);
        e = assertThrows(IOException.class, () -> ModelFile.readSafetensors(bare, arch));
        assertTrue(e.getMessage().contains("tensor 1.bias element 3 is NaN"), e.getMessage());
    }

    @Test
    void everyCutAndEveryCorruptedHeaderByteFailsCleanlyOrLoadsTheSameShapes(@TempDir Path dir) throws Exception {
        Architecture arch = Architecture.forImages("mlp", 1, 4, 4, 3);        // mlp:16-256-128-3
        Path file = dir.resolve("m.safetensors");
        ModelFile.writeSafetensors(file, arch, arch.build(2), Map.of());
        byte[] good = Files.readAllBytes(file);
        int headerEnd = 8 + (int) ByteBuffer.wrap(good, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Random r = new Random(5);
        for (int trial = 0; trial < 400; trial++) {
            byte[] bad;
            String what;
            if (trial % 2 == 0) {
                int cut = trial < 200 ? trial / 2 * headerEnd / 100 : r.nextInt(good.length);
                bad = java.util.Arrays.copyOf(good, cut);
                what = "cut at " + cut;
            } else {
                bad = good.clone();
                int at = r.nextInt(headerEnd);
                bad[at] = (byte) r.nextInt(256);
                what = "byte " + at + " set to " + bad[at];
            }
            Path f = dir.resolve("bad");
            Files.write(f, bad);
            try {
                ModelFile.Loaded l = ModelFile.read(f);
                assertEquals(StateDict.tensors(arch.build(0)).keySet(), StateDict.tensors(l.model()).keySet(), what);
            } catch (IOException expected) {
                assertTrue(expected.getMessage().startsWith(f.toString()), what + ": " + expected.getMessage());
            } catch (RuntimeException e) {
                fail(what + " threw " + e + " instead of an IOException");
            }
        }
    }

    /** {@code n} images of {@code shape} with pixels in [0, 1), drawn from {@code seed}. */
    static Tensor images(int n, long seed, int... shape) {
        Random r = new Random(seed);
        int[] s = new int[shape.length + 1];
        s[0] = n;
        System.arraycopy(shape, 0, s, 1, shape.length);
        Tensor x = Tensor.zeros(s);
        float[] v = x.data();
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat();
        }
        return x;
    }

    private static void expect(String message, byte[] bytes) {
        IOException e = assertThrows(IOException.class, () -> Safetensors.parse("f.safetensors", bytes));
        assertTrue(e.getMessage().startsWith("f.safetensors: ") && e.getMessage().contains(message),
                "expected \"" + message + "\" in: " + e.getMessage());
    }

    static byte[] file(String json, byte[] data) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        return concat(header(h.length, ""), concat(h, data));
    }

    private static byte[] header(long n, String rest) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(n);
        return concat(b.array(), rest.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
