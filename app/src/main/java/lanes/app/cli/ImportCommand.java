package lanes.app.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import lanes.layers.io.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lanes import}: weights from elsewhere as a Lanes model file. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Read a model written elsewhere into a Lanes model file: a PyTorch state_dict in safetensors "
                + "(F32, F16 or BF16; names and shapes those of the architecture's nn.Sequential twin) or an ONNX "
                + "graph (torch.onnx.export; Conv, Gemm, MatMul+Add, Relu, Sigmoid, Tanh, LeakyRelu, Elu, MaxPool, "
                + "AveragePool, Flatten, Reshape, Softmax). The architecture comes from the file's metadata, the "
                + "ONNX graph's layers, or --arch; what does not fit is named."})
final class ImportCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "FILE", description = "The file to read.")
    Path from;

    @Mixin
    ArchOptions architecture;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The Lanes model file to write.")
    Path out;

    @Override
    public Integer call() throws IOException {
        ModelFile.Loaded loaded = architecture.read(from);
        ModelFile.write(out, loaded.architecture(), loaded.model(), loaded.metadata());
        System.out.printf(Locale.ROOT, "%s -> %s (%s, %,d parameters)%n", from, out, loaded.architecture(),
                loaded.model().parameters().stream().mapToLong(p -> p.value.size()).sum());
        return 0;
    }
}
