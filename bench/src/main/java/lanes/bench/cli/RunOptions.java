package lanes.bench.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Option;

/** The options every {@code lanes bench} suite shares: run length, thread counts and the JSON output. */
final class RunOptions {
    @Option(names = "--quick", description = "Shorter warm-up and measurement (about 3x faster, noisier).")
    boolean quick;

    @Option(names = "--threads", split = ",", description = "Thread counts to run (default: 1 and all cores).")
    int[] threads;

    @Option(names = "--json", description = "Also write the measurements to this file as a JSON array.")
    Path json;

    /** The thread counts to run: as given, else 1 and all cores. */
    int[] threadCounts() {
        int cores = Runtime.getRuntime().availableProcessors();
        return threads != null ? threads : (cores > 1 ? new int[] {1, cores} : new int[] {1});
    }

    /** Shortens warm-up and measurement where {@code --quick} asks for it. */
    ChainedOptionsBuilder apply(ChainedOptionsBuilder o) {
        if (quick) {
            // 2 s of warm-up: with every core busy running the benchmark, C2 needs that long to compile the
            // kernels (less, and an all-cores run times interpreted vector code)
            o.warmupIterations(4).warmupTime(TimeValue.milliseconds(500))
                    .measurementIterations(3).measurementTime(TimeValue.milliseconds(300));
        }
        return o;
    }

    /** Writes the JSON objects atomically where {@code --json} names a file. */
    void writeJson(List<String> objects) throws IOException {
        if (json != null) {
            Json.writeAtomically(json, objects);
            System.out.println("wrote " + json);
        }
    }
}
