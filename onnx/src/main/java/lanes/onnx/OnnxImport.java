package lanes.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import lanes.engine.Tensor;
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
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.ValueInfoProto;

/**
 * An ONNX graph as a Lanes {@code Sequential}: a chain of the operators {@link OnnxExport} writes (Conv, Gemm or
 * MatMul + Add, Relu, Sigmoid, Tanh, LeakyRelu, Elu, MaxPool, AveragePool, Flatten, Reshape to a constant shape,
 * Softmax over the last axis), plus what exporters put around them that changes nothing (Identity, Dropout, a Pad
 * of zeros before an AveragePool, which becomes its padding counted in the average), with weights from the
 * graph's initializers or Constant nodes. Attributes are honoured or refused: an operator, attribute or value
 * outside this set (asymmetric padding, auto_pad, a dilated pooling, a graph that branches) gets an
 * {@link IOException} naming the node, the attribute and the value, never a model that computes something else.
 */
public final class OnnxImport {
    /** Files are refused beyond this size: a model of this engine is far smaller. */
    static final long MAX_BYTES = 1L << 30;
    /** The operator sets whose semantics of these operators this reader implements. */
    static final int MIN_OPSET = 7;
    static final int MAX_OPSET = 23;

    private OnnxImport() {
    }

    /**
     * A graph read back.
     *
     * @param model the layers, with the graph's weights
     * @param exampleShape the shape of one example (the graph input's shape without its batch dimension)
     * @param metadata the model's metadata_props
     */
    public record Imported(Sequential model, int[] exampleShape, Map<String, String> metadata) {
    }

