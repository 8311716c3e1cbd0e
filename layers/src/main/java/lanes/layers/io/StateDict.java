package lanes.layers.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lanes.engine.Tensor;
import lanes.layers.nn.Layer;
import lanes.layers.nn.Parameter;
import lanes.layers.nn.Sequential;

/**
 * A model's parameters under the names PyTorch's {@code state_dict()} gives the equivalent {@code nn.Sequential}:
 * {@code "<layer index>.<parameter>"}, e.g. {@code "0.weight"}, {@code "3.bias"}, with nested {@code Sequential}s
 * adding their index ({@code "1.0.weight"}). Layers without parameters (activations, pooling, {@code Flatten})
 * take up an index as they do in PyTorch. Layouts are PyTorch's already: a {@code Linear}'s weight is
 * {@code [out, in]}, a convolution's {@code [out, in/groups, kh, kw]} (OIHW) or {@code [out, in/groups, k]}.
 *
 * <p>A model made by {@link Sequential#fuse()} has fewer layers than its PyTorch twin: take the names from the
 * unfused model (the two share their parameters).
 */
public final class StateDict {
    private StateDict() {
    }

    /**
     * The parameters of {@code model} by their {@code state_dict} names, in the model's order.
     *
     * @param model the model; not modified
     * @return the parameters (shared with the model, not copied) by name
     */
    public static Map<String, Parameter> of(Layer model) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        if (model instanceof Sequential s) {
            add(out, "", s);
        } else {
            for (Parameter p : model.parameters()) {
                out.put(p.name, p);
            }
        }
        return out;
    }

    private static void add(Map<String, Parameter> out, String prefix, Sequential s) {
        List<Layer> layers = s.layers();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (l instanceof Sequential inner) {
                add(out, prefix + i + ".", inner);
            } else {
                for (Parameter p : l.parameters()) {
                    out.put(prefix + i + "." + p.name, p);
                }
            }
        }
    }

    /**
     * The values of {@code model}'s parameters by their {@code state_dict} names.
     *
     * @param model the model; not modified
     * @return the values (the model's own tensors, not copies) by name
     */
    public static Map<String, Tensor> tensors(Layer model) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        of(model).forEach((name, p) -> out.put(name, p.value));
        return out;
    }

    /**
     * Copies {@code tensors} into {@code model}'s parameters, strictly as PyTorch's
     * {@code load_state_dict(strict=True)}: every parameter must be there with its shape, nothing else may be, and
     * every value must be finite. Nothing is copied unless all of it fits.
     *
     * @param model the model whose parameters are set, modified
     * @param tensors the values by name; not modified
     * @param source names the values' origin (a file) in messages
     * @throws IOException if a name is missing or unexpected, a shape differs or a value is not finite, naming it
     */
    public static void load(Layer model, Map<String, Tensor> tensors, String source) throws IOException {
        Map<String, Parameter> params = of(model);
        List<String> missing = new ArrayList<>();
        for (String name : params.keySet()) {
            if (!tensors.containsKey(name)) {
                missing.add(name + Arrays.toString(params.get(name).value.shape()));
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String name : tensors.keySet()) {
            if (!params.containsKey(name)) {
                unexpected.add(name + Arrays.toString(tensors.get(name).shape()));
            }
        }
        List<String> reshaped = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Tensor t = tensors.get(e.getKey());
            if (t != null && !e.getValue().value.sameShape(t)) {
                reshaped.add("tensor " + e.getKey() + " has shape " + Arrays.toString(t.shape())
                        + " where the model has "
                        + Arrays.toString(e.getValue().value.shape()));
            }
        }
        if (missing.isEmpty() && unexpected.isEmpty() && reshaped.size() == 1) {
            throw new IOException(source + ": " + reshaped.get(0));
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !reshaped.isEmpty()) {
            throw new IOException(source + ": its tensors do not match the model's parameters"
                    + (missing.isEmpty() ? "" : "; missing: " + String.join(", ", missing))
                    + (unexpected.isEmpty() ? "" : "; unexpected: " + String.join(", ", unexpected))
                    + (reshaped.isEmpty() ? "" : "; " + String.join("; ", reshaped))
                    + "; the model has " + String.join(", ", names(params)));
        }
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Tensor t = tensors.get(e.getKey());
            float[] v = t.toArray();
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new IOException(source + ": tensor " + e.getKey() + " element " + i + " is " + v[i]);
                }
            }
        }
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            e.getValue().value.copyFrom(tensors.get(e.getKey()));
        }
    }

    private static List<String> names(Map<String, Parameter> params) {
        List<String> out = new ArrayList<>();
        params.forEach((name, p) -> out.add(name + Arrays.toString(p.value.shape())));
        return out;
    }
}
