package lanes.layers.nn;

import java.util.List;

/** Parameter lists of layers with a weight and an optional bias. */
final class Parameters {
    private Parameters() {
    }

    /** {@code [weight]}, or {@code [weight, bias]} where there is a bias. */
    static List<Parameter> of(Parameter weight, Parameter bias) {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }
}
