package lanes.app.studio;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lanes.app.GradientDescent;
import lanes.layers.models.Architecture;
import lanes.layers.nn.ModelText;
import lanes.layers.nn.Summary;

/** The lecture view's two computations: the course's gradient-descent demo and a receptive-field lookup. */
final class Lecture {
    private static final Pattern PADDING = Pattern.compile("padding=\\(?(\\d+)(?:, *(\\d+))?");

    private Lecture() {
    }

    /**
     * Gradient descent on f = a x1^2 + b x1 x2 + c x2^2 from (x1, x2) at one rate (the course's a, b, c = 1, 1, 4
     * and X0 = (3, 3) by default): the iterates, the verdict, the eigenvalues and the largest stable rate.
     */
    static String gradientDescent(Fields f) {
        f.only(Set.of("a", "b", "c", "x1", "x2", "learningRate", "steps", "eps"));
        double a = f.number("a", 1, -100, 100);
        double b = f.number("b", 1, -100, 100);
        double c = f.number("c", 4, -100, 100);
        double x1 = f.number("x1", 3, -100, 100);
        double x2 = f.number("x2", 3, -100, 100);
        double lr = f.number("learningRate", 0.05, 0, 10);
        int steps = f.integer("steps", 200, 1, 10_000);
        double eps = f.number("eps", 1e-8, 0, 1);
        GradientDescent gd = new GradientDescent(a, b, c);
        double[] lambda = gd.eigenvalues();
        GradientDescent.Run run = gd.run(x1, x2, lr, steps, eps);
        String json = GradientDescent.json(new double[] {a, b, c}, new double[] {x1, x2}, lambda, List.of(run));
        return json.substring(0, json.length() - 1) + ", \"describe\": "
                + lanes.layers.io.JsonText.quote(run.describe(lambda)) + ", \"convex\": " + (lambda[0] > 0) + "}";
    }

    /**
     * The input region a unit of a layer reads: {@code model} (a short name or layer text) on {@code input} (C, H,
     * W), unit ({@code row}, {@code col}) of layer {@code layer}'s output; with the model's summary.
     */
    static String receptiveField(Fields f) {
        f.only(Set.of("model", "input", "layer", "row", "col"));
        String model = f.string("model", "lenet5");
        List<Object> in = f.list("input", List.of(1.0, 28.0, 28.0), 3);
        if (in.size() != 3 || !in.stream().allMatch(v -> v instanceof Double d && d == Math.rint(d) && d >= 1
                && d <= 1024)) {
            throw ApiError.badField("input", "give [channels, height, width], each 1 to 1024");
        }
        int[] input = in.stream().mapToInt(v -> ((Double) v).intValue()).toArray();
        ModelText.Plan plan;
        try {
            Architecture arch = Architecture.forData(model, input, 10);
            plan = ModelText.plan(arch.layers(), input);
        } catch (IllegalArgumentException e) {
            throw ApiError.badField("model", e.getMessage());
        }
        List<ModelText.Step> steps = plan.steps();
        int layer = f.integer("layer", 0, 0, steps.size() - 1);
        ModelText.Step step = steps.get(layer);
        int[] out = step.output();
        int[] rf = step.receptiveField();
        String region = "null";
        String why;
        if (out.length == 3 && rf.length == 2) {
            int row = f.integer("row", 0, 0, out[1] - 1);
            int col = f.integer("col", 0, 0, out[2] - 1);
            int[] start = start(steps, layer);
            int[] jump = step.jump();
            int r0 = start[0] + row * jump[0];
            int c0 = start[1] + col * jump[1];
            region = String.format(Locale.ROOT, "{\"row\": [%d, %d], \"col\": [%d, %d], \"clipped\": {\"row\": "
                    + "[%d, %d], \"col\": [%d, %d]}}", r0, r0 + rf[0] - 1, c0, c0 + rf[1] - 1, Math.max(0, r0),
                    Math.min(input[1] - 1, r0 + rf[0] - 1), Math.max(0, c0), Math.min(input[2] - 1, c0 + rf[1] - 1));
            why = String.format(Locale.ROOT, "Unit (%d, %d) of layer %d (%s) reads input rows %d to %d and columns %d "
                    + "to %d: a %d x %d window, moving %d x %d input pixels per unit. Parts outside the image are "
                    + "zero padding.", row, col, layer, step.text(), r0, r0 + rf[0] - 1, c0, c0 + rf[1] - 1, rf[0],
                    rf[1], jump[0], jump[1]);
        } else {
            why = "Layer " + layer + " (" + step.text() + ") has no spatial positions: each of its units reads the "
                    + "whole input.";
        }
        return "{\"layer\": " + layer + ", \"output\": " + java.util.Arrays.toString(out) + ", \"region\": " + region
                + ", \"describe\": " + lanes.layers.io.JsonText.quote(why) + ", \"summary\": "
                + new Summary(plan).json() + "}";
    }

    // the input position of output position 0 of layer `last`, per spatial dimension: minus the padding, in the
    // jumps of the layers before, summed
    private static int[] start(List<ModelText.Step> steps, int last) {
        int[] start = {0, 0};
        int[] jump = {1, 1};
        for (int i = 0; i <= last; i++) {
            ModelText.Step s = steps.get(i);
            Matcher m = PADDING.matcher(s.text());
            if (m.find() && s.receptiveField().length == 2) {
                int ph = Integer.parseInt(m.group(1));
                int pw = m.group(2) == null ? ph : Integer.parseInt(m.group(2));
                start[0] -= ph * jump[0];
                start[1] -= pw * jump[1];
            }
            if (s.jump().length == 2) {
                jump = s.jump();
            }
        }
        return start;
    }
}
