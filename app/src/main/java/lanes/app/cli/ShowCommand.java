package lanes.app.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import lanes.app.Pictures;
import lanes.app.Plot;
import lanes.engine.Tensor;
import lanes.layers.data.Normalization;
import lanes.layers.io.ModelFile;
import lanes.layers.nn.Activation;
import lanes.layers.nn.ConvolutionLayer;
import lanes.layers.nn.Layer;
import lanes.layers.nn.Linear;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lanes show filters|maps}: pictures of what a trained model learned. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Pictures of what a trained model learned: its first layer's filters, or the feature maps "
                + "of every convolution for one image.",
        subcommands = {ShowCommand.Filters.class, ShowCommand.Maps.class})
final class ShowCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code lanes show filters}: the first convolution's kernels, or an MLP's first-layer weights, as images. */
    @Command(name = "filters", mixinStandardHelpOptions = true,
            description = {"Draw the first layer's filters: each kernel of the first convolution (grey, or in colour"
                    + " for 3 channels), or each row of an MLP's first weight matrix as an image of the input's "
                    + "shape: the course's \"weights are correlation filters\". Red is positive, blue negative."})
    static final class Filters implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "FILE", description = "A trained model file.")
        Path model;

        @Option(names = "--out", required = true, paramLabel = "PNG", description = "The picture to write.")
        Path out;

        @Override
        public Integer call() throws Exception {
            ModelFile.Loaded loaded = ModelArgs.read(model, null, new int[0], 0);
            int[] in = loaded.architecture().input();
            for (Layer l : loaded.model().flattened()) {
                if (l instanceof ConvolutionLayer conv) {
                    int[] w = conv.weight.value.shape();      // (OC, C/groups, k...)
                    int h = w.length == 4 ? w[2] : 1;
                    int wd = w[w.length - 1];
                    int c = w[1];
                    List<float[]> tiles = new ArrayList<>();
                    float[] all = conv.weight.value.toArray();
                    int per = all.length / w[0];
                    for (int o = 0; o < w[0]; o++) {
                        float[] k = Arrays.copyOfRange(all, o * per, (o + 1) * per);
                        tiles.add(c == 3 ? k : mean(k, c, h * wd));
                    }
                    write(out, "The " + w[0] + " filters of " + conv, List.of(new Pictures.Row(String.format(
                            Locale.ROOT, "%d kernels of %d x %d%s", w[0], h, wd, c == 3 ? " x RGB" : c > 1
                            ? ", mean over " + c + " input channels" : ""), tiles, c == 3 ? 3 : 1, h, wd)));
                    return 0;
                }
                if (l instanceof Linear lin) {
                    int[] image = in.length == 3 ? in : in.length == 2 ? new int[] {1, in[0], in[1]}
                            : new int[] {1, 1, in[0]};
                    if (image[0] * image[1] * image[2] != lin.in) {
                        break;
                    }
                    float[] all = lin.weight.value.toArray();
                    List<float[]> tiles = new ArrayList<>();
                    for (int o = 0; o < lin.out; o++) {
                        float[] row = Arrays.copyOfRange(all, o * lin.in, (o + 1) * lin.in);
                        tiles.add(image[0] == 3 ? row : mean(row, image[0], image[1] * image[2]));
                    }
                    write(out, "The " + lin.out + " weight images of " + lin, List.of(new Pictures.Row(
                            "each output's weights over the " + String.join(" x ", Arrays.stream(image)
                            .mapToObj(Integer::toString).toList()) + " input", tiles, image[0] == 3 ? 3 : 1, image[1],
                            image[2])));
                    return 0;
                }
            }
            throw new IllegalArgumentException(model + ": its first layer with weights is neither a convolution nor "
                    + "a Linear layer on the whole input, so it has no filters to draw");
        }
    }

    /** {@code lanes show maps}: the feature maps of every convolution for one image. */
    @Command(name = "maps", mixinStandardHelpOptions = true,
            description = "Draw the feature maps of every convolution of a trained model (after its activation) "
                    + "for one image: what each layer sees.")
    static final class Maps implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "FILE", description = "A trained model file.")
        Path model;

        @Option(names = "--image", required = true, paramLabel = "IMG", description = "A PNG or JPEG image, read as "
                + "lanes predict reads it.")
        Path image;

        @Option(names = "--out", required = true, paramLabel = "PNG", description = "The picture to write.")
        Path out;

        @Override
        public Integer call() throws Exception {
            ModelFile.Loaded loaded = ModelArgs.read(model, null, new int[0], 0);
            int[] in = loaded.architecture().input();
            if (in.length != 3) {
                throw new IllegalArgumentException(model + " takes examples of " + Arrays.toString(in)
                        + ", not images: it has no feature maps to draw");
            }
            float[] pixels = PredictCommand.imagePixels(image, in, Normalization.of(loaded.metadata()));
            Tensor x = Tensor.wrap(pixels, 1, in[0], in[1], in[2]);
            List<Pictures.Row> rows = new ArrayList<>();
            rows.add(new Pictures.Row("the input, " + in[0] + " x " + in[1] + " x " + in[2], List.of(pixels),
                    in[0] == 3 ? 3 : 1, in[1], in[2]));
            List<Layer> layers = loaded.model().flattened();
            for (int i = 0; i < layers.size(); i++) {
                Layer l = layers.get(i);
                x = l.forward(x).copy();
                boolean conv = l instanceof ConvolutionLayer;
                if (conv && i + 1 < layers.size() && layers.get(i + 1) instanceof Activation act) {
                    x = act.forward(x).copy();
                    l = act;
                    i++;
                }
                if (conv && x.rank() == 4) {
                    int c = x.shape(1);
                    int h = x.shape(2);
                    int w = x.shape(3);
                    float[] v = x.toArray();
                    List<float[]> tiles = new ArrayList<>();
                    for (int k = 0; k < c; k++) {
                        tiles.add(Arrays.copyOfRange(v, k * h * w, (k + 1) * h * w));
                    }
                    rows.add(new Pictures.Row("layer " + i + ": " + c + " maps of " + h + " x " + w + " after "
                            + layers.get(i - (l instanceof Activation ? 1 : 0)) + (l instanceof Activation ? ", " + l
                            : ""), tiles, 1, h, w));
                }
            }
            if (rows.size() == 1) {
                throw new IllegalArgumentException(model + " has no 2-D convolution: no feature maps to draw");
            }
            write(out, "Feature maps of " + image.getFileName(), rows);
            return 0;
        }
    }

    private static void write(Path out, String title, List<Pictures.Row> rows) throws java.io.IOException {
        Plot.writePng(out, Pictures.mosaic(title, rows, 84, 16));
        System.out.println("Picture: " + out);
    }

    /** The mean over {@code channels} planes of {@code plane} values each. */
    private static float[] mean(float[] v, int channels, int plane) {
        if (channels == 1) {
            return v;
        }
        float[] m = new float[plane];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < plane; i++) {
                m[i] += v[c * plane + i] / channels;
            }
        }
        return m;
    }
}
