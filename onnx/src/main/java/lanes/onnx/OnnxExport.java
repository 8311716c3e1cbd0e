package lanes.onnx;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lanes.engine.Tensor;
import lanes.layers.io.AtomicFile;
import lanes.layers.io.ModelFile;
import lanes.layers.io.StateDict;
import lanes.layers.models.Architecture;
import lanes.layers.nn.Activation;
import lanes.layers.nn.Conv1d;
import lanes.layers.nn.Conv2d;
import lanes.layers.nn.Flatten;
import lanes.layers.nn.Layer;
import lanes.layers.nn.Linear;
import lanes.layers.nn.Parameter;
import lanes.layers.nn.Pooling;
import lanes.layers.nn.Reshape;
import lanes.layers.nn.Sequential;
import lanes.layers.nn.Softmax;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.StringStringEntryProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;

/**
 * A Lanes model as an ONNX graph (opset {@value #OPSET}, IR version {@value #IR_VERSION}), one node per layer:
 *
 * <pre>
 *   Conv2d, Conv1d     Conv (kernel_shape, strides, pads, dilations, group), weights OIHW / OIK and bias as
 *                      initializers named as in the state_dict ("0.weight", "0.bias")
 *   Linear             Gemm (transB = 1): y = x W^T + b
 *   a fused ReLU       Relu after its Conv or Gemm
 *   Activation         Relu, Sigmoid, Tanh, LeakyRelu (alpha), Elu (alpha)
 *   Pooling            MaxPool, AveragePool (kernel_shape, strides, pads, ceil_mode, count_include_pad)
 *   Flatten            Flatten (axis 1)
 *   Reshape            Reshape to (batch, shape...)
 *   Softmax            Softmax (axis -1)
 * </pre>
 *
 * The graph's input {@code "input"} is (N, example shape...) with N free ({@code dim_param "N"}); its output
 * {@code "output"} is the model's output: logits for the built-in models, no softmax appended. Nested
 * {@code Sequential}s are laid out flat. Any other layer is refused, naming it.
 */
public final class OnnxExport {
    /** The operator set the graph uses. */
    public static final int OPSET = 13;
    /** The ONNX IR version written: that of ONNX 1.10 to 1.12, read by every current runtime. */
    public static final int IR_VERSION = 8;

    private OnnxExport() {
    }

