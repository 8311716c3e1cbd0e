package lanes.layers.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * A model in PyTorch's own words: the layers of an {@code nn.Sequential} as PyTorch writes them, read into a
 * {@link Sequential}, with the sizes PyTorch's lazy modules infer left out where the input shape gives them.
 *
 * <pre>
 *   Conv2d(1, 6, 5, padding=2), ReLU(), MaxPool2d(2), Conv2d(6, 16, 5), ReLU(), MaxPool2d(2), Flatten(),
 *   Linear(400, 120), ReLU(), Linear(120, 84), ReLU(), Linear(84, 10)
 *
 *   Flatten(), Linear(64), Tanh(), Linear(64), Tanh(), Linear(10)          in_features inferred
 * </pre>
 *
 * Layers: Linear, Conv1d, Conv2d, MaxPool1d/2d, AvgPool1d/2d, ReLU, LeakyReLU, ELU, Sigmoid, Tanh, Flatten,
 * Unflatten, Softmax and a nested Sequential, with their keyword arguments (stride, padding, dilation, groups,
 * bias, kernel_size, negative_slope, alpha, ceil_mode, count_include_pad, ...). Layers may be separated by commas or
 * new lines, may carry {@code nn.} and the {@code (0): } of PyTorch's repr, and the whole may be wrapped in
 * {@code Sequential(...)}. A text that does not parse, or whose shapes do not chain, is refused with one message
 * naming the position (0-based, in characters), the layer and what was expected; a model over the parameter
 * limit is refused before anything is allocated.
 *
 * <p>Shapes here are one example's, without the batch: {@code [1, 28, 28]} for a grey image, {@code [40, 98]} for
 * 40 features over 98 steps, {@code [2]} for a point. The parametric layers are initialised as PyTorch does, layer
 * i (counting Linear and convolution layers from 0) from {@code seed + i}, as {@code lanes.layers.models.Models}
 * builds its models.
 */
public final class ModelText {
    /** The parameter limit of {@link #parse(String, int[], long)}: 10^8 (400 MB of float32 weights). */
    public static final long MAX_PARAMETERS = 100_000_000L;

    private final String text;
    private int at;

    private ModelText(String text) {
        this.text = text;
    }

    /**
     * One layer of a planned model: what it is, and what it does to an input of the shape it gets.
     *
     * @param text the layer as PyTorch writes it, with its sizes filled in
     * @param position where it starts in the text (0-based)
     * @param depth how deep in nested {@code Sequential}s it sits (0: top level)
     * @param input the shape it takes (one example)
     * @param output the shape it gives
     * @param parameters its learned parameters, PyTorch's count
     * @param multiplyAdds multiply-adds per example of its forward pass
     * @param receptiveField per spatial dimension of the model's input, how many input positions one output
     *     position sees; empty once the spatial dimensions are flattened away
     * @param jump per spatial dimension, the step in input positions between neighbouring outputs
     */
    public record Step(String text, int position, int depth, int[] input, int[] output, long parameters,
                       long multiplyAdds, int[] receptiveField, int[] jump) {
        /**
         * Whether the layer learns parameters (Linear or a convolution).
         *
         * @return true if it has parameters
         */
        public boolean parametric() {
            return parameters > 0 || text.startsWith("Linear") || text.startsWith("Conv");
        }
    }

    /**
     * A parsed text resolved against an input shape: every layer's shapes and costs, nothing allocated.
     *
     * @param steps the layers, in order, nested ones laid flat
     * @param input the model's input shape
     * @param output the model's output shape
     * @param text the model written back as PyTorch's text, sizes filled in
     */
    public record Plan(List<Step> steps, int[] input, int[] output, String text) {
        /**
         * The parameters of all layers.
         *
         * @return PyTorch's parameter count of the model
         */
        public long parameters() {
            return steps.stream().mapToLong(Step::parameters).sum();
        }

        /**
         * The multiply-adds of one example's forward pass.
         *
         * @return the count
         */
        public long multiplyAdds() {
            return steps.stream().mapToLong(Step::multiplyAdds).sum();
        }
    }

    /** A call as written: {@code Name(positional..., key=value...)}, where it starts, and nested layers. */
    private record Call(String name, int position, List<Object> args, Map<String, Object> keywords,
                        List<Integer> argPositions, List<Call> inner) {
    }

    /** A layer resolved against its input: its step, and how to make it from a seed. */
    private record Resolved(Step step, LongFunction<Layer> make) {
    }

    /** The value None. */
    private static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    /**
     * The model {@code text} describes, for examples of {@code input}, with at most {@link #MAX_PARAMETERS}
     * parameters.
     *
     * @param text the layers in PyTorch's words
     * @param input one example's shape
     * @param seed seed of the initial weights
     * @return a new model
     * @throws IllegalArgumentException naming the position, the layer and what was expected, where the text does
     *     not parse, the shapes do not chain, or the model is over the limit
     */
    public static Sequential parse(String text, int[] input, long seed) {
        return parse(text, input, seed, MAX_PARAMETERS);
    }

