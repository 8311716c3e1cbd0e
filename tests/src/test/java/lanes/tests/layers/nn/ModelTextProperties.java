package lanes.tests.layers.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import lanes.layers.io.JsonText;
import lanes.layers.models.Architecture;
import lanes.layers.models.Models;
import lanes.layers.nn.Activation;
import lanes.layers.nn.ModelText;
import lanes.layers.nn.Parameter;
import lanes.layers.nn.Reshape;
import lanes.layers.nn.Sequential;
import lanes.layers.nn.Summary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Models in PyTorch's words: every text Lanes writes reads back into the same model, every keyword is honoured,
 * sizes left out are inferred, a bad text is refused with its position, and the parameter counts and output shapes
 * are PyTorch's own (interop/fixtures/summaries.json, written by torch_interop.py summaries).
 */
class ModelTextProperties {
    static final int[] IMAGE = {1, 28, 28};

    /** A random model in PyTorch's words that fits its input, and that input: the size first, then the layers. */
    record Spec(String text, int[] input) {
        @Override
        public String toString() {
            return text + " for " + java.util.Arrays.toString(input);
        }
    }

    /** The first draw from {@code seed} on whose kernels fit the sizes that reach them. */
    static Spec spec(long seed) {
        Random seeds = new Random(seed);
        while (true) {
            Spec s = draw(new Random(seeds.nextLong()));
            try {
                ModelText.plan(s.text(), s.input());
                return s;
            } catch (IllegalArgumentException e) {
                if (!e.getMessage().contains("does not fit")) {
                    throw e;
                }
            }
        }
    }

    static Spec draw(Random r) {
        List<String> layers = new ArrayList<>();
        if (r.nextBoolean()) {
            int c = r.nextBoolean() ? 1 : 3;
            int h = 12 + r.nextInt(20);
            int w = 12 + r.nextInt(20);
            int ch = c;
            for (int i = 0, n = 1 + r.nextInt(2); i < n; i++) {
                int out = 2 * (1 + r.nextInt(4));
                int groups = ch % 2 == 0 && r.nextBoolean() ? 2 : 1;
                String k = r.nextBoolean() ? Integer.toString(1 + r.nextInt(3)) : "(" + (1 + r.nextInt(3)) + ", "
                        + (1 + r.nextInt(3)) + ")";
                layers.add("Conv2d(" + ch + ", " + out + ", " + k + (r.nextBoolean() ? ", stride=2" : "")
                        + (r.nextBoolean() ? ", padding=1" : "") + (r.nextBoolean() ? ", dilation=2" : "")
                        + (groups > 1 ? ", groups=2" : "") + (r.nextBoolean() ? ", bias=False" : "") + ")");
                layers.add(activation(r));
                if (r.nextBoolean()) {
                    layers.add((r.nextBoolean() ? "MaxPool2d(" : "AvgPool2d(") + (2 + r.nextInt(2))
                            + (r.nextBoolean() ? ", stride=1" : "") + (r.nextBoolean() ? ", ceil_mode=True" : "")
                            + ")");
                }
                ch = out;
            }
            layers.add("Flatten()");
            layers.add(r.nextBoolean() ? "Linear(10)" : "Linear(out_features=3, bias=False)");
            return new Spec(String.join(", ", layers), new int[] {c, h, w});
        }
        int c = 1 + r.nextInt(20);
        int length = 20 + r.nextInt(40);
        layers.add("Conv1d(" + (r.nextBoolean() ? c + ", " : "") + (4 + r.nextInt(8)) + ", kernel_size="
                + (1 + r.nextInt(5)) + (r.nextBoolean() ? ", dilation=2" : "") + ")");
        layers.add(activation(r));
        if (r.nextBoolean()) {
            layers.add(r.nextBoolean() ? "MaxPool1d(2)" : "AvgPool1d(3, stride=2, padding=1, "
                    + "count_include_pad=False)");
        }
        layers.add("Flatten()");
        layers.add("Linear(" + (2 + r.nextInt(5)) + ")");
        if (r.nextBoolean()) {
            layers.add("Softmax(dim=-1)");
        }
        return new Spec(String.join(", ", layers), new int[] {c, length});
    }

