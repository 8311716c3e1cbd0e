package lanes.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import lanes.layers.models.Architecture;
import lanes.layers.nn.ModelText;
import lanes.layers.nn.Summary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lanes summary}: a model's layers, shapes, parameters, multiply-adds and receptive fields. */
@Command(name = "summary", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print a model layer by layer: output shape, parameters (PyTorch's count), multiply-adds per "
                + "example, and the receptive field and jump (stride product) of its outputs in the input; then the "
                + "totals. Nothing is allocated but the text: a model of any size can be summarised.",
            "--compare-dense adds what a fully connected layer between the same sizes would cost."})
final class SummaryCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "M", description = "Layers in PyTorch's words, e.g. "
            + "\"Conv2d(1, 6, 5, padding=2), ReLU(), MaxPool2d(2), Flatten(), Linear(10)\", a short name (lenet5, "
            + "mlp, tdnn, alexnet, ...), or a model file.")
    String model;

    @Option(names = "--input", paramLabel = "SHAPE", description = "One example's shape: 1x28x28 (default), 40x98, "
            + "784, ...")
    String input = "1x28x28";

    @Option(names = "--classes", description = "Classes, for a short name (default ${DEFAULT-VALUE}).")
    int classes = 10;

    @Option(names = "--compare-dense", description = "Add the parameters of fully connected layers of the same "
            + "sizes.")
    boolean compareDense;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the summary as JSON.")
    Path json;

    @Option(names = "--frame-ms", paramLabel = "MS", description = "For a model over time frames: the step between "
            + "frames in milliseconds, to give each receptive field in milliseconds (default: 20 for kws, the "
            + "keyword-spotting framing; else none).")
    Double frameMs;

    @Option(names = "--window-ms", paramLabel = "MS", description = "With --frame-ms: how long one frame lasts "
            + "(default: 32 for kws: 512 samples at 16 kHz; else --frame-ms).")
    Double windowMs;

    @Override
    public Integer call() throws Exception {
        Args.positive("--classes", classes);
        Summary summary;
        String title;
        if (!ModelText.isLayerText(model) && Files.isRegularFile(Path.of(model))) {
            var loaded = ModelArgs.read(Path.of(model), null, new int[0], 0);
            summary = loaded.model().summary(loaded.architecture().input());
            title = model + " (" + loaded.architecture().text() + ")";
        } else {
            int[] shape = ModelArgs.shape("--input", input);
            Architecture arch = ModelArgs.architecture(model, shape, classes);
            summary = new Summary(ModelText.plan(arch.layers(), shape));
            title = arch.text();
        }
        System.out.println("Model: " + title);
        System.out.print(summary.table(compareDense));
        boolean kws = title.startsWith("kws:") || title.contains("(kws:");
        Double frame = frameMs != null ? frameMs : kws ? Double.valueOf(20) : null;
        if (frame != null) {
            Args.finitePositive("--frame-ms", frame.floatValue());
            double window = windowMs != null ? windowMs : kws && frameMs == null ? 32 : frame;
            Args.finitePositive("--window-ms", (float) window);
            System.out.printf(java.util.Locale.ROOT, "In time (a frame every %s ms, each %s ms long):%n",
                    Fields.plain(frame), Fields.plain(window));
            var steps = summary.plan().steps();
            for (int i = 0; i < steps.size(); i++) {
                int[] rf = steps.get(i).receptiveField();
                int[] jump = steps.get(i).jump();
                if (rf.length > 0) {
                    int f = rf[rf.length - 1];
                    System.out.printf(java.util.Locale.ROOT, "  %-3d %-48s %4d frames = %7.1f ms, a step of %.1f ms%n",
                            i, clip(steps.get(i).text()), f, (f - 1) * frame + window, jump[jump.length - 1] * frame);
                }
            }
        }
        if (json != null) {
            Json.writeObject(json, summary.json());
            System.out.println("Summary: " + json);
        }
        return 0;
    }

    private static String clip(String s) {
        return s.length() > 48 ? s.substring(0, 46) + ".." : s;
    }

    /** Numbers as a person writes them: 20, not 20.0. */
    private static final class Fields {
        static String plain(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
    }
}
