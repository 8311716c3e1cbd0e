package lanes.bench.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import lanes.layers.io.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lanes import}: weights from elsewhere as a Lanes model file. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Read weights written elsewhere (a PyTorch state_dict in safetensors, F32, F16 or BF16) into "
                + "a Lanes model file. The architecture comes from the file's metadata, else from --arch; the "
                + "names and shapes must be those of its nn.Sequential twin, or the error lists what differs."})
final class ImportCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "FILE", description = "The file to read.")
    Path from;

    @Option(names = "--arch", paramLabel = "NAME", description = ModelArgs.ARCH_HELP)
    String arch;

    @Option(names = "--input", paramLabel = "CxHxW", description = "One example's shape, with --arch (default "
            + "${DEFAULT-VALUE}).")
    String input = "1x28x28";

    @Option(names = "--classes", description = "The number of classes, with --arch (default ${DEFAULT-VALUE}).")
    int classes = 10;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The Lanes model file to write.")
    Path out;

    @Override
    public Integer call() throws IOException {
        Args.positive("--classes", classes);
        ModelFile.Loaded loaded = ModelArgs.read(from, arch, ModelArgs.shape("--input", input), classes);
        ModelFile.write(out, loaded.architecture(), loaded.model(), loaded.metadata());
        System.out.printf(Locale.ROOT, "%s -> %s (%s, %,d parameters)%n", from, out, loaded.architecture(),
                loaded.model().parameters().stream().mapToLong(p -> p.value.size()).sum());
        return 0;
    }
}
