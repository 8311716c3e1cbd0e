package lanes.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import lanes.layers.io.ModelFile;
import lanes.layers.io.Safetensors;
import lanes.layers.models.Architecture;
import lanes.layers.nn.ModelText;
import lanes.onnx.OnnxImport;
import lanes.onnx.OnnxModels;

/** Reading a model file of any format the commands accept, with the architecture given where the file has none. */
final class ModelArgs {
    static final String ARCH_HELP = "The architecture, for a file that does not name its own (a state_dict saved "
            + "by PyTorch): lenet5, lenet5-classic, mlp, logistic, softmax, tdnn, a full name such as "
            + "mlp:784-256-128-10, or the layers of its nn.Sequential in PyTorch's words.";

    private ModelArgs() {
    }

    /**
     * The model in {@code file}: a Lanes model file, safetensors (with Lanes' metadata, or of {@code arch}) or ONNX
     * (its architecture from its metadata, its layers or {@code arch}).
     */
    static ModelFile.Loaded read(Path file, String arch, int[] input, int classes) throws IOException {
        if (isOnnx(file)) {
            return OnnxModels.read(file, arch == null ? null : architecture(arch, input, classes));
        }
        if (arch == null) {
            return ModelFile.read(file);
        }
        return ModelFile.readSafetensors(file, architecture(arch, input, classes));
    }

    /** True for a file named .onnx, or one that is neither a Lanes model file nor safetensors but parses as ONNX. */
    private static boolean isOnnx(Path file) throws IOException {
        if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx")) {
            return true;
        }
        if (!Files.isRegularFile(file) || Files.size(file) > (1L << 30)) {
            return false;                                    // ModelFile.read says what is wrong with it
        }
        byte[] bytes = Files.readAllBytes(file);
        byte[] head = Arrays.copyOf(bytes, Math.min(bytes.length, 9));
        return !Arrays.equals(Arrays.copyOf(head, ModelFile.MAGIC.length), ModelFile.MAGIC)
                && !Safetensors.looksLike(head, bytes.length) && OnnxImport.looksLike(bytes);
    }

    /**
     * {@code name} as an architecture: a short name sized for the input and classes, a full name (lenet5:3-6) or
     * layers in PyTorch's words as they are.
     */
    static Architecture architecture(String name, int[] input, int classes) {
        if (name.contains(":") && !ModelText.isLayerText(name)) {
            return new Architecture(name, input);
        }
        return Architecture.forData(name, input, classes);
    }

    /** {@code text} such as "1x28x28" as a shape. */
    static int[] shape(String option, String text) {
        try {
            int[] s = Arrays.stream(text.split("x")).mapToInt(Integer::parseInt).toArray();
            for (int d : s) {
                if (d < 1) {
                    throw new NumberFormatException();
                }
            }
            return s;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " " + text + ": not extents >= 1 joined by x, e.g. 1x28x28");
        }
    }
}
