package lanes.app.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import lanes.app.Confusion;
import lanes.app.Data;
import lanes.app.Features;
import lanes.layers.data.Normalization;
import lanes.layers.io.ModelFile;
import lanes.layers.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lanes eval}: a saved model's accuracy, loss and confusion matrix on a test set. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a saved model on the test images of the embedded digits (or --data DIR).")
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model file from train --save, "
            + "safetensors (lanes export, or a PyTorch state_dict with --arch) or ONNX.")
    Path model;

    @Option(names = "--arch", paramLabel = "NAME", description = ModelArgs.ARCH_HELP)
    String arch;

    @Option(names = "--data", paramLabel = "DIR", description = "An MNIST-format folder or an image folder (its "
            + "images resized to the model's input and normalised as the model's file says; default: the embedded "
            + "digits).")
    Path data;

    @Option(names = "--test-fraction", paramLabel = "F", description = "For an image folder without train/ and "
            + "test/: the test share, as train used it (default ${DEFAULT-VALUE}).")
    double testFraction = 0.2;

    @Option(names = "--seed", description = "For an image folder without train/ and test/, toy data or a CSV of "
            + "points: the seed of the split (and of the points), as train used it (default ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--points", paramLabel = "N", description = "For toy data: points in all, as train used them "
            + "(default ${DEFAULT-VALUE}).")
    int points = 500;

    @Option(names = "--noise", paramLabel = "F", description = "For toy data: the noise, as train used it (default "
            + "${DEFAULT-VALUE}).")
    double noise = 0;

    @Override
    public Integer call() throws IOException {
        ModelFile.Loaded loaded = arch == null ? ModelArgs.read(model, null, new int[0], 0) : null;
        int[] in = loaded == null ? null : loaded.architecture().input();
        boolean image = in != null && in.length == 3;
        Data d = Data.load(data, new Data.ImageOptions(image ? in[0] : null, image ? in[1] : 28, image ? in[2] : 28,
                testFraction, seed, loaded == null ? null : Normalization.of(loaded.metadata())),
                new Data.ToyOptions(points, noise));
        Features features = loaded == null ? null : Features.of(loaded.metadata());
        var test = features == null ? d.folder().test() : features.apply(d.folder().test());
        if (loaded == null) {
            loaded = ModelArgs.read(model, arch, test.exampleShape(), test.classes);
        }
        int[] input = loaded.architecture().input();
        if (!java.util.Arrays.equals(input, test.exampleShape())) {
            throw new IllegalArgumentException(model + " takes inputs " + java.util.Arrays.toString(input)
                    + " but " + d.description() + (features == null ? "" : " as features " + features) + " has "
                    + "examples of " + java.util.Arrays.toString(test.exampleShape()));
        }
        var net = loaded.model();
        Trainer.Evaluation e = Trainer.evaluate(net, loaded.architecture().loss(), test, 256);
        System.out.printf(Locale.ROOT, "%s (%s%s) on %s: test accuracy %.2f %% (%,d / %,d), test loss %.4f%n", model,
                loaded.architecture().text(), features == null ? "" : ", features " + features, d.description(),
                100 * e.accuracy(),
                Math.round(e.accuracy() * test.count), test.count, e.meanLoss());
        System.out.println(Confusion.format(e.confusion()));
        return 0;
    }
}
