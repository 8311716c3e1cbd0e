package lanes.app.cli;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import lanes.app.Data;
import lanes.engine.Tensor;
import lanes.layers.data.Idx;
import lanes.layers.data.ImageFolder;
import lanes.layers.data.Normalization;
import lanes.layers.infer.Predictor;
import lanes.layers.io.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lanes predict}: the class and its probability for images (PNG and the like), each image of an IDX file, or
 * WAV clips for a keyword spotter.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Print the predicted class and its probability for each image (PNG, JPEG, BMP, GIF), each "
                + "image of an IDX image file, or each WAV clip (for a keyword spotter from lanes train --data "
                + "data/speech: its middle, as the model's clips, resampled to 16 kHz). A model trained on an image "
                + "folder reads the image as it read that folder's (resized, normalised as its file says) and names "
                + "the class; a digit model reads it as grey levels, dark digits on a light ground inverted to "
                + "MNIST's light on dark."})
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model file from train --save, "
            + "safetensors (lanes export, or a PyTorch state_dict with --arch) or ONNX.")
    Path model;

    @Mixin
    ArchOptions architecture;

    @Option(names = "--logits", paramLabel = "FILE.json", description = "Also write the model's raw outputs "
            + "(logits) of every image predicted, and the inputs it saw, to this JSON file, e.g. for "
            + "interop/python/torch_interop.py check.")
    Path logits;

    @Option(names = "--limit", description = "At most this many images of an IDX file (default ${DEFAULT-VALUE}).")
    int limit = 20;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write a JSON list of {\"file\", \"class\", "
            + "\"probabilities\"}, one per prediction.")
    Path json;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Image files, IDX image files (gzipped or not) or "
            + "WAV files.")
    List<Path> files;

    private Path image;
    private final List<String> predictions = new java.util.ArrayList<>();

    @Override
    public Integer call() throws IOException {
        Args.positive("--limit", limit);
        ModelFile.Loaded loaded = architecture.read(model);
        for (Path f : files) {
            image = f;
            predict(loaded);
        }
        if (json != null) {
            Json.writeAtomically(json, predictions);
        }
        return 0;
    }

    private void predict(ModelFile.Loaded loaded) throws IOException {
        int[] in = loaded.architecture().input();
        if (!Files.isRegularFile(image)) {
            throw new IOException(image + ": no such file");
        }
        Tensor x;
        int count;
        String name = image.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean png = ImageFolder.EXTENSIONS.contains(name.substring(name.lastIndexOf('.') + 1));
        boolean wav = name.endsWith(".wav");
        Normalization normalization = Normalization.of(loaded.metadata());
        List<String> classes = Data.classes(loaded.metadata());
        if (wav) {
            if (in.length != 3 || in[0] != 1 || in[1] != lanes.engine.signal.MelSettings.keywordSpotting().mels()) {
                throw new IllegalArgumentException(image + ": a WAV clip needs a keyword spotter (inputs of 1 x 40 "
                        + "bands x frames); " + model + " takes " + java.util.Arrays.toString(in));
            }
            x = Tensor.wrap(lanes.layers.audio.SpeechClips.clipFeatures(lanes.layers.audio.WavFile.read(image),
                    in[2], normalization), 1, in[0], in[1], in[2]);
            count = 1;
        } else if (png) {
            x = Tensor.wrap(imagePixels(image, in, normalization), 1, in[0], in[1], in[2]);
            count = 1;
        } else {
            Idx.Images im = Idx.readImages(image);
            if (im.channels() != in[0] || im.rows() != in[1] || im.cols() != in[2]) {
                throw new IOException(image + ": images of " + im.channels() + " x " + im.rows() + " x " + im.cols()
                        + " but " + model + " takes " + in[0] + " x " + in[1] + " x " + in[2]);
            }
            count = Math.min(limit, im.count());
            int per = in[0] * in[1] * in[2];
            x = Tensor.wrap(java.util.Arrays.copyOf(im.pixels(), count * per), count, in[0], in[1], in[2]);
        }
        Predictor predictor = new Predictor(loaded.model(), in);
        if (logits != null) {
            writeLogits(logits, loaded, x.contiguous(), count);
        }
        float[] p = predictor.predict(x.contiguous().toArray(), count);
        int k = predictor.classes();
        for (int i = 0; i < count; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (p[i * k + j] > p[i * k + best]) {
                    best = j;
                }
            }
            String file = image + (png || wav ? "" : "[" + i + "]");
            String label = classes != null && best < classes.size() ? classes.get(best) : Integer.toString(best);
            System.out.printf(Locale.ROOT, "%s: class %d%s, probability %.4f%n", file, best, classes != null
                    && best < classes.size() ? " (" + classes.get(best) + ")" : "", p[i * k + best]);
            StringBuilder probs = new StringBuilder();
            for (int j = 0; j < k; j++) {
                probs.append(j == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6f", p[i * k + j]));
            }
            predictions.add("{\"file\": " + Json.quote(file) + ", \"class\": " + Json.quote(label)
                    + ", \"probabilities\": [" + probs + "]}");
        }
    }

    /** Writes the model's outputs for the {@code count} images of {@code x} and those inputs as JSON. */
    private void writeLogits(Path file, ModelFile.Loaded loaded, Tensor x, int count) throws IOException {
        float[] v = loaded.model().forward(x).toArray();
        StringBuilder b = new StringBuilder("{\"model\": ").append(Json.quote(model.toString()))
                .append(", \"architecture\": ").append(Json.quote(loaded.architecture().text()))
                .append(", \"images\": ").append(Json.quote(image.toString())).append(", \"logits\": ");
        rows(b, v, count);
        b.append(", \"inputs\": ");
        rows(b, x.toArray(), count);
        Json.writeObject(file, b.append("}").toString());
    }

    /** {@code v} as a JSON list of {@code count} lists (floats as Float.toString writes them: exact on reading). */
    private static void rows(StringBuilder b, float[] v, int count) {
        int width = v.length / count;
        b.append('[');
        for (int i = 0; i < count; i++) {
            b.append(i == 0 ? "\n  [" : ",\n  [");
            for (int j = 0; j < width; j++) {
                b.append(j == 0 ? "" : ", ").append(v[i * width + j]);
            }
            b.append(']');
        }
        b.append("\n]");
    }

    /**
     * One image file as a model of input {@code in} (C x H x W) reads it: as its image folder's images were read
     * (resized, RGB or grey, normalised) where the model keeps a normalisation or takes colour, else as a grey
     * digit, light on dark.
     */
    static float[] imagePixels(Path image, int[] in, Normalization normalization) throws IOException {
        if (normalization != null || in[0] == 3) {
            float[] pixels = ImageFolder.pixels(image, in[0], in[1], in[2]);
            if (normalization != null) {
                normalization.apply(pixels, in[1] * in[2]);
            }
            return pixels;
        }
        return png(image, in[1], in[2]);
    }

    /** The PNG as grey levels in [0, 1], scaled to rows x cols, light on dark (inverted if its mean is light). */
    static float[] png(Path file, int rows, int cols) throws IOException {
        BufferedImage src = ImageIO.read(file.toFile());
        if (src == null) {
            throw new IOException(file + ": not a readable PNG image");
        }
        BufferedImage grey = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = grey.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(src, 0, 0, cols, rows, java.awt.Color.WHITE, null);
        g.dispose();
        float[] v = new float[rows * cols];
        double mean = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                v[r * cols + c] = (grey.getRaster().getSample(c, r, 0) & 0xff) / 255f;
                mean += v[r * cols + c];
            }
        }
        if (mean / v.length > 0.5) {
            for (int i = 0; i < v.length; i++) {
                v[i] = 1f - v[i];
            }
        }
        return v;
    }
}