    /**
     * Writes {@code model} of {@code architecture} as ONNX to {@code file}, atomically, with the architecture and
     * input shape in its metadata ({@link ModelFile#ARCHITECTURE}, {@link ModelFile#INPUT}) beside
     * {@code metadata}.
     *
     * @param file the file
     * @param architecture the model's architecture
     * @param model the model; not modified
     * @param metadata text entries stored as the model's metadata_props
     * @throws IOException if it cannot be written; the old file, if any, is left as it was
     * @throws IllegalArgumentException if the model has a layer ONNX export does not support, naming it
     */
    public static void write(Path file, Architecture architecture, Sequential model, Map<String, String> metadata)
            throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(ModelFile.ARCHITECTURE, architecture.text());
        StringBuilder input = new StringBuilder();
        for (int d : architecture.input()) {
            input.append(input.isEmpty() ? "" : ",").append(d);
        }
        meta.put(ModelFile.INPUT, input.toString());
        meta.putAll(metadata);
        AtomicFile.write(file, toBytes(model, architecture.input(), meta));
    }

    /**
     * The ONNX model of {@code model} for examples of {@code exampleShape}, serialised: what a {@code .onnx} file
     * holds.
     *
     * @param model the model, a {@code Sequential} or a single layer; not modified (a replica of each layer runs
     *              once to trace the shapes)
     * @param exampleShape one example's shape, without the batch
     * @param metadata text entries stored as metadata_props
     * @return the bytes of the ONNX ModelProto
     * @throws IllegalArgumentException if the model has a layer ONNX export does not support, naming it
     */
    public static byte[] toBytes(Layer model, int[] exampleShape, Map<String, String> metadata) {
        return toModel(model, exampleShape, metadata).toByteArray();
    }

    static ModelProto toModel(Layer model, int[] exampleShape, Map<String, String> metadata) {
        List<Layer> layers = model instanceof Sequential s ? s.flattened() : List.of(model);
        Map<Parameter, String> names = new java.util.IdentityHashMap<>();
        StateDict.of(model).forEach((name, p) -> names.put(p, name));
        GraphProto.Builder graph = GraphProto.newBuilder().setName("lanes");
        int[] batchShape = new int[exampleShape.length + 1];
        batchShape[0] = 1;
        System.arraycopy(exampleShape, 0, batchShape, 1, exampleShape.length);
        graph.addInput(valueInfo("input", batchShape));
        Tensor x = Tensor.zeros(batchShape);
        String in = "input";
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            String out = i == layers.size() - 1 ? "output" : "t" + i;
            Emitter e = new Emitter(graph, names, "n" + i, in, out);
            emit(l, x.rank(), e);
            x = run(l, x);
            in = out;
        }
        graph.addOutput(valueInfo("output", x.shape()));
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("lanes")
                .setProducerVersion(version()).setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        metadata.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    /** Runs one layer forward on a replica, to learn its output's shape. */
    private static Tensor run(Layer l, Tensor x) {
        Layer r;
        try {
            r = l.replica();
        } catch (UnsupportedOperationException e) {
            r = l;
        }
        return r.forward(x).copy();
    }

    private static void emit(Layer l, int rank, Emitter e) {
        boolean relu = false;
        switch (l) {
            case Conv2d c -> {
                e.node("Conv", c.weight, c.bias)
                        .ints("kernel_shape", c.kernelH, c.kernelW).ints("strides", c.strideH, c.strideW)
                        .ints("pads", c.padH, c.padW, c.padH, c.padW).ints("dilations", c.dilationH, c.dilationW)
                        .integer("group", c.groups);
                relu = c.fusedRelu();
            }
            case Conv1d c -> {
                e.node("Conv", c.weight, c.bias).ints("kernel_shape", c.kernel).ints("strides", c.stride)
                        .ints("pads", c.padding, c.padding).ints("dilations", c.dilation).integer("group", c.groups);
                relu = c.fusedRelu();
            }
            case Linear lin -> {
                if (rank != 2) {
                    throw new IllegalArgumentException("ONNX export: a Linear layer on inputs of rank " + rank
                            + "; Lanes exports Linear after Flatten (rank 2) only");
                }
                e.node("Gemm", lin.weight, lin.bias).integer("transB", 1);
                relu = lin.fusedRelu();
            }
            case Activation a -> {
                switch (a.kind) {
                    case RELU -> e.node("Relu");
                    case SIGMOID -> e.node("Sigmoid");
                    case TANH -> e.node("Tanh");
                    case LEAKY_RELU -> e.node("LeakyRelu").real("alpha", a.param);
                    case ELU -> e.node("Elu").real("alpha", a.param);
                    default -> throw new IllegalArgumentException("ONNX export: no ONNX operator for " + a.kind);
                }
            }
            case Pooling p -> {
                int[] k = new int[p.rank];
                int[] s = new int[p.rank];
                int[] pads = new int[2 * p.rank];
                Arrays.fill(k, p.kernel);
                Arrays.fill(s, p.stride);
                Arrays.fill(pads, p.padding);
                Emitter.Node n = e.node(p.max ? "MaxPool" : "AveragePool").ints("kernel_shape", k)
                        .ints("strides", s).ints("pads", pads).integer("ceil_mode", p.ceilMode ? 1 : 0);
                if (!p.max) {
                    n.integer("count_include_pad", p.countIncludePad ? 1 : 0);
                }
            }
            case Flatten f -> e.node("Flatten").integer("axis", 1);
            case Reshape r -> {
                int[] shape = r.shape();
                long[] target = new long[shape.length + 1];         // 0: the batch, copied from the input
                for (int d = 0; d < shape.length; d++) {
                    target[d + 1] = shape[d];
                }
                e.node("Reshape", e.int64(e.prefix + ".shape", target));
            }
            case Softmax s -> e.node("Softmax").integer("axis", -1);
            default -> throw new IllegalArgumentException("ONNX export: " + l.getClass().getSimpleName() + " (" + l
                    + ") has no ONNX form here; Lanes exports Conv1d, Conv2d, Linear, Activation, Pooling, "
                    + "Flatten, Reshape and Softmax");
        }
        e.finish(relu);
    }

    private static ValueInfoProto valueInfo(String name, int[] shape) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (int d = 0; d < shape.length; d++) {
            s.addDim(d == 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(shape[d]));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(s))).build();
    }

    private static String version() {
        String v = OnnxExport.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Adds one layer's nodes and initializers: its output is {@code out}, the next layer's input. */
    private static final class Emitter {
        final GraphProto.Builder graph;
        final Map<Parameter, String> names;
        final String prefix;
        String in;
        final String out;
        Node last;

        Emitter(GraphProto.Builder graph, Map<Parameter, String> names, String prefix, String in, String out) {
            this.graph = graph;
            this.names = names;
            this.prefix = prefix;
            this.in = in;
            this.out = out;
        }

        /** A node reading the current value and the parameters (null ones skipped), writing {@code out}. */
        Node node(String op, Parameter... params) {
            List<String> inputs = new ArrayList<>(List.of(in));
            for (Parameter p : params) {
                if (p != null) {
                    inputs.add(initializer(p));
                }
            }
            return node(op, inputs);
        }

        Node node(String op, String extraInput) {
            return node(op, List.of(in, extraInput));
        }

        private Node node(String op, List<String> inputs) {
            if (last != null) {
                throw new IllegalStateException("one node per layer");
            }
            NodeProto.Builder n = NodeProto.newBuilder().setName(prefix + "." + op).setOpType(op).addAllInput(inputs)
                    .addOutput(out);
            last = new Node(n);
            return last;
        }

        /**
         * Adds the layer's node; where a ReLU is fused into the layer, its node writes a temporary and a Relu node
         * writes out.
         */
        void finish(boolean relu) {
            last.finish(graph, relu ? out + ".pre_relu" : out);
            if (relu) {
                graph.addNode(NodeProto.newBuilder().setName(prefix + ".Relu").setOpType("Relu")
                        .addInput(out + ".pre_relu").addOutput(out));
            }
            last = null;
        }

        String initializer(Parameter p) {
            String name = names.getOrDefault(p, prefix + "." + p.name);
            float[] v = p.value.toArray();
            ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float f : v) {
                b.putFloat(f);
            }
            TensorProto.Builder t = TensorProto.newBuilder().setName(name)
                    .setDataType(TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(b.array()));
            for (int d : p.value.shape()) {
                t.addDims(d);
            }
            graph.addInitializer(t);
            return name;
        }

        String int64(String name, long[] values) {
            ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (long v : values) {
                b.putLong(v);
            }
            graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                    .addDims(values.length).setRawData(ByteString.copyFrom(b.array())));
            return name;
        }

        /** A node under construction: attributes, then added to the graph with its output. */
        final class Node {
            final NodeProto.Builder node;

            Node(NodeProto.Builder node) {
                this.node = node;
            }

            Node ints(String name, int... values) {
                AttributeProto.Builder a = AttributeProto.newBuilder().setName(name)
                        .setType(AttributeProto.AttributeType.INTS);
                for (int v : values) {
                    a.addInts(v);
                }
                node.addAttribute(a);
                return this;
            }

            Node integer(String name, long value) {
                node.addAttribute(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT)
                        .setI(value));
                return this;
            }

            Node real(String name, float value) {
                node.addAttribute(AttributeProto.newBuilder().setName(name)
                        .setType(AttributeProto.AttributeType.FLOAT).setF(value));
                return this;
            }

            void finish(GraphProto.Builder g, String output) {
                node.setOutput(0, output);
                g.addNode(node);
            }
        }
    }
}