    /**
     * Reads an ONNX file.
     *
     * @param file the file
     * @return its model
     * @throws IOException if the file cannot be read, is not ONNX, or holds something outside the supported set
     */
    public static Imported read(Path file) throws IOException {
        try {
            if (Files.isDirectory(file)) {
                throw new IOException(file + ": is a folder, not an ONNX model");
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new IOException(file + ": " + Files.size(file) + " bytes is larger than any Lanes model");
            }
            return parse(file.toString(), Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        }
    }

    /**
     * True if {@code bytes} parse as an ONNX model with a graph: a cheap test for a file of unknown format.
     *
     * @param bytes the file's bytes
     * @return true if they are an ONNX ModelProto
     */
    public static boolean looksLike(byte[] bytes) {
        try {
            ModelProto m = ModelProto.parseFrom(bytes);
            return m.hasGraph() && m.getIrVersion() > 0;
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }

    /**
     * Parses the bytes of an ONNX file; {@code source} names it in messages.
     *
     * @param source the file's name in messages
     * @param bytes the file's bytes
     * @return its model
     * @throws IOException if the bytes are not ONNX or hold something outside the supported set
     */
    public static Imported parse(String source, byte[] bytes) throws IOException {
        ModelProto m;
        try {
            m = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IOException(source + ": not an ONNX model (" + e.getMessage() + ")", e);
        }
        if (!m.hasGraph()) {
            throw new IOException(source + ": an ONNX model without a graph");
        }
        int opset = -1;
        for (OperatorSetIdProto o : m.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                opset = (int) o.getVersion();
            }
        }
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new IOException(source + ": opset " + opset + " of the ONNX domain; Lanes reads opsets "
                    + MIN_OPSET + " to " + MAX_OPSET);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        m.getMetadataPropsList().forEach(p -> metadata.put(p.getKey(), p.getValue()));
        return new Reader(source, m.getGraph(), opset).read(metadata);
    }

    /** One pass over the graph's nodes, in order, each consuming the value the one before produced. */
    private static final class Reader {
        final String source;
        final GraphProto graph;
        final int opset;
        final Map<String, TensorProto> constants = new HashMap<>();
        final List<Layer> layers = new ArrayList<>();
        String current;
        int rank;
        TensorProto pendingPad;
        String pendingPadNode;

        Reader(String source, GraphProto graph, int opset) {
            this.source = source;
            this.graph = graph;
            this.opset = opset;
        }

        Imported read(Map<String, String> metadata) throws IOException {
            for (TensorProto t : graph.getInitializerList()) {
                constants.put(t.getName(), t);
            }
            List<ValueInfoProto> inputs = new ArrayList<>();
            for (ValueInfoProto v : graph.getInputList()) {
                if (!constants.containsKey(v.getName())) {
                    inputs.add(v);
                }
            }
            if (inputs.size() != 1) {
                throw new IOException(source + ": the graph has " + inputs.size() + " inputs besides its weights; "
                        + "Lanes "
                        + "imports graphs of one input");
            }
            current = inputs.get(0).getName();
            int[] example = exampleShape(inputs.get(0));
            rank = example.length + 1;
            List<NodeProto> nodes = graph.getNodeList();
            for (int i = 0; i < nodes.size(); i++) {
                NodeProto n = nodes.get(i);
                if (n.getOpType().equals("Constant")) {
                    constant(n);
                    continue;
                }
                NodeProto next = i + 1 < nodes.size() ? nodes.get(i + 1) : null;
                if (node(n, next)) {
                    i++;                                     // MatMul + Add: the Add was folded into the Linear
                }
            }
            if (pendingPad != null) {
                throw error(pendingPadNode, "a Pad that no AveragePool follows; Lanes pads only inside pooling");
            }
            if (graph.getOutputCount() != 1 || !graph.getOutput(0).getName().equals(current)) {
                throw new IOException(source + ": the graph's output " + graph.getOutputList().stream()
                        .map(ValueInfoProto::getName).toList() + " is not the last node's output \"" + current + "\"");
            }
            Sequential model = new Sequential(layers.toArray(Layer[]::new));
            int[] batch = new int[example.length + 1];
            batch[0] = 1;
            System.arraycopy(example, 0, batch, 1, example.length);
            try {
                model.replica().forward(Tensor.zeros(batch));
            } catch (IllegalArgumentException e) {
                throw new IOException(source + ": the layers do not fit inputs of " + Arrays.toString(example) + ": "
                        + e.getMessage(), e);
            }
            return new Imported(model, example, metadata);
        }

        private int[] exampleShape(ValueInfoProto input) throws IOException {
            if (!input.getType().hasTensorType() || input.getType().getTensorType().getElemType()
                    != TensorProto.DataType.FLOAT_VALUE) {
                throw new IOException(source + ": input \"" + input.getName() + "\" is not a float tensor");
            }
            List<TensorShapeProto.Dimension> dims = input.getType().getTensorType().getShape().getDimList();
            if (dims.size() < 2) {
                throw new IOException(source + ": input \"" + input.getName() + "\" has rank " + dims.size()
                        + "; Lanes needs (batch, example...)");
            }
            int[] example = new int[dims.size() - 1];
            for (int d = 1; d < dims.size(); d++) {
                TensorShapeProto.Dimension dim = dims.get(d);
                if (!dim.hasDimValue() || dim.getDimValue() < 1 || dim.getDimValue() > Integer.MAX_VALUE) {
                    throw new IOException(source + ": input \"" + input.getName() + "\" dimension " + d + " is "
                            + (dim.hasDimValue() ? dim.getDimValue() : "\"" + dim.getDimParam() + "\"")
                            + "; Lanes needs every dimension but the batch fixed");
                }
                example[d - 1] = (int) dim.getDimValue();
            }
            return example;
        }

        private void constant(NodeProto n) throws IOException {
            Attributes a = new Attributes(n, Set.of("value"));
            AttributeProto v = a.get("value");
            if (v == null || !v.hasT()) {
                throw error(n, "a Constant without a tensor value");
            }
            constants.put(n.getOutput(0), v.getT());
        }

        /** Adds the layer of {@code n}; true if it also consumed {@code next}. */
        private boolean node(NodeProto n, NodeProto next) throws IOException {
            if (n.getInputCount() == 0 || !n.getInput(0).equals(current)) {
                throw error(n, "reads " + n.getInputList() + " but the value before it is \"" + current
                        + "\"; Lanes imports chains of layers, one after another");
            }
            if (n.getOutputCount() < 1) {
                throw error(n, "has no output");
            }
            boolean consumedNext;
            String op = n.getOpType();
            if (pendingPad != null && !op.equals("AveragePool")) {
                throw error(pendingPadNode, "a Pad before " + op + "; Lanes pads only inside pooling");
            }
            try {
                consumedNext = add(n, next, op);
            } catch (IllegalArgumentException e) {
                throw error(n, e.getMessage());
            }
            current = (consumedNext ? next : n).getOutput(0);
            return consumedNext;
        }

        private boolean add(NodeProto n, NodeProto next, String op) throws IOException {
            boolean consumedNext = false;
            switch (op) {
                case "Conv" -> layers.add(conv(n));
                case "Gemm" -> layers.add(gemm(n));
                case "MatMul" -> {
                    boolean add = next != null && next.getOpType().equals("Add")
                            && next.getInputList().contains(n.getOutput(0));
                    layers.add(matmul(n, add ? next : null));
                    consumedNext = add;
                }
                case "Relu" -> activation(n, Activation.relu());
                case "Sigmoid" -> activation(n, Activation.sigmoid());
                case "Tanh" -> activation(n, Activation.tanh());
                case "LeakyRelu" -> {
                    Attributes a = new Attributes(n, Set.of("alpha"));
                    layers.add(Activation.leakyRelu(a.real("alpha", 0.01f)));
                }
                case "Elu" -> {
                    Attributes a = new Attributes(n, Set.of("alpha"));
                    layers.add(Activation.elu(a.real("alpha", 1f)));
                }
                case "MaxPool", "AveragePool" -> layers.add(pool(n));
                case "Pad" -> pad(n);
                case "Flatten" -> {
                    Attributes a = new Attributes(n, Set.of("axis"));
                    long axis = a.integer("axis", 1);
                    if (axis != 1) {
                        throw error(n, "axis " + axis + "; Lanes flattens from axis 1 (all but the batch)");
                    }
                    layers.add(new Flatten());
                    rank = 2;
                }
                case "Reshape" -> layers.add(reshape(n));
                case "Softmax" -> {
                    Attributes a = new Attributes(n, Set.of("axis"));
                    long axis = a.integer("axis", opset >= 13 ? -1 : 1);
                    boolean last = axis == -1 || axis == rank - 1;
                    if (!last || (opset < 13 && rank != 2)) {
                        throw error(n, "axis " + axis + " of a rank-" + rank + " value; Lanes takes the softmax over "
                                + "the last axis");
                    }
                    layers.add(new Softmax());
                }
                case "Identity", "Dropout" -> {
                    new Attributes(n, Set.of("ratio", "seed"));     // inference: Dropout passes its input on
                }
                default -> throw error(n, "operator " + op + " is not supported; Lanes imports Conv, Gemm, MatMul"
                        + " (+ Add), Relu, Sigmoid, Tanh, LeakyRelu, Elu, MaxPool, AveragePool (a Pad before it),"
                        + " Flatten, Reshape, Softmax, Identity, Dropout");
            }
            return consumedNext;
        }

        private void activation(NodeProto n, Activation a) throws IOException {
            new Attributes(n, Set.of());
            layers.add(a);
        }

        private Layer conv(NodeProto n) throws IOException {
            Attributes a = new Attributes(n, Set.of("kernel_shape", "strides", "pads", "dilations", "group",
                    "auto_pad"));
            a.requireNotSet("auto_pad");
            Tensor w = weight(n, 1, "the weights");
            Tensor b = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? weight(n, 2, "the bias") : null;
            int spatial = w.rank() - 2;
            if (spatial != 1 && spatial != 2) {
                throw error(n, "weights of shape " + Arrays.toString(w.shape())
                        + "; Lanes has 1-D and 2-D convolution");
            }
            int[] kernel = a.ints("kernel_shape", Arrays.copyOfRange(w.shape(), 2, w.rank()), spatial);
            if (!Arrays.equals(kernel, Arrays.copyOfRange(w.shape(), 2, w.rank()))) {
                throw error(n, "kernel_shape " + Arrays.toString(kernel) + " but weights of shape "
                        + Arrays.toString(w.shape()));
            }
            int[] strides = a.ints("strides", ones(spatial), spatial);
            int[] dilations = a.ints("dilations", ones(spatial), spatial);
            int[] pads = symmetric(n, a.ints("pads", new int[2 * spatial], 2 * spatial));
            int groups = (int) a.integer("group", 1);
            int out = w.shape(0);
            int in = w.shape(1) * groups;
            if (b != null && !b.hasShape(out)) {
                throw error(n, "a bias of shape " + Arrays.toString(b.shape()) + " for " + out + " output channels");
            }
            Layer layer;
            Parameter weight;
            Parameter bias;
            if (spatial == 2) {
                Conv2d c = new Conv2d(in, out, kernel[0], kernel[1], strides[0], strides[1], pads[0], pads[1],
                        dilations[0], dilations[1], groups, b != null, 0);
                layer = c;
                weight = c.weight;
                bias = c.bias;
            } else {
                Conv1d c = new Conv1d(in, out, kernel[0], strides[0], pads[0], dilations[0], groups, b != null, 0);
                layer = c;
                weight = c.weight;
                bias = c.bias;
            }
            weight.value.copyFrom(w);
            if (b != null) {
                bias.value.copyFrom(b);
            }
            return layer;
        }

        private Layer gemm(NodeProto n) throws IOException {
            Attributes a = new Attributes(n, Set.of("alpha", "beta", "transA", "transB"));
            if (a.integer("transA", 0) != 0) {
                throw error(n, "transA = 1; Lanes multiplies the input untransposed");
            }
            if (rank != 2) {
                throw error(n, "an input of rank " + rank + "; Gemm takes matrices");
            }
            Tensor b = weight(n, 1, "B");
            if (b.rank() != 2) {
                throw error(n, "B of shape " + Arrays.toString(b.shape()));
            }
            Tensor w = a.integer("transB", 0) == 1 ? b : b.t().contiguous();       // Lanes keeps W as [out, in]
            Tensor c = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? weight(n, 2, "C") : null;
            return linear(n, w, c, a.real("alpha", 1f), a.real("beta", 1f));
        }

        private Layer matmul(NodeProto n, NodeProto add) throws IOException {
            new Attributes(n, Set.of());
            if (rank != 2) {
                throw error(n, "an input of rank " + rank + "; Lanes imports MatMul of a matrix by a weight matrix");
            }
            Tensor b = weight(n, 1, "the weight matrix");
            if (b.rank() != 2) {
                throw error(n, "a weight of shape " + Arrays.toString(b.shape()));
            }
            Tensor bias = null;
            if (add != null) {
                new Attributes(add, Set.of());
                String other = add.getInput(0).equals(n.getOutput(0)) ? add.getInput(1) : add.getInput(0);
                bias = tensor(add, other, "the bias");
            }
            return linear(n, b.t().contiguous(), bias, 1f, 1f);
        }

        /** A Linear with weights {@code w} [out, in] times alpha and bias {@code c} ([out] or [1, out]) times beta. */
        private Layer linear(NodeProto n, Tensor w, Tensor c, float alpha, float beta) throws IOException {
            int out = w.shape(0);
            int in = w.shape(1);
            if (c != null && !(c.hasShape(out) || c.hasShape(1, out))) {
                throw error(n, "a bias of shape " + Arrays.toString(c.shape()) + " for " + out + " outputs; Lanes adds"
                        + " one bias per output");
            }
            Linear l = new Linear(in, out, c != null, 0);
            float[] v = w.toArray();
            for (int i = 0; i < v.length; i++) {
                v[i] *= alpha;
            }
            l.weight.value.copyFrom(Tensor.wrap(v, out, in));
            if (c != null) {
                float[] cb = c.toArray();
                for (int i = 0; i < cb.length; i++) {
                    cb[i] *= beta;
                }
                l.bias.value.copyFrom(Tensor.wrap(cb, out));
            }
            return l;
        }

        private void pad(NodeProto n) throws IOException {
            Attributes a = new Attributes(n, Set.of("mode", "pads", "value"));
            String mode = a.string("mode", "constant");
            if (!mode.equals("constant")) {
                throw error(n, "mode \"" + mode + "\"; Lanes pads with zeros");
            }
            long[] pads;
            float value;
            if (opset < 11) {
                pads = a.longs("pads");
                value = a.real("value", 0f);
            } else {
                pads = longs(n, tensor(n, n.getInput(1), "the pads"));
                value = n.getInputCount() > 2 && !n.getInput(2).isEmpty()
                        ? tensor(n, n.getInput(2), "the constant value").toArray()[0] : 0f;
            }
            if (value != 0f) {
                throw error(n, "pads with " + value + "; Lanes pads with zeros");
            }
            if (n.getInputCount() > 3) {
                throw error(n, "pads only some axes; Lanes pads the spatial ones");
            }
            boolean any = false;
            for (long p : pads) {
                any |= p != 0;
            }
            if (!any) {
                return;                                  // a Pad of nothing: what PyTorch writes before AvgPool
            }
            TensorProto.Builder t = TensorProto.newBuilder().setDataType(TensorProto.DataType.INT64_VALUE);
            for (long p : pads) {
                t.addInt64Data(p);
            }
            pendingPad = t.build();
            pendingPadNode = n.getName().isEmpty() ? n.getOpType() : n.getName();
        }

        private Layer pool(NodeProto n) throws IOException {
            boolean max = n.getOpType().equals("MaxPool");
            Attributes a = new Attributes(n, max
                    ? Set.of("kernel_shape", "strides", "pads", "ceil_mode", "dilations", "storage_order", "auto_pad")
                    : Set.of("kernel_shape", "strides", "pads", "ceil_mode", "count_include_pad", "auto_pad"));
            a.requireNotSet("auto_pad");
            if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty()) {
                throw error(n, "a second output (the indices); Lanes pools values only");
            }
            int spatial = rank - 2;
            if (spatial != 1 && spatial != 2) {
                throw error(n, "an input of rank " + rank + "; Lanes pools over 1 or 2 dimensions");
            }
            int kernel = same(n, "kernel_shape", a.ints("kernel_shape", null, spatial));
            int stride = same(n, "strides", a.ints("strides", ones(spatial), spatial));
            if (max && same(n, "dilations", a.ints("dilations", ones(spatial), spatial)) != 1) {
                throw error(n, "dilations " + Arrays.toString(a.ints("dilations", null, spatial))
                        + "; Lanes pools without dilation");
            }
            int padding = same(n, "pads", symmetric(n, a.ints("pads", new int[2 * spatial], 2 * spatial)));
            boolean ceil = a.integer("ceil_mode", 0) == 1;
            boolean include = a.integer("count_include_pad", 0) == 1;
            if (pendingPad != null) {
                // an explicit zero Pad on the spatial axes, then the pool: the padding counts in the average
                long[] p = longs(n, tensorOf(pendingPad));
                int[] spatialPads = new int[2 * spatial];
                int r = p.length / 2;
                for (int d = 0; d < r; d++) {
                    boolean isSpatial = d >= r - spatial;
                    if (!isSpatial && (p[d] != 0 || p[d + r] != 0)) {
                        throw error(pendingPadNode, "pads the batch or channel axes: " + Arrays.toString(p));
                    }
                    if (isSpatial) {
                        spatialPads[d - (r - spatial)] = (int) p[d];
                        spatialPads[d - (r - spatial) + spatial] = (int) p[d + r];
                    }
                }
                if (max || padding != 0) {
                    throw error(n, "a Pad before it and pads of its own; Lanes has one padding per pooling");
                }
                padding = same(pendingPadNode, "pads", symmetric(n, spatialPads));
                include = true;
                pendingPad = null;
            }
            if (padding == 0) {
                include = true;                          // no padding: the two divisors are the same
            }
            if (max) {
                return spatial == 2 ? Pooling.maxPool2d(kernel, stride, padding, ceil)
                        : Pooling.maxPool1d(kernel, stride, padding, ceil);
            }
            return spatial == 2 ? Pooling.avgPool2d(kernel, stride, padding, ceil, include)
                    : Pooling.avgPool1d(kernel, stride, padding, ceil, include);
        }

        private Layer reshape(NodeProto n) throws IOException {
            new Attributes(n, Set.of("allowzero"));
            long[] shape = longs(n, tensor(n, n.getInput(1), "the shape"));
            if (shape.length < 2 || (shape[0] != 0 && shape[0] != -1)) {
                throw error(n, "to " + Arrays.toString(shape) + "; Lanes reshapes each example, keeping the batch "
                        + "(a shape that starts with 0 or -1)");
            }
            int[] example = new int[shape.length - 1];
            for (int d = 1; d < shape.length; d++) {
                if (shape[d] < -1 || shape[d] == 0 || shape[d] > Integer.MAX_VALUE) {
                    throw error(n, "to " + Arrays.toString(shape) + ": extent " + shape[d] + " of dimension " + d);
                }
                example[d - 1] = (int) shape[d];
            }
            rank = shape.length;
            return new Reshape(example);
        }

        // ---- values ---------------------------------------------------------------------------------------------

        private Tensor weight(NodeProto n, int input, String what) throws IOException {
            if (n.getInputCount() <= input) {
                throw error(n, "has no " + what);
            }
            return tensor(n, n.getInput(input), what);
        }

        private Tensor tensor(NodeProto n, String name, String what) throws IOException {
            TensorProto t = constants.get(name);
            if (t == null) {
                throw error(n, what + " \"" + name + "\" is neither an initializer nor a Constant; Lanes imports "
                        + "weights that are constants");
            }
            try {
                return tensorOf(t);
            } catch (IllegalArgumentException e) {
                throw error(n, what + " \"" + name + "\": " + e.getMessage());
            }
        }

        /** A float or int64 tensor's values as floats (int64 ones exactly, for shapes and pads). */
        private static Tensor tensorOf(TensorProto t) {
            int[] shape = new int[t.getDimsCount()];
            long count = 1;
            for (int d = 0; d < shape.length; d++) {
                long v = t.getDims(d);
                if (v < 0 || v > Integer.MAX_VALUE || (count *= v) > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("dimensions " + t.getDimsList());
                }
                shape[d] = (int) v;
            }
            if (t.hasDataLocation() && t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                throw new IllegalArgumentException("its data is in an external file; save the model with its "
                        + "weights inside");
            }
            float[] v = new float[(int) count];
            ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            switch (t.getDataType()) {
                case TensorProto.DataType.FLOAT_VALUE -> {
                    int have = t.hasRawData() ? raw.remaining() / 4 : t.getFloatDataCount();
                    if (have != v.length || (t.hasRawData() && raw.remaining() % 4 != 0)) {
                        throw new IllegalArgumentException(have + " floats for shape " + t.getDimsList());
                    }
                    for (int i = 0; i < v.length; i++) {
                        v[i] = t.hasRawData() ? raw.getFloat(4 * i) : t.getFloatData(i);
                        if (!Float.isFinite(v[i])) {
                            throw new IllegalArgumentException("element " + i + " is " + v[i]);
                        }
                    }
                }
                case TensorProto.DataType.INT64_VALUE -> {
                    int have = t.hasRawData() ? raw.remaining() / 8 : t.getInt64DataCount();
                    if (have != v.length) {
                        throw new IllegalArgumentException(have + " int64 values for shape " + t.getDimsList());
                    }
                    for (int i = 0; i < v.length; i++) {
                        long x = t.hasRawData() ? raw.getLong(8 * i) : t.getInt64Data(i);
                        if (Math.abs(x) > (1 << 24)) {
                            throw new IllegalArgumentException("element " + i + " is " + x + ", out of range");
                        }
                        v[i] = x;
                    }
                }
                default -> throw new IllegalArgumentException("data type " + TensorProto.DataType.forNumber(
                        t.getDataType()) + "; Lanes reads FLOAT weights (and INT64 shapes)");
            }
            return Tensor.wrap(v, shape);
        }

        private static long[] longs(NodeProto n, Tensor t) {
            float[] v = t.toArray();
            long[] out = new long[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = (long) v[i];
            }
            return out;
        }

        private int[] symmetric(NodeProto n, int[] pads) throws IOException {
            int s = pads.length / 2;
            int[] out = new int[s];
            for (int d = 0; d < s; d++) {
                if (pads[d] != pads[d + s] || pads[d] < 0) {
                    throw error(n, "pads " + Arrays.toString(pads) + " (begin..., end...); Lanes pads each "
                            + "dimension the same at both ends");
                }
                out[d] = pads[d];
            }
            return out;
        }

        private int same(NodeProto n, String attribute, int[] values) throws IOException {
            return same(n.getName().isEmpty() ? n.getOpType() : n.getName(), attribute, values);
        }

        private int same(String node, String attribute, int[] values) throws IOException {
            for (int v : values) {
                if (v != values[0]) {
                    throw error(node, attribute + " " + Arrays.toString(values) + "; Lanes pools with one size in "
                            + "every dimension");
                }
            }
            return values[0];
        }

        private static int[] ones(int n) {
            int[] v = new int[n];
            Arrays.fill(v, 1);
            return v;
        }

        private IOException error(NodeProto n, String what) {
            return error(n.getName().isEmpty() ? n.getOpType() : n.getName() + " (" + n.getOpType() + ")", what);
        }

        private IOException error(String node, String what) {
            return new IOException(source + ": node " + node + ": " + what);
        }

        /** A node's attributes, every one checked against those its operator takes here. */
        private final class Attributes {
            final NodeProto node;
            final Map<String, AttributeProto> byName = new HashMap<>();

            Attributes(NodeProto node, Set<String> known) throws IOException {
                this.node = node;
                Set<String> seen = new HashSet<>();
                for (AttributeProto a : node.getAttributeList()) {
                    if (!known.contains(a.getName())) {
                        throw error(node, "attribute \"" + a.getName() + "\" is not supported; Lanes reads "
                                + (known.isEmpty() ? "none" : known.stream().sorted().toList()));
                    }
                    if (!seen.add(a.getName())) {
                        throw error(node, "attribute \"" + a.getName() + "\" appears twice");
                    }
                    byName.put(a.getName(), a);
                }
            }

            AttributeProto get(String name) {
                return byName.get(name);
            }

            void requireNotSet(String name) throws IOException {
                AttributeProto a = byName.get(name);
                if (a != null && !a.getS().toStringUtf8().equals("NOTSET")) {
                    throw error(node, name + " \"" + a.getS().toStringUtf8() + "\"; Lanes needs explicit pads");
                }
            }

            long integer(String name, long otherwise) {
                AttributeProto a = byName.get(name);
                return a == null ? otherwise : a.getI();
            }

            float real(String name, float otherwise) {
                AttributeProto a = byName.get(name);
                return a == null ? otherwise : a.getF();
            }

            String string(String name, String otherwise) {
                AttributeProto a = byName.get(name);
                return a == null ? otherwise : a.getS().toStringUtf8();
            }

            long[] longs(String name) throws IOException {
                AttributeProto a = byName.get(name);
                if (a == null) {
                    throw error(node, "has no " + name);
                }
                return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
            }

            int[] ints(String name, int[] otherwise, int length) throws IOException {
                AttributeProto a = byName.get(name);
                if (a == null) {
                    if (otherwise == null) {
                        throw error(node, "has no " + name);
                    }
                    return otherwise;
                }
                if (a.getIntsCount() != length) {
                    throw error(node, name + " " + a.getIntsList() + " has " + a.getIntsCount() + " values where "
                            + length + " are needed");
                }
                int[] v = new int[length];
                for (int i = 0; i < length; i++) {
                    long x = a.getInts(i);
                    if (x < 0 || x > 1 << 20) {
                        throw error(node, name + " " + a.getIntsList() + ": " + x + " is out of range");
                    }
                    v[i] = (int) x;
                }
                return v;
            }
        }
    }
}
