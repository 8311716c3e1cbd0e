package lanes.tests.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import lanes.engine.Tensor;
import lanes.layers.io.ModelFile;
import lanes.layers.models.Architecture;
import lanes.layers.nn.Sequential;
import lanes.onnx.OnnxExport;
import lanes.onnx.OnnxImport;
import lanes.onnx.OnnxModels;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX graphs import into Lanes: PyTorch's exports give PyTorch's logits, Lanes' come back bit for bit. */
class OnnxImportTest {
    static final Path FIXTURES = Path.of(System.getProperty("lanes.interop", "../interop"), "fixtures");

    @Test
    void pyTorchExportsImportAsTheirArchitectureAndGivePyTorchsLogits() throws Exception {
        Tensor probes = PyTorchFixturesTest.probes(16);
        for (String name : List.of("lenet5", "lenet5-classic", "mlp", "softmax", "logistic")) {
            PyTorchFixturesTest.Fixture f = PyTorchFixturesTest.Fixture.read(name);
            Path onnx = FIXTURES.resolve(name + ".onnx");
            ModelFile.Loaded loaded = OnnxModels.read(onnx, null);
            assertEquals(f.architecture(), loaded.architecture(), name + ": the architecture recognised");
            float[] logits = loaded.model().forward(probes).toArray();
            float[] bound = ForwardBound.of(loaded.model(), probes);
            for (int i = 0; i < logits.length; i++) {
                assertTrue(Math.abs(logits[i] - f.logits()[i]) <= bound[i], name + " element " + i + ": Lanes "
                        + logits[i] + ", PyTorch " + f.logits()[i] + ", tolerance " + bound[i]);
            }
        }
    }

    /**
     * The PyTorch graph run by ONNX Runtime one node at a time (every node's output made a graph output) against
     * each imported layer on the same input: one layer's float32 bound is tight, so a weight layout or attribute
     * taken wrongly shows here where the whole model's bound would hide it. The safetensors state_dict of the same
     * PyTorch model loads to the same weights, bit for bit.
     */
    @Test
    void everyImportedLayerComputesWhatOnnxRuntimeComputesForPyTorchsNode() throws Exception {
        Tensor probes = PyTorchFixturesTest.probes(16);
        for (String name : List.of("lenet5", "lenet5-classic", "mlp", "softmax", "logistic")) {
            ModelProto m = ModelProto.parseFrom(Files.readAllBytes(FIXTURES.resolve(name + ".onnx")));
            ModelProto.Builder all = m.toBuilder();
            List<String> outputs = new java.util.ArrayList<>();
            for (NodeProto n : m.getGraph().getNodeList()) {
                if (!List.of("Constant", "Pad", "Identity", "Dropout").contains(n.getOpType())) {
                    outputs.add(n.getOutput(0));
                }
            }
            all.getGraphBuilder().clearOutput();
            for (String o : outputs) {
                all.getGraphBuilder().addOutput(ValueInfoProto.newBuilder().setName(o).setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
            }
            Map<String, Tensor> values = OnnxExportTest.run(all.build().toByteArray(), probes);
            Sequential imported = OnnxImport.read(FIXTURES.resolve(name + ".onnx")).model();
            List<lanes.layers.nn.Layer> layers = imported.flattened();
            assertEquals(outputs.size(), layers.size(), name + ": one layer per node");
            Tensor in = probes;
            for (int i = 0; i < layers.size(); i++) {
                Sequential one = new Sequential(layers.get(i));
                Tensor torch = values.get(outputs.get(i));
                float[] lanes = one.forward(in).toArray();
                float[] bound = ForwardBound.of(one, in);
                float[] want = torch.toArray();
                assertEquals(want.length, lanes.length, name + " layer " + i);
                for (int j = 0; j < lanes.length; j++) {
                    assertTrue(Math.abs(lanes[j] - want[j]) <= bound[j], name + " layer " + i + " (" + layers.get(i)
                            + ") element " + j + ": Lanes " + lanes[j] + ", ONNX Runtime on PyTorch's node " + want[j]
                            + ", tolerance " + bound[j]);
                }
                in = torch;
            }
            PyTorchFixturesTest.Fixture f = PyTorchFixturesTest.Fixture.read(name);
            List<lanes.layers.nn.Parameter> st = ModelFile.readSafetensors(f.weights(), f.architecture()).model()
                    .parameters();
            List<lanes.layers.nn.Parameter> ox = imported.parameters();
            for (int i = 0; i < st.size(); i++) {
                assertArrayEquals(ox.get(i).value.toArray(), st.get(i).value.toArray(), name + " parameter " + i
                        + ": safetensors and ONNX of one PyTorch model");
            }
        }
    }

    @Test
    void whatLanesExportsImportsBackAndComputesTheSameBits(@TempDir Path dir) throws Exception {
        for (String name : List.of("lenet5", "lenet5-classic", "mlp", "softmax", "tdnn", "logistic", "alexnet")) {
            Architecture arch = name.equals("alexnet") ? Architecture.forImages(name, 3, 32, 32, 6)
                    : Architecture.forImages(name, 1, 28, 28, name.equals("logistic") ? 2 : 10);
            Sequential model = arch.build(21);
            Path file = dir.resolve(name + ".onnx");
            OnnxExport.write(file, arch, model, Map.of("test_accuracy", "0.25"));
            ModelFile.Loaded back = OnnxModels.read(file, null);
            assertEquals(arch, back.architecture());
            assertEquals(Map.of("test_accuracy", "0.25"), back.metadata());
            Tensor x = OnnxExportTest.input(3, arch.input(), 5);
            assertArrayEquals(model.forward(x).toArray(), back.model().forward(x).toArray(), name);
            OnnxImport.Imported raw = OnnxImport.read(file);
            assertArrayEquals(model.forward(x).toArray(), raw.model().forward(x).toArray(), name + " (library)");
        }
    }

    @Test
    void anOperatorOrAttributeOutsideTheSetIsNamed() throws Exception {
        Architecture arch = Architecture.forImages("lenet5", 1, 28, 28, 10);
        byte[] good = OnnxExport.toBytes(arch.build(1), arch.input(), Map.of());
        expect("node n0.Shape (Shape): operator Shape is not supported", edit(good, 0, n -> n.setOpType("Shape")
                .setName("n0.Shape").clearAttribute()));
        expect("attribute \"foo\" is not supported", edit(good, 0, n -> n.addAttribute(
                AttributeProto.newBuilder().setName("foo").setType(AttributeProto.AttributeType.INT).setI(1))));
        expect("pads [2, 2, 2, 1] (begin..., end...); Lanes pads each dimension the same at both ends",
                edit(good, 0, n -> setInts(n, "pads", 2, 2, 2, 1)));
        expect("auto_pad \"SAME_UPPER\"", edit(good, 0, n -> n.addAttribute(AttributeProto.newBuilder()
                .setName("auto_pad").setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8("SAME_UPPER")))));
        expect("strides [2, 1]; Lanes pools with one size in every dimension",
                edit(good, 2, n -> setInts(n, "strides", 2, 1)));
        expect("but the value before it is", edit(good, 3, n -> n.setInput(0, "input")));
        expect("is neither an initializer nor a Constant", edit(good, 0, n -> n.setInput(1, "missing")));
        expect("not an ONNX model", java.util.Arrays.copyOf(good, good.length / 2));
        ModelProto old = ModelProto.parseFrom(good).toBuilder().setOpsetImport(0,
                onnx.Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(6)).build();
        expect("opset 6 of the ONNX domain; Lanes reads opsets 7 to", old.toByteArray());
    }

