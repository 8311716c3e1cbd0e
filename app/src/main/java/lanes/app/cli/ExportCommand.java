package lanes.app.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import lanes.layers.io.ModelFile;
import lanes.onnx.OnnxExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lanes export}: a model file in another format, for PyTorch or any reader of that format. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a model in another format: safetensors holds PyTorch's state_dict of the same "
                + "nn.Sequential (0.weight, 0.bias, 3.weight, ...; OIHW conv weights, Linear [out, in]), with the "
                + "architecture in its metadata, so model.load_state_dict(...) takes it in PyTorch "
                + "(interop/python/torch_interop.py builds the twins). onnx is a graph of opset 13 (Conv, Gemm, Relu, "
                + "MaxPool, "
                + "AveragePool, Flatten, ...) that ONNX Runtime and other ONNX readers run, with the architecture in "
                + "its metadata_props."})
final class ExportCommand implements Callable<Integer> {
    enum Format { safetensors, onnx, lanes }

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model file (any format).")
    Path model;

    @Option(names = "--format", required = true, description = "${COMPLETION-CANDIDATES}.")
    Format format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write.")
    Path out;

    @Override
    public Integer call() throws IOException {
        ModelFile.Loaded loaded = ModelArgs.read(model, null, new int[0], 0);
        switch (format) {
            case safetensors -> ModelFile.writeSafetensors(out, loaded.architecture(), loaded.model(),
                    loaded.metadata());
            case onnx -> OnnxExport.write(out, loaded.architecture(), loaded.model(), loaded.metadata());
            case lanes -> ModelFile.write(out, loaded.architecture(), loaded.model(), loaded.metadata());
        }
        System.out.printf(Locale.ROOT, "%s (%s) -> %s (%s, %,d bytes)%n", model, loaded.architecture().text(), out,
                format, java.nio.file.Files.size(out));
        return 0;
    }
}
