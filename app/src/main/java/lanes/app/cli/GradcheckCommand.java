package lanes.app.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import lanes.engine.Tensor;
import lanes.layers.models.Architecture;
import lanes.layers.nn.GradCheck;
import lanes.layers.nn.Layer;
import lanes.layers.nn.Sequential;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lanes gradcheck}: backprop against finite differences, layer by layer and for the whole model. */
@Command(name = "gradcheck", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check a model's backward pass against central finite differences of its forward pass, in "
                + "float: every layer on its own (with the input it gets inside the model) and then the whole "
                + "model, for the gradient of a random linear loss L = sum r_i y_i with respect to the input and "
                + "every parameter. Prints per layer the largest relative error and whether it is within the bound "
                + "(float rounding of the differences plus a relative 2e-2 for their truncation); exit status 1 if "
                + "any check fails. The course's \"derive it yourself\" exercises, checked in one command."})
final class GradcheckCommand implements Callable<Integer> {
    /** The finite-difference step and the relative tolerance of the truncation error. */
    static final double H = 1e-2;
    static final double RTOL = 2e-2;

    @Option(names = "--model", required = true, paramLabel = "M", description = "Layers in PyTorch's words or a "
            + "short name, as lanes train takes them.")
    String model;

    @Option(names = "--input", paramLabel = "SHAPE", description = "One example's shape (default ${DEFAULT-VALUE}).")
    String input = "1x28x28";

    @Option(names = "--classes", description = "Classes, for a short name (default ${DEFAULT-VALUE}).")
    int classes = 10;

    @Option(names = "--batch", description = "Examples in the checked batch (default ${DEFAULT-VALUE}).")
    int batch = 2;

    @Option(names = "--elements", description = "The most elements checked per tensor (default ${DEFAULT-VALUE}).")
    int elements = 30;

    @Option(names = "--seed", description = "Seed of the weights, the input and the elements checked (default "
            + "${DEFAULT-VALUE}).")
    long seed = 1;

    @Override
    public Integer call() {
        Args.positive("--classes", classes);
        Args.positive("--batch", batch);
        Args.positive("--elements", elements);
        int[] shape = ModelArgs.shape("--input", input);
        Architecture arch = ModelArgs.architecture(model, shape, classes);
        Sequential net = arch.build(seed);
        int[] full = new int[shape.length + 1];
        full[0] = batch;
        System.arraycopy(shape, 0, full, 1, shape.length);
        Tensor x = Tensor.zeros(full);
        Random r = new Random(seed);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = (float) r.nextGaussian();
        }
        System.out.printf(Locale.ROOT, "Gradient check of %s for a batch of %d x %s (step h = %s, relative bound "
                + "%s plus float rounding, at most %d elements per tensor)%n", arch.text(), batch, input, H, RTOL,
                elements);
        System.out.printf(Locale.ROOT, "%-3s %-52s %12s %12s %12s %-5s %s%n", "#", "layer", "max rel. err",
                "analytic", "numeric", "", "worst element");
        List<Layer> layers = new ArrayList<>(net.flattened());
        Tensor in = x;
        boolean ok = true;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            GradCheck.Result res = GradCheck.check(l, in.copy(), H, RTOL, elements, seed + i);
            ok &= print(Integer.toString(i), l.toString(), res, true);
            in = l.forward(in).copy();
        }
        GradCheck.Result whole = GradCheck.check(net, x.copy(), H, RTOL, elements, seed);
        boolean kinky = layers.stream().map(Object::toString).anyMatch(t -> t.startsWith("ReLU")
                || t.startsWith("LeakyReLU") || t.startsWith("MaxPool"));
        if (kinky) {
            // a weight of an early layer moves thousands of units; those whose ReLU or max switches inside the
            // step (a few per cent) bend the difference, and with the random loss's cancellations that is 10-30 %
            print("", "the whole model (not counted: see below)", whole, false);
            System.out.println("The whole model has ReLU or max pooling: a step of a weight switches some of the "
                    + "thousands of units it moves, so its finite difference in float is no test of backward; each "
                    + "layer on its own above is.");
        } else {
            ok &= print("", "the whole model", whole, true);
        }
        System.out.println(ok ? "All within their bounds." : "Some checks FAILED: backward does not match the "
                + "differences of forward there.");
        return ok ? 0 : 1;
    }

    private static boolean print(String index, String layer, GradCheck.Result r, boolean counted) {
        String name = layer.length() > 52 ? layer.substring(0, 49) + "..." : layer;
        if (r.checked() == 0) {
            System.out.printf(Locale.ROOT, "%-3s %-52s %12s %12s %12s %-5s %s%n", index, name, "-", "-", "-", "",
                    r.kinks() > 0 ? "every element on a kink" : "nothing to check");
            return true;
        }
        double rel = Math.abs(r.analytic() - r.numeric()) / Math.max(1e-12, Math.max(Math.abs(r.analytic()),
                Math.abs(r.numeric())));
        System.out.printf(Locale.ROOT, "%-3s %-52s %12.3e %12.5g %12.5g %-5s %s (%d checked, %d on kinks)%n", index,
                name, rel, r.analytic(), r.numeric(), !counted ? "info" : r.passes() ? "ok" : "FAIL",
                r.where().length() > 60 ? r.where().replaceAll(" of .*\\) \\[", " [") : r.where(), r.checked(),
                r.kinks());
        return r.passes();
    }
}
