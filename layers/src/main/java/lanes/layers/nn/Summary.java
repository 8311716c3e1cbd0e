package lanes.layers.nn;

import java.util.List;
import java.util.Locale;

/**
 * What a model is, layer by layer, for examples of one shape: each layer's output shape, parameters (PyTorch's
 * count), multiply-adds per example, and the receptive field and jump (stride product) of its outputs in the
 * model's input; then the totals. With {@code compareDense}, what a fully connected layer between the same input
 * and output sizes would cost instead: the lecture's case for convolution (shared weights, local connections).
 *
 * @param plan the model's text resolved against the input shape ({@link ModelText#plan})
 */
public record Summary(ModelText.Plan plan) {
    /**
     * The summary of {@code model} for examples of {@code input}.
     *
     * @param model any model whose layers are Lanes' own (it is read through its PyTorch text)
     * @param input one example's shape, e.g. {@code 1, 28, 28}
     * @return the summary
     * @throws IllegalArgumentException if the model's shapes do not chain for that input
     */
    public static Summary of(Layer model, int... input) {
        String text = model instanceof Sequential s ? s.toString() : model.toString();
        return new Summary(ModelText.plan(text, input));
    }

    /**
     * The parameters a fully connected layer from this step's input to its output would have (weights and a bias
     * per output), for a layer with parameters; 0 for the others.
     *
     * @param step a step of the plan
     * @return the dense layer's parameter count
     */
    public static long denseParameters(ModelText.Step step) {
        if (!step.parametric()) {
            return 0;
        }
        long in = product(step.input());
        long out = product(step.output());
        return in * out + (step.text().contains("bias=False") ? 0 : out);
    }

    /**
     * The table as {@code lanes summary} prints it.
     *
     * @param compareDense true to add the dense layers' costs
     * @return the text, lines ending with a new line
     */
    public String table(boolean compareDense) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-3s %-52s %-16s %12s %14s %-11s %-7s%s%n", "#", "layer", "output",
                "parameters", "multiply-adds", "receptive", "jump", compareDense ? String.format(Locale.ROOT,
                " %14s %9s", "dense params", "dense / this") : ""));
        b.append(String.format(Locale.ROOT, "%-3s %-52s %-16s%n", "", "input", ModelText.shape(plan.input())));
        List<ModelText.Step> steps = plan.steps();
        long dense = 0;
        for (int i = 0; i < steps.size(); i++) {
            ModelText.Step s = steps.get(i);
            String name = "  ".repeat(s.depth()) + s.text();
            if (name.length() > 52) {
                name = name.substring(0, 49) + "...";
            }
            long d = denseParameters(s);
            dense += d > 0 ? d : 0;
            b.append(String.format(Locale.ROOT, "%-3d %-52s %-16s %,12d %,14d %-11s %-7s%s%n", i, name,
                    ModelText.shape(s.output()), s.parameters(), s.multiplyAdds(), dims(s.receptiveField()),
                    dims(s.jump()), compareDense ? d > 0 ? String.format(Locale.ROOT, " %,14d %8.1fx", d,
                    (double) d / s.parameters()) : "" : ""));
        }
        b.append(String.format(Locale.ROOT, "%-3s %-52s %-16s %,12d %,14d%s%n", "", "total",
                ModelText.shape(plan.output()), plan.parameters(), plan.multiplyAdds(), compareDense
                ? String.format(Locale.ROOT, " %-19s %,14d %8.1fx", "", dense, (double) dense
                / Math.max(1, parametricParameters())) : ""));
        b.append(String.format(Locale.ROOT, "%,d parameters (%,.1f KB as float32), %,d multiply-adds per example%n",
                plan.parameters(), plan.parameters() * 4 / 1024.0, plan.multiplyAdds()));
        return b.toString();
    }

    /**
     * The summary as one JSON object: {@code input}, {@code output}, {@code parameters}, {@code multiply_adds},
     * {@code model} (the text) and {@code layers}, each with its {@code layer}, {@code output}, {@code parameters},
     * {@code multiply_adds}, {@code receptive_field}, {@code jump} and {@code dense_parameters}.
     *
     * @return the JSON text
     */
    public String json() {
        StringBuilder b = new StringBuilder("{\"model\": ").append(quote(plan.text())).append(", \"input\": ")
                .append(array(plan.input())).append(", \"output\": ").append(array(plan.output()))
                .append(", \"parameters\": ").append(plan.parameters()).append(", \"multiply_adds\": ")
                .append(plan.multiplyAdds()).append(", \"layers\": [");
        List<ModelText.Step> steps = plan.steps();
        for (int i = 0; i < steps.size(); i++) {
            ModelText.Step s = steps.get(i);
            b.append(i == 0 ? "\n  " : ",\n  ").append("{\"layer\": ").append(quote(s.text()))
                    .append(", \"depth\": ").append(s.depth()).append(", \"output\": ").append(array(s.output()))
                    .append(", \"parameters\": ").append(s.parameters()).append(", \"multiply_adds\": ")
                    .append(s.multiplyAdds()).append(", \"receptive_field\": ").append(array(s.receptiveField()))
                    .append(", \"jump\": ").append(array(s.jump())).append(", \"dense_parameters\": ")
                    .append(denseParameters(s)).append('}');
        }
        return b.append("\n]}").toString();
    }

    private long parametricParameters() {
        return plan.steps().stream().filter(ModelText.Step::parametric).mapToLong(ModelText.Step::parameters).sum();
    }

    private static long product(int[] shape) {
        long p = 1;
        for (int d : shape) {
            p *= d;
        }
        return p;
    }

    private static String dims(int[] v) {
        if (v.length == 0) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : "x").append(v[i]);
        }
        return b.toString();
    }

    private static String array(int[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ", ").append(v[i]);
        }
        return b.append(']').toString();
    }

    private static String quote(String s) {
        return lanes.layers.io.JsonText.quote(s);
    }
}
