package lanes.app.cli;

import java.io.IOException;
import java.nio.file.Path;
import lanes.layers.io.ModelFile;
import picocli.CommandLine.Option;

/** {@code --arch}, {@code --input} and {@code --classes}: what a model file that does not name its model needs. */
final class ArchOptions {
    @Option(names = "--arch", paramLabel = "NAME", description = ModelArgs.ARCH_HELP)
    String arch;

    @Option(names = "--input", paramLabel = "CxHxW", description = "One example's shape, with --arch (default "
            + "${DEFAULT-VALUE}).")
    String input = "1x28x28";

    @Option(names = "--classes", description = "The number of classes, with --arch (default ${DEFAULT-VALUE}).")
    int classes = 10;

    /** The model in {@code file} (any format), with these options where the file does not say what it holds. */
    ModelFile.Loaded read(Path file) throws IOException {
        Args.positive("--classes", classes);
        return ModelArgs.read(file, arch, ModelArgs.shape("--input", input), classes);
    }
}