    static String activation(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> "ReLU()";
            case 1 -> "Tanh()";
            case 2 -> "Sigmoid()";
            case 3 -> "LeakyReLU(negative_slope=0.2)";
            default -> "ELU(alpha=0.5)";
        };
    }

    @Property(tries = 60)
    void whatAModelWritesParsesBackToTheSameModel(@ForAll long seed) {
        Spec s = spec(seed);
        Sequential model = ModelText.parse(s.text(), s.input(), 5);
        String written = model.toString();
        Sequential again = ModelText.parse(written, s.input(), 5);
        assertEquals(written, again.toString(), s.toString());
        assertEquals(written, ModelText.plan(s.text(), s.input()).text(), s.toString());
        assertSameWeights(s.toString(), model, again);
        assertEquals(ModelText.plan(written, s.input()).parameters(), model.parameters().stream()
                .mapToLong(p -> p.value.size()).sum(), s.toString());
    }

    @Example
    void everyShortNameIsItsPyTorchTextWithTheWeightsModelsGives() {
        check(Architecture.forImages("lenet5", 1, 28, 28, 10), Models.lenet5(false, 1, 10, 7));
        check(Architecture.forImages("lenet5-classic", 3, 28, 28, 6), Models.lenet5(true, 3, 6, 7));
        check(Architecture.forImages("alexnet", 3, 32, 32, 6), Models.alexnet(3, 32, 32, 6, 7));
        check(Architecture.forImages("mlp", 1, 28, 28, 10), Models.mlp(Activation::relu, 7, 784, 256, 128, 10));
        check(Architecture.forImages("logistic", 1, 28, 28, 2), Models.logisticRegression(784, 7));
        check(Architecture.forImages("tdnn", 1, 28, 28, 10), new Sequential(new Reshape(28, 28),
                Models.tdnn(28, 28, 64, 10, 7)));
    }

    private static void check(Architecture arch, Sequential expected) {
        Sequential built = arch.build(7);
        assertSameWeights(arch.text(), expected, built);
        assertEquals(ModelText.parse(built.toString(), arch.input(), 7).toString(), built.toString());
    }

    @Example
    void everyKeywordIsHonoured() {
        String text = "Conv2d(in_channels=3, out_channels=4, kernel_size=(3, 5), stride=(2, 1), padding=(1, 2), "
                + "dilation=(1, 2), groups=1, bias=False, padding_mode='zeros'), LeakyReLU(negative_slope=0.25, "
                + "inplace=True), MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, return_indices=False, "
                + "ceil_mode=True), ELU(alpha=0.5), AvgPool2d(2, stride=1, padding=1, ceil_mode=False, "
                + "count_include_pad=False), Flatten(start_dim=1, end_dim=-1), Linear(in_features=192, "
                + "out_features=2, bias=True), Softmax(dim=1)";
        ModelText.Plan p = ModelText.plan(text, 3, 16, 16);
        assertEquals("Conv2d(3, 4, kernel_size=(3, 5), stride=(2, 1), padding=(1, 2), dilation=(1, 2), bias=False), "
                + "LeakyReLU(negative_slope=0.25), MaxPool2d(3, stride=2, padding=1, ceil_mode=True), "
                + "ELU(alpha=0.5), AvgPool2d(2, stride=1, padding=1, count_include_pad=False), Flatten(), "
                + "Linear(192, 2), Softmax(dim=-1)", p.text());
        assertArrayEquals(new int[] {4, 8, 12}, p.steps().get(0).output());
        assertArrayEquals(new int[] {4, 5, 7}, p.steps().get(2).output());
        assertArrayEquals(new int[] {4, 6, 8}, p.steps().get(4).output());
        assertEquals(3 * 4 * 15 + 192 * 2 + 2, p.parameters());
        Sequential m = ModelText.parse(text, new int[] {3, 16, 16}, 1);
        assertEquals(p.text(), m.toString());
    }

    @Example
    void sizesLeftOutAreTakenFromTheInputAsLazyModulesDo() {
        assertEquals("Flatten(), Linear(784, 64), Tanh(), Linear(64, 64), Tanh(), Linear(64, 10)",
                ModelText.plan("Flatten(), Linear(64), Tanh(), Linear(64), Tanh(), Linear(10)", IMAGE).text());
        assertEquals("Conv2d(1, 6, kernel_size=5), ReLU(), Conv2d(6, 16, kernel_size=3, padding=1)",
                ModelText.plan("Conv2d(6, 5), ReLU(), Conv2d(16, kernel_size=3, padding=1)", IMAGE).text());
        assertEquals("Linear(2, 8), Tanh(), Linear(8, 2)", ModelText.plan("Linear(8), Tanh(), Linear(2)", 2).text());
    }

    @Example
    void pyTorchsReprAndSequentialAroundItRead() {
        String repr = "Sequential(\n  (0): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))\n"
                + "  (1): ReLU()\n  (2): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)\n"
                + "  (3): Flatten(start_dim=1, end_dim=-1)\n  (4): nn.Linear(in_features=1176, out_features=10, "
                + "bias=True)\n)";
        assertEquals("Conv2d(1, 6, kernel_size=5, padding=2), ReLU(), MaxPool2d(2), Flatten(), Linear(1176, 10)",
                ModelText.plan(repr, IMAGE).text());
    }

    @Example
    void aBadTextIsOneMessageWithItsPosition() {
        assertMessage("Linear(8), Tanh(, Linear(2)", 2, "at character 16", "expected an argument or ')' in Tanh");
        assertMessage("Linear(8) Tanh()", 2, "at character 10", "between layers");
        assertMessage("Dense(8)", 2, "at character 0", "unknown layer Dense", "Linear");
        assertMessage("Linear(8, bais=False)", 2, "at character 10", "no argument bais");
        assertMessage("Linear(8", 2, "at character 8", "')'");
        assertMessage("Conv2d(1, 6, 5, padding='same')", IMAGE, "padding='same'");
        assertMessage("MaxPool2d(2, return_indices=True)", IMAGE, "return_indices");
        assertMessage("", IMAGE, "empty");
    }

    @Example
    void shapesThatDoNotChainNameTheLayerAndBothShapes() {
        assertMessage("Conv2d(1, 6, 5), ReLU(), Linear(10)", IMAGE, "at character 25", "Linear", "6 x 24 x 24",
                "Flatten()");
        assertMessage("Flatten(), Linear(400, 120)", IMAGE, "at character 18", "784 features, not 400");
        assertMessage("Conv2d(3, 6, 5)", IMAGE, "1 channels", "not 3");
        assertMessage("Conv2d(1, 6, 30)", IMAGE, "does not fit inputs of 1 x 28 x 28");
        assertMessage("Linear(8)", IMAGE, "1 x 28 x 28", "Flatten()");
        assertMessage("Conv2d(2, 6, 3, groups=4)", new int[] {2, 8, 8}, "groups = 4");
    }

    @Example
    void aModelOverTheLimitIsRefusedBeforeAnythingIsAllocated() {
        long start = System.nanoTime();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Architecture("mlp:1000000-1000000", new int[] {1000000}).build(1));
        assertTrue(e.getMessage().contains("1,000,001,000,000 parameters") && e.getMessage().contains("limit"),
                e.getMessage());
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "refused at once");
        assertThrows(IllegalArgumentException.class, () -> ModelText.parse("Flatten(), Linear(10)", IMAGE, 1, 1000));
        assertEquals(7850, ModelText.parse("Flatten(), Linear(10)", IMAGE, 1, 7850).parameters().stream()
                .mapToLong(p -> p.value.size()).sum());
    }

    @Example
    @SuppressWarnings("unchecked")
    void parameterCountsAndOutputShapesArePyTorchs() throws IOException {
        Path fixture = Path.of(System.getProperty("lanes.interop", "../interop"), "fixtures", "summaries.json");
        Map<String, Object> all = (Map<String, Object>) JsonText.parse(Files.readString(fixture));
        List<Map<String, Object>> models = (List<Map<String, Object>>) all.get("models");
        assertEquals(6, models.size());
        for (Map<String, Object> m : models) {
            String text = (String) m.get("model");
            int[] input = ints((List<Object>) m.get("input"));
            Summary s = ModelText.parse(text, input, 1).summary(input);
            assertEquals(((Double) m.get("parameters")).longValue(), s.plan().parameters(), text);
            List<Object> outputs = (List<Object>) m.get("outputs");
            assertEquals(outputs.size(), s.plan().steps().size(), text);
            for (int i = 0; i < outputs.size(); i++) {
                assertArrayEquals(ints((List<Object>) outputs.get(i)), s.plan().steps().get(i).output(),
                        text + ": layer " + i + " " + s.plan().steps().get(i).text());
            }
        }
    }

    @Example
    void receptiveFieldAndJumpFollowTheLecturesRule() {
        ModelText.Plan p = ModelText.plan("Conv2d(1, 6, 5, padding=2), ReLU(), MaxPool2d(2), Conv2d(6, 16, 5), "
                + "MaxPool2d(2), Flatten(), Linear(10)", IMAGE);
        // r_out = r_in + (k - 1) j_in, j_out = j_in s
        assertArrayEquals(new int[] {5, 5}, p.steps().get(0).receptiveField());
        assertArrayEquals(new int[] {6, 6}, p.steps().get(2).receptiveField());
        assertArrayEquals(new int[] {2, 2}, p.steps().get(2).jump());
        assertArrayEquals(new int[] {14, 14}, p.steps().get(3).receptiveField());
        assertArrayEquals(new int[] {16, 16}, p.steps().get(4).receptiveField());
        assertArrayEquals(new int[] {4, 4}, p.steps().get(4).jump());
        assertEquals(0, p.steps().get(6).receptiveField().length);
        // a dense layer from 1 x 28 x 28 to 6 x 28 x 28 has 784 * 4704 weights and 4704 biases, the convolution 156
        assertEquals(784L * 4704 + 4704, Summary.denseParameters(p.steps().get(0)));
    }

    private static int[] ints(List<Object> v) {
        return v.stream().mapToInt(o -> ((Double) o).intValue()).toArray();
    }

    private static void assertSameWeights(String what, Sequential a, Sequential b) {
        List<Parameter> pa = a.parameters();
        List<Parameter> pb = b.parameters();
        assertEquals(pa.size(), pb.size(), what);
        for (int i = 0; i < pa.size(); i++) {
            assertArrayEquals(pa.get(i).value.toArray(), pb.get(i).value.toArray(), what + ": parameter " + i);
        }
    }

    private static void assertMessage(String text, Object input, String... fragments) {
        int[] shape = input instanceof int[] s ? s : new int[] {(Integer) input};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelText.parse(text, shape, 1), text);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "\"" + f + "\" in: " + e.getMessage());
        }
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
