package lanes.bench.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import lanes.app.cli.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code lanes bench all}: the gemm, conv and train suites one after another, with one JSON file for all. */
@Command(name = "all", mixinStandardHelpOptions = true,
        description = "Run the gemm, conv and train suites in turn (about 10 minutes; 4 with --quick).")
final class AllBenchCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "Shorter warm-up and measurement (about 3x faster, noisier).")
    boolean quick;

    @Option(names = "--json", description = "Also write every suite's measurements to this file as one JSON array.")
    Path json;

    @Override
    public Integer call() throws IOException {
        List<String> objects = new ArrayList<>();
        for (String suite : new String[] {"gemm", "conv", "train"}) {
            Path part = json == null ? null : Files.createTempFile("lanes-bench-" + suite, ".json");
            try {
                List<String> args = new ArrayList<>(List.of("bench", suite));
                if (quick) {
                    args.add("--quick");
                }
                if (part != null) {
                    args.add("--json");
                    args.add(part.toString());
                }
                int status = BenchApp.commandLine().execute(args.toArray(String[]::new));
                if (status != 0) {
                    throw new IllegalStateException("bench " + suite + " failed (exit status " + status + ")");
                }
                if (part != null) {
                    String text = Files.readString(part, StandardCharsets.UTF_8).strip();
                    String inner = text.substring(1, text.length() - 1).strip();
                    if (!inner.isEmpty()) {
                        objects.add(inner);
                    }
                }
            } finally {
                if (part != null) {
                    Files.deleteIfExists(part);
                }
            }
        }
        if (json != null) {
            Json.writeObject(json, "[\n  " + String.join(",\n  ", objects) + "\n]");
            System.out.println("wrote " + json);
        }
        return 0;
    }
}