    /**
     * The model {@code text} describes, refused before anything is allocated if it has more than
     * {@code maxParameters} parameters.
     *
     * @param text the layers in PyTorch's words
     * @param input one example's shape
     * @param seed seed of the initial weights
     * @param maxParameters the most parameters allowed
     * @return a new model
     * @throws IllegalArgumentException as {@link #parse(String, int[], long)}
     */
    public static Sequential parse(String text, int[] input, long seed, long maxParameters) {
        List<Call> calls = read(text);
        Plan plan = plan(text, calls, input);
        if (plan.parameters() > maxParameters) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the model has %,d parameters, more than "
                    + "the limit of %,d (%,d MB of weights); nothing was allocated", plan.parameters(), maxParameters,
                    plan.parameters() * 4 / 1_000_000));
        }
        List<Layer> layers = new ArrayList<>();
        build(calls, start(input), new long[] {seed}, layers);
        return new Sequential(layers.toArray(Layer[]::new));
    }

    /**
     * The layers of {@code text} resolved against {@code input}: shapes, parameters and multiply-adds of each,
     * nothing allocated.
     *
     * @param text the layers in PyTorch's words
     * @param input one example's shape
     * @return the plan
     * @throws IllegalArgumentException as {@link #parse(String, int[], long)}, the limit aside
     */
    public static Plan plan(String text, int... input) {
        return plan(text, read(text), input);
    }

    /**
     * Whether {@code text} is written in PyTorch's words (a layer call) rather than a short name like
     * {@code lenet5}.
     *
     * @param text a model's text
     * @return true if it holds a call such as {@code Linear(...)}
     */
    public static boolean isLayerText(String text) {
        return text.indexOf('(') >= 0;
    }

    private static Plan plan(String text, List<Call> calls, int[] input) {
        if (input.length < 1 || Arrays.stream(input).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("the input shape " + Arrays.toString(input) + " must have 1 or more"
                    + " extents, each >= 1");
        }
        List<Step> steps = new ArrayList<>();
        StringBuilder written = new StringBuilder();
        State s = planAll(calls, start(input), 0, steps, written);
        return new Plan(List.copyOf(steps), input.clone(), s.shape, written.toString());
    }

    /** The model's input: every spatial position sees itself. */
    private static State start(int[] input) {
        int[] field = new int[input.length - 1];
        Arrays.fill(field, 1);
        return new State(input.clone(), field, field.clone());
    }

    /** The shape reaching a layer, and the receptive field and jump of its spatial positions (empty: flattened). */
    private record State(int[] shape, int[] field, int[] jump) {
    }

    private static State planAll(List<Call> calls, State s, int depth, List<Step> steps, StringBuilder written) {
        for (int i = 0; i < calls.size(); i++) {
            Call c = calls.get(i);
            written.append(i == 0 ? "" : ", ");
            if (c.name.equals("Sequential")) {
                StringBuilder inner = new StringBuilder();
                s = planAll(c.inner, s, depth + 1, steps, inner);
                written.append("Sequential(").append(inner).append(')');
            } else {
                Step step = resolve(c, s, depth).step();
                steps.add(step);
                written.append(step.text);
                s = new State(step.output, step.receptiveField, step.jump);
            }
        }
        return s;
    }

    // the layers of `calls` for inputs reaching them in state `s`, into `out`; returns the state after them
    private static State build(List<Call> calls, State s, long[] seed, List<Layer> out) {
        for (Call c : calls) {
            if (c.name.equals("Sequential")) {
                List<Layer> inner = new ArrayList<>();
                s = build(c.inner, s, seed, inner);
                out.add(new Sequential(inner.toArray(Layer[]::new)));
            } else {
                Resolved r = resolve(c, s, 0);
                out.add(r.make().apply(r.step().parametric() ? seed[0]++ : 0));
                s = new State(r.step().output(), r.step().receptiveField(), r.step().jump());
            }
        }
        return s;
    }

    // ---- what each layer is -----------------------------------------------------------------------------------

    private static final Map<String, List<String>> SIGNATURES = new LinkedHashMap<>();

    static {
        SIGNATURES.put("Linear", List.of("in_features", "out_features", "bias", "device", "dtype"));
        List<String> conv = List.of("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation",
                "groups", "bias", "padding_mode", "device", "dtype");
        SIGNATURES.put("Conv1d", conv);
        SIGNATURES.put("Conv2d", conv);
        List<String> maxPool = List.of("kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode");
        SIGNATURES.put("MaxPool1d", maxPool);
        SIGNATURES.put("MaxPool2d", maxPool);
        SIGNATURES.put("AvgPool1d", List.of("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad"));
        SIGNATURES.put("AvgPool2d", List.of("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad",
                "divisor_override"));
        SIGNATURES.put("ReLU", List.of("inplace"));
        SIGNATURES.put("LeakyReLU", List.of("negative_slope", "inplace"));
        SIGNATURES.put("ELU", List.of("alpha", "inplace"));
        SIGNATURES.put("Sigmoid", List.of());
        SIGNATURES.put("Tanh", List.of());
        SIGNATURES.put("Flatten", List.of("start_dim", "end_dim"));
        SIGNATURES.put("Unflatten", List.of("dim", "unflattened_size"));
        SIGNATURES.put("Softmax", List.of("dim"));
    }

    /** The arguments of a call bound to its signature's names (positional first, then keywords). */
    private static final class Args {
        final Call call;
        final Map<String, Object> values = new LinkedHashMap<>();
        final Map<String, Integer> positions = new LinkedHashMap<>();

        Args(Call call, List<String> names) {
            this.call = call;
            if (call.args.size() > names.size()) {
                throw error(call.argPositions.get(names.size()), call.name + " takes at most " + names.size()
                        + " positional argument" + (names.size() == 1 ? "" : "s") + " " + names + ", not "
                        + call.args.size());
            }
            for (int i = 0; i < call.args.size(); i++) {
                values.put(names.get(i), call.args.get(i));
                positions.put(names.get(i), call.argPositions.get(i));
            }
            int k = call.args.size();
            for (Map.Entry<String, Object> e : call.keywords.entrySet()) {
                int where = call.argPositions.get(k++);
                if (!names.contains(e.getKey())) {
                    throw error(where, call.name + " has no argument " + e.getKey() + "; it takes " + names);
                }
                if (values.containsKey(e.getKey())) {
                    throw error(where, call.name + " is given " + e.getKey() + " twice");
                }
                values.put(e.getKey(), e.getValue());
                positions.put(e.getKey(), where);
            }
        }

        boolean has(String name) {
            return values.containsKey(name) && values.get(name) != NONE;
        }

        int where(String name) {
            return positions.getOrDefault(name, call.position);
        }

        long integer(String name, long fallback, long min) {
            if (!has(name)) {
                return fallback;
            }
            Object v = values.get(name);
            if (!(v instanceof Long n)) {
                throw error(where(name), call.name + ": " + name + " must be a whole number, not " + show(v));
            }
            if (n < min) {
                throw error(where(name), call.name + ": " + name + " = " + n + " must be >= " + min);
            }
            return n;
        }

        /** A size per spatial dimension: one number for all, or a tuple of {@code dims}. */
        int[] sizes(String name, int dims, int fallback, int min) {
            int[] out = new int[dims];
            if (!has(name)) {
                Arrays.fill(out, fallback);
                return out;
            }
            Object v = values.get(name);
            if (v instanceof Long n) {
                Arrays.fill(out, checked(name, n, min));
                return out;
            }
            if (v instanceof List<?> list && list.size() == dims) {
                for (int i = 0; i < dims; i++) {
                    if (!(list.get(i) instanceof Long n)) {
                        throw error(where(name), call.name + ": " + name + " must hold whole numbers, not "
                                + show(v));
                    }
                    out[i] = checked(name, n, min);
                }
                return out;
            }
            if (v instanceof String str) {
                throw error(where(name), call.name + ": " + name + "='" + str + "' is not taken; give it as "
                        + (dims == 1 ? "a number" : "a number or a tuple of " + dims));
            }
            throw error(where(name), call.name + ": " + name + " must be a whole number" + (dims == 1 ? ""
                    : " or a tuple of " + dims) + ", not " + show(v));
        }

        private int checked(String name, long n, int min) {
            if (n < min || n > Integer.MAX_VALUE) {
                throw error(where(name), call.name + ": " + name + " = " + n + " must be >= " + min);
            }
            return (int) n;
        }

        boolean bool(String name, boolean fallback) {
            if (!values.containsKey(name)) {
                return fallback;
            }
            Object v = values.get(name);
            if (!(v instanceof Boolean b)) {
                throw error(where(name), call.name + ": " + name + " must be True or False, not " + show(v));
            }
            return b;
        }

        float real(String name, float fallback) {
            if (!values.containsKey(name)) {
                return fallback;
            }
            Object v = values.get(name);
            double d = v instanceof Long n ? n : v instanceof Double x ? x : Double.NaN;
            if (!Double.isFinite(d)) {
                throw error(where(name), call.name + ": " + name + " must be a finite number, not " + show(v));
            }
            return (float) d;
        }

        void refuse(String name, Object allowed, String why) {
            if (values.containsKey(name) && !values.get(name).equals(allowed)) {
                throw error(where(name), call.name + ": " + name + "=" + show(values.get(name)) + " " + why);
            }
        }
    }

    private static Resolved resolve(Call c, State s, int depth) {
        List<String> names = SIGNATURES.get(c.name);
        if (names == null) {
            throw error(c.position, "unknown layer " + c.name + "; Lanes has " + String.join(", ",
                    SIGNATURES.keySet()) + " and Sequential");
        }
        Args a = new Args(c, names);
        int[] in = s.shape;
        return switch (c.name) {
            case "Linear" -> linear(a, s, depth);
            case "Conv1d", "Conv2d" -> conv(a, s, depth, c.name.equals("Conv1d") ? 1 : 2);
            case "MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d" -> pool(a, s, depth);
            case "ReLU" -> activation(a, s, depth, "ReLU()", seed -> Activation.relu());
            case "Sigmoid" -> activation(a, s, depth, "Sigmoid()", seed -> Activation.sigmoid());
            case "Tanh" -> activation(a, s, depth, "Tanh()", seed -> Activation.tanh());
            case "LeakyReLU" -> {
                float slope = a.real("negative_slope", 0.01f);
                yield activation(a, s, depth, "LeakyReLU(negative_slope=" + slope + ")",
                        seed -> Activation.leakyRelu(slope));
            }
            case "ELU" -> {
                float alpha = a.real("alpha", 1f);
                yield activation(a, s, depth, "ELU(alpha=" + alpha + ")", seed -> Activation.elu(alpha));
            }
            case "Flatten" -> flatten(a, s, depth);
            case "Unflatten" -> unflatten(a, s, depth);
            case "Softmax" -> {
                long dim = a.has("dim") ? a.integer("dim", -1, Long.MIN_VALUE) : -1;
                if (dim != -1 && dim != in.length) {
                    throw error(a.where("dim"), "Softmax(dim=" + dim + "): Lanes takes the softmax over the last "
                            + "dimension, -1 (or " + in.length + " for inputs of " + shape(in) + ")");
                }
                yield new Resolved(new Step("Softmax(dim=-1)", c.position, depth, in, in, 0, 0, s.field, s.jump),
                        seed -> new Softmax());
            }
            default -> throw new IllegalStateException(c.name);
        };
    }

    private static Resolved linear(Args a, State s, int depth) {
        Call c = a.call;
        if (c.args.size() == 1 && !c.keywords.containsKey("out_features")) {   // Linear(out): PyTorch's LazyLinear
            a.values.put("out_features", a.values.remove("in_features"));
            a.positions.put("out_features", a.positions.remove("in_features"));
        }
        if (!a.has("out_features")) {
            throw error(c.position, "Linear needs out_features: Linear(out) or Linear(in, out)");
        }
        int[] in = s.shape;
        if (in.length != 1) {
            throw error(c.position, "Linear takes one vector of features per example but gets " + shape(in)
                    + "; put Flatten() before it");
        }
        long inFeatures = a.integer("in_features", in[0], 1);
        if (inFeatures != in[0]) {
            throw error(a.where("in_features"), "Linear(" + inFeatures + ", ...): its input has " + in[0]
                    + " features, not " + inFeatures + " (leave in_features out to take the input's)");
        }
        long out = a.integer("out_features", 0, 1);
        boolean bias = a.bool("bias", true);
        a.refuse("device", NONE, "is not taken: Lanes runs on the CPU");
        a.refuse("dtype", NONE, "is not taken: Lanes computes in float32");
        long params = inFeatures * out + (bias ? out : 0);
        String text = "Linear(" + inFeatures + ", " + out + (bias ? "" : ", bias=False") + ")";
        int outputs = toInt(c, out);
        return new Resolved(new Step(text, c.position, depth, in, new int[] {outputs}, params, inFeatures * out,
                new int[0], new int[0]), seed -> new Linear(in[0], outputs, bias, seed));
    }

    private static Resolved conv(Args a, State s, int depth, int dims) {
        Call c = a.call;
        String name = c.name;
        int positional = c.args.size();
        boolean lazy = !c.keywords.containsKey("in_channels")
                && (positional <= 1 || positional == 2 && !c.keywords.containsKey("kernel_size"));
        if (lazy) {                                     // PyTorch's LazyConv: (out_channels, kernel_size, ...)
            Object first = a.values.remove("in_channels");
            Integer firstAt = a.positions.remove("in_channels");
            Object second = a.values.remove("out_channels");
            Integer secondAt = a.positions.remove("out_channels");
            if (first != null) {
                a.values.put("out_channels", first);
                a.positions.put("out_channels", firstAt);
            }
            if (second != null) {
                a.values.put("kernel_size", second);
                a.positions.put("kernel_size", secondAt);
            }
        }
        int[] in = s.shape;
        if (in.length != dims + 1) {
            throw error(c.position, name + " takes examples of " + (dims == 1 ? "(channels, length)"
                    : "(channels, height, width)") + " but gets " + shape(in) + (in.length == 1 ? "; a vector has "
                    + "no positions to convolve over" : ""));
        }
        long inChannels = a.integer("in_channels", in[0], 1);
        if (inChannels != in[0]) {
            throw error(a.where("in_channels"), name + "(" + inChannels + ", ...): its input has " + in[0]
                    + " channels (" + shape(in) + "), not " + inChannels);
        }
        if (!a.has("out_channels")) {
            throw error(c.position, name + " needs out_channels and kernel_size: " + name
                    + "(in, out, kernel_size) or " + name + "(out, kernel_size)");
        }
        long out = a.integer("out_channels", 0, 1);
        if (!a.has("kernel_size")) {
            throw error(c.position, name + " needs kernel_size");
        }
        int[] k = a.sizes("kernel_size", dims, 1, 1);
        int[] stride = a.sizes("stride", dims, 1, 1);
        int[] pad = a.sizes("padding", dims, 0, 0);
        int[] dil = a.sizes("dilation", dims, 1, 1);
        long groups = a.integer("groups", 1, 1);
        boolean bias = a.bool("bias", true);
        a.refuse("padding_mode", "zeros", "is not taken: Lanes pads with zeros");
        a.refuse("device", NONE, "is not taken: Lanes runs on the CPU");
        a.refuse("dtype", NONE, "is not taken: Lanes computes in float32");
        if (inChannels % groups != 0 || out % groups != 0) {
            throw error(a.where("groups"), name + ": groups = " + groups + " must divide both channel counts, "
                    + inChannels + " and " + out);
        }
        int[] output = new int[dims + 1];
        output[0] = toInt(c, out);
        int[] field = s.field.clone();
        int[] jump = s.jump.clone();
        long positions = 1;
        long taps = 1;
        for (int d = 0; d < dims; d++) {
            int span = dil[d] * (k[d] - 1) + 1;
            int size = (in[d + 1] + 2 * pad[d] - span) / stride[d] + 1;
            if (in[d + 1] + 2 * pad[d] < span) {
                throw error(c.position, name + ": a kernel spanning " + span + " does not fit inputs of " + shape(in)
                        + (pad[d] > 0 ? " padded by " + pad[d] : ""));
            }
            output[d + 1] = size;
            positions *= size;
            taps *= k[d];
            if (field.length == dims) {
                field[d] = field[d] + (span - 1) * jump[d];
                jump[d] = jump[d] * stride[d];
            }
        }
        long perOutput = inChannels / groups * taps;
        long params = out * perOutput + (bias ? out : 0);
        String t = name + "(" + inChannels + ", " + out + ", kernel_size=" + tuple(k) + option("stride", stride, 1)
                + option("padding", pad, 0) + option("dilation", dil, 1) + (groups > 1 ? ", groups=" + groups : "")
                + (bias ? "" : ", bias=False") + ")";
        int g = (int) groups;
        int channels = output[0];
        LongFunction<Layer> make = dims == 2
                ? seed -> new Conv2d(in[0], channels, k[0], k[1], stride[0], stride[1], pad[0], pad[1], dil[0],
                        dil[1], g, bias, seed)
                : seed -> new Conv1d(in[0], channels, k[0], stride[0], pad[0], dil[0], g, bias, seed);
        return new Resolved(new Step(t, c.position, depth, in, output, params, out * positions * perOutput,
                fieldOrEmpty(field, dims), fieldOrEmpty(jump, dims)), make);
    }

    private static Resolved pool(Args a, State s, int depth) {
        Call c = a.call;
        String name = c.name;
        boolean max = name.startsWith("Max");
        int dims = name.endsWith("1d") ? 1 : 2;
        int[] in = s.shape;
        if (in.length != dims + 1) {
            throw error(c.position, name + " takes examples of " + (dims == 1 ? "(channels, length)"
                    : "(channels, height, width)") + " but gets " + shape(in));
        }
        if (!a.has("kernel_size")) {
            throw error(c.position, name + " needs kernel_size");
        }
        int[] k = a.sizes("kernel_size", dims, 1, 1);
        int[] stride = a.has("stride") ? a.sizes("stride", dims, 1, 1) : k.clone();
        int[] pad = a.sizes("padding", dims, 0, 0);
        boolean ceil = a.bool("ceil_mode", false);
        boolean countPad = a.bool("count_include_pad", true);
        if (max) {
            a.refuse("dilation", 1L, "is not taken: Lanes pools without dilation");
            a.refuse("return_indices", false, "is not taken: the layer keeps its indices for backward");
        } else {
            a.refuse("divisor_override", NONE, "is not taken: an average divides by its window");
        }
        if (Arrays.stream(k).distinct().count() > 1 || Arrays.stream(stride).distinct().count() > 1
                || Arrays.stream(pad).distinct().count() > 1) {
            throw error(c.position, name + ": Lanes pools with one kernel size, stride and padding in every "
                    + "dimension, not " + tuple(k) + ", " + tuple(stride) + ", " + tuple(pad));
        }
        if (2 * pad[0] > k[0]) {
            throw error(a.where("padding"), name + ": padding " + pad[0] + " must be at most half the kernel size "
                    + k[0]);
        }
        int[] output = new int[dims + 1];
        output[0] = in[0];
        int[] field = s.field.clone();
        int[] jump = s.jump.clone();
        for (int d = 0; d < dims; d++) {
            int span = in[d + 1] + 2 * pad[d] - k[d];
            if (span < 0) {
                throw error(c.position, name + ": a window of " + k[d] + " does not fit inputs of " + shape(in));
            }
            int size = (ceil ? Math.ceilDiv(span, stride[d]) : span / stride[d]) + 1;
            if (ceil && (size - 1) * stride[d] >= in[d + 1] + pad[d]) {
                size--;
            }
            output[d + 1] = size;
            if (field.length == dims) {
                field[d] = field[d] + (k[d] - 1) * jump[d];
                jump[d] = jump[d] * stride[d];
            }
        }
        String t = name + "(" + k[0] + (stride[0] != k[0] ? ", stride=" + stride[0] : "")
                + (pad[0] != 0 ? ", padding=" + pad[0] : "") + (ceil ? ", ceil_mode=True" : "")
                + (!max && !countPad ? ", count_include_pad=False" : "") + ")";
        int kernel = k[0];
        int step = stride[0];
        int padding = pad[0];
        LongFunction<Layer> make = switch (name) {
            case "MaxPool1d" -> seed -> Pooling.maxPool1d(kernel, step, padding, ceil);
            case "MaxPool2d" -> seed -> Pooling.maxPool2d(kernel, step, padding, ceil);
            case "AvgPool1d" -> seed -> Pooling.avgPool1d(kernel, step, padding, ceil, countPad);
            default -> seed -> Pooling.avgPool2d(kernel, step, padding, ceil, countPad);
        };
        return new Resolved(new Step(t, c.position, depth, in, output, 0, 0, fieldOrEmpty(field, dims),
                fieldOrEmpty(jump, dims)), make);
    }

    private static Resolved activation(Args a, State s, int depth, String text, LongFunction<Layer> make) {
        return new Resolved(new Step(text, a.call.position, depth, s.shape, s.shape, 0, 0, s.field, s.jump), make);
    }

    private static Resolved flatten(Args a, State s, int depth) {
        int[] in = s.shape;
        int rank = in.length + 1;                       // PyTorch counts the batch as dimension 0
        long start = a.integer("start_dim", 1, Long.MIN_VALUE);
        long end = a.integer("end_dim", -1, Long.MIN_VALUE);
        long first = start < 0 ? start + rank : start;
        long last = end < 0 ? end + rank : end;
        if (first < 1 || last >= rank || first > last) {
            throw error(a.call.position, "Flatten(" + start + ", " + end + "): on inputs of " + shape(in)
                    + " (dimensions 1 to " + (rank - 1) + " after the batch) it must join dimensions start_dim <= "
                    + "end_dim within them");
        }
        List<Integer> out = new ArrayList<>();
        long joined = 1;
        for (int d = 1; d < rank; d++) {
            if (d < first || d > last) {
                out.add(in[d - 1]);
            } else {
                joined *= in[d - 1];
                if (d == last) {
                    out.add(toInt(a.call, joined));
                }
            }
        }
        int[] output = out.stream().mapToInt(Integer::intValue).toArray();
        boolean all = first == 1 && last == rank - 1;
        String text = all ? "Flatten()" : "Flatten(" + first + ", " + last + ")";
        // joining the channels with the first spatial dimensions leaves the later ones as they were (a TDNN's
        // time axis); any other join leaves no spatial dimension whose receptive field is known
        int[] field = new int[0];
        int[] jump = new int[0];
        if (first == 1 && s.field.length == in.length - 1) {
            field = Arrays.copyOfRange(s.field, (int) last - 1, s.field.length);
            jump = Arrays.copyOfRange(s.jump, (int) last - 1, s.jump.length);
        }
        int[] fieldAfter = field;
        int[] jumpAfter = jump;
        return new Resolved(new Step(text, a.call.position, depth, in, output, 0, 0, fieldAfter, jumpAfter),
                seed -> all ? new Flatten() : new Reshape(text, output));
    }

    private static Resolved unflatten(Args a, State s, int depth) {
        int[] in = s.shape;
        long dim = a.integer("dim", 1, Long.MIN_VALUE);
        if (dim != 1 && dim != -in.length - 1) {
            throw error(a.where("dim"), "Unflatten(" + dim + ", ...): Lanes unflattens dimension 1, the first after"
                    + " the batch");
        }
        Object sizes = a.values.get("unflattened_size");
        if (!(sizes instanceof List<?> list) || list.isEmpty() || !list.stream().allMatch(v -> v instanceof Long)) {
            throw error(a.where("unflattened_size"), "Unflatten needs its sizes as a tuple of whole numbers, e.g. "
                    + "Unflatten(1, (28, 28))");
        }
        long product = 1;
        List<Integer> out = new ArrayList<>();
        for (Object v : list) {
            long n = (Long) v;
            if (n < 1) {
                throw error(a.where("unflattened_size"), "Unflatten: size " + n + " must be >= 1");
            }
            product *= n;
            out.add(toInt(a.call, n));
        }
        if (product != in[0]) {
            throw error(a.call.position, "Unflatten(1, " + show(sizes) + "): sizes of " + product + " elements for "
                    + "a first dimension of " + in[0] + " (inputs of " + shape(in) + ")");
        }
        for (int d = 1; d < in.length; d++) {
            out.add(in[d]);
        }
        StringBuilder text = new StringBuilder("Unflatten(1, (");
        for (int i = 0; i < list.size(); i++) {
            text.append(i == 0 ? "" : ", ").append(list.get(i));
        }
        text.append(list.size() == 1 ? ",))" : "))");
        int[] output = out.stream().mapToInt(Integer::intValue).toArray();
        int spatial = output.length - 1;
        int[] field = new int[spatial];
        int[] jump = new int[spatial];
        Arrays.fill(field, 1);
        Arrays.fill(jump, 1);
        String written = text.toString();
        return new Resolved(new Step(written, a.call.position, depth, in, output, 0, 0, field, jump),
                seed -> new Reshape(written, output));
    }

    // ---- reading the text -------------------------------------------------------------------------------------

    private static List<Call> read(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the model text is empty; write layers such as \"Linear(8), Tanh(), "
                    + "Linear(2)\"");
        }
        ModelText r = new ModelText(text);
        List<Call> calls = r.layers('\0');
        r.space();
        if (r.at < text.length()) {
            throw error(r.at, "expected ',' or the end of the text after a layer, found '" + text.charAt(r.at) + "'");
        }
        if (calls.isEmpty()) {
            throw error(0, "no layers");
        }
        // Sequential(...) around the whole text is the model itself
        return calls.size() == 1 && calls.get(0).name.equals("Sequential") ? calls.get(0).inner : calls;
    }

    // layer ((',' | new line) layer)* up to `end` (or the text's end for '\0')
    private List<Call> layers(char end) {
        List<Call> calls = new ArrayList<>();
        space();
        while (at < text.length() && text.charAt(at) != end) {
            calls.add(layer());
            int after = at;
            space();
            if (at < text.length() && text.charAt(at) == ',') {
                at++;
                space();
            } else if (at < text.length() && text.charAt(at) != end && text.substring(after, at).indexOf('\n') < 0) {
                throw error(at, "expected ',' (or a new line) between layers, found '" + text.charAt(at) + "'");
            }
        }
        return calls;
    }

    private Call layer() {
        space();
        java.util.regex.Matcher label = REPR_LABEL.matcher(text).region(at, text.length());
        if (label.lookingAt()) {                                     // "(0): " of PyTorch's repr
            at = label.end();
        }
        int start = at;
        String name = name();
        if (name.startsWith("nn.")) {
            name = name.substring(3);
        } else if (name.startsWith("torch.nn.")) {
            name = name.substring(9);
        }
        if (name.isEmpty()) {
            throw error(start, "expected a layer such as Linear(...), found " + (at < text.length()
                    ? "'" + text.charAt(at) + "'" : "the end of the text"));
        }
        space();
        expect('(', "'(' after " + name);
        if (name.equals("Sequential")) {
            List<Call> inner = layers(')');
            expect(')', "')' closing Sequential");
            return new Call(name, start, List.of(), Map.of(), List.of(), inner);
        }
        List<Object> args = new ArrayList<>();
        Map<String, Object> keywords = new LinkedHashMap<>();
        List<Integer> positions = new ArrayList<>();
        List<Integer> keywordPositions = new ArrayList<>();
        space();
        while (at < text.length() && text.charAt(at) != ')') {
            int argAt = at;
            if (text.charAt(at) == ',') {
                throw error(at, "expected an argument or ')' in " + name + "(...), found ','");
            }
            String key = null;
            int save = at;
            String word = name();
            space();
            if (!word.isEmpty() && at < text.length() && text.charAt(at) == '=') {
                key = word;
                at++;
                space();
            } else {
                at = save;
            }
            Object value = value();
            if (key == null) {
                if (!keywords.isEmpty()) {
                    throw error(argAt, "a positional argument after a keyword argument in " + name);
                }
                args.add(value);
                positions.add(argAt);
            } else {
                if (keywords.containsKey(key)) {
                    throw error(argAt, name + " is given " + key + " twice");
                }
                keywords.put(key, value);
                keywordPositions.add(argAt);
            }
            space();
            if (at < text.length() && text.charAt(at) == ',') {
                at++;
                space();
            } else if (at < text.length() && text.charAt(at) != ')') {
                throw error(at, "expected ',' or ')' in the arguments of " + name + ", found '" + text.charAt(at)
                        + "'");
            }
        }
        expect(')', "')' closing the arguments of " + name);
        List<Integer> all = new ArrayList<>(positions);          // the keywords' positions follow, in order
        all.addAll(keywordPositions);
        return new Call(name, start, args, keywords, all, List.of());
    }

    private Object value() {
        space();
        if (at >= text.length()) {
            throw error(at, "expected a value, found the end of the text");
        }
        char ch = text.charAt(at);
        if (ch == '(' || ch == '[') {
            char close = ch == '(' ? ')' : ']';
            at++;
            List<Object> items = new ArrayList<>();
            space();
            while (at < text.length() && text.charAt(at) != close) {
                items.add(value());
                space();
                if (at < text.length() && text.charAt(at) == ',') {
                    at++;
                    space();
                } else if (at < text.length() && text.charAt(at) != close) {
                    throw error(at, "expected ',' or '" + close + "' in a tuple, found '" + text.charAt(at) + "'");
                }
            }
            expect(close, "'" + close + "' closing a tuple");
            return items;
        }
        if (ch == '\'' || ch == '"') {
            int end = text.indexOf(ch, at + 1);
            if (end < 0) {
                throw error(at, "a string that is not closed");
            }
            String s = text.substring(at + 1, end);
            at = end + 1;
            return s;
        }
        int start = at;
        if (ch == '-' || ch == '+') {
            at++;
        }
        while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '.'
                || text.charAt(at) == '_' || (text.charAt(at) == '-' || text.charAt(at) == '+')
                && (text.charAt(at - 1) == 'e' || text.charAt(at - 1) == 'E'))) {
            at++;
        }
        String token = text.substring(start, at).replace("_", "");
        switch (token) {
            case "True":
                return Boolean.TRUE;
            case "False":
                return Boolean.FALSE;
            case "None":
                return NONE;
            default:
                break;
        }
        try {
            return Long.parseLong(token);
        } catch (NumberFormatException e) {
            try {
                if (!token.isEmpty() && (Character.isDigit(token.charAt(token.length() - 1))
                        || token.endsWith("."))) {
                    return Double.parseDouble(token);
                }
            } catch (NumberFormatException ignored) {
                // not a number either: below
            }
        }
        throw error(start, "expected a number, True, False, None, a string or a tuple, found '"
                + (token.isEmpty() ? String.valueOf(ch) : token) + "'");
    }

    private String name() {
        int start = at;
        while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_'
                || text.charAt(at) == '.' && at > start)) {
            at++;
        }
        if (at > start && Character.isDigit(text.charAt(start))) {
            at = start;
            return "";
        }
        return text.substring(start, at);
    }

    private void space() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private void expect(char ch, String what) {
        space();
        if (at >= text.length() || text.charAt(at) != ch) {
            throw error(at, "expected " + what + ", found " + (at < text.length() ? "'" + text.charAt(at) + "'"
                    : "the end of the text"));
        }
        at++;
    }

    // ---- small helpers ----------------------------------------------------------------------------------------

    private static final Set<Class<?>> NUMBERS = Set.of(Long.class, Double.class);
    /** The label PyTorch's repr puts before each layer of a Sequential: {@code (0): }. */
    private static final java.util.regex.Pattern REPR_LABEL = java.util.regex.Pattern.compile("\\(\\s*\\w+\\s*\\)\\s*:\\s*");

    private static String show(Object v) {
        if (v instanceof List<?> list) {
            StringBuilder b = new StringBuilder("(");
            for (int i = 0; i < list.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(show(list.get(i)));
            }
            return b.append(list.size() == 1 ? ",)" : ")").toString();
        }
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        return NUMBERS.contains(v.getClass()) || v == NONE ? v.toString() : String.valueOf(v);
    }

    /** A shape as the summary prints it: {@code 6 x 14 x 14}. */
    static String shape(int[] s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length; i++) {
            b.append(i == 0 ? "" : " x ").append(s[i]);
        }
        return b.toString();
    }

    private static String tuple(int[] v) {
        return Arrays.stream(v).distinct().count() == 1 ? Integer.toString(v[0])
                : "(" + String.join(", ", Arrays.stream(v).mapToObj(Integer::toString).toList()) + ")";
    }

    private static String option(String name, int[] v, int fallback) {
        return Arrays.stream(v).allMatch(x -> x == fallback) ? "" : ", " + name + "=" + tuple(v);
    }

    private static int[] fieldOrEmpty(int[] v, int dims) {
        return v.length == dims ? v : new int[0];
    }

    private static int toInt(Call c, long n) {
        if (n > Integer.MAX_VALUE) {
            throw error(c.position, c.name + ": a size of " + n + " is more than one tensor holds");
        }
        return (int) n;
    }

    private static IllegalArgumentException error(int position, String message) {
        return new IllegalArgumentException("at character " + position + ": " + message);
    }
}