    @Test
    void aGraphOfNoBuiltInArchitectureNeedsItsNameOrTheLibrary(@TempDir Path dir) throws Exception {
        Sequential custom = new Sequential(new lanes.layers.nn.Flatten(), new lanes.layers.nn.Linear(784, 7),
                lanes.layers.nn.Activation.tanh(), new lanes.layers.nn.Linear(7, 3));
        Path file = dir.resolve("custom.onnx");
        Files.write(file, OnnxExport.toBytes(custom, new int[] {1, 28, 28}, Map.of()));
        IOException e = assertThrows(IOException.class, () -> OnnxModels.read(file, null));
        assertTrue(e.getMessage().contains("are none of Lanes' built-in architectures"), e.getMessage());
        e = assertThrows(IOException.class, () -> OnnxModels.read(file,
                Architecture.forImages("mlp", 1, 28, 28, 3)));
        assertTrue(e.getMessage().contains("are not those of mlp:784-256-128-3"), e.getMessage());
        Tensor x = OnnxExportTest.input(2, new int[] {1, 28, 28}, 1);
        assertArrayEquals(custom.forward(x).toArray(), OnnxImport.read(file).model().forward(x).toArray());
    }

    private static NodeProto.Builder setInts(NodeProto.Builder n, String name, long... values) {
        for (int i = 0; i < n.getAttributeCount(); i++) {
            if (n.getAttribute(i).getName().equals(name)) {
                AttributeProto.Builder a = n.getAttribute(i).toBuilder().clearInts();
                for (long v : values) {
                    a.addInts(v);
                }
                n.setAttribute(i, a);
            }
        }
        return n;
    }

    private static byte[] edit(byte[] model, int node, UnaryOperator<NodeProto.Builder> change) throws Exception {
        ModelProto.Builder m = ModelProto.parseFrom(model).toBuilder();
        NodeProto.Builder n = m.getGraph().getNode(node).toBuilder();
        m.getGraphBuilder().setNode(node, change.apply(n));
        return m.build().toByteArray();
    }

    private static void expect(String message, byte[] bytes) {
        IOException e = assertThrows(IOException.class, () -> OnnxImport.parse("m.onnx", bytes));
        assertTrue(e.getMessage().startsWith("m.onnx: ") && e.getMessage().contains(message),
                "expected \"" + message + "\" in: " + e.getMessage());
    }
}
