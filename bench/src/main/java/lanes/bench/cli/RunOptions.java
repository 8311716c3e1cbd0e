package lanes.bench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lanes.app.cli.Args;
import lanes.app.cli.Json;
import lanes.engine.Simd;
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

    @Option(names = "--vector-bits", description = "Vector width to run Lanes at: 128, 256 or 512. ./lanes starts the "
            + "JVM for it (-XX:MaxVectorSize=16 for 128, -XX:UseAVX=2 for 256 on x86) and the native peers at the "
            + "same ISA (OPENBLAS_CORETYPE=Haswell, ATEN_CPU_CAPABILITY=avx2, DNNL_MAX_CPU_ISA=AVX2 for 256).")
    Integer vectorBits;

    @Option(names = "--forks", description = "JMH forks per benchmark (default ${DEFAULT-VALUE}). Each is a fresh JVM, "
            + "whose JIT can settle in a faster or a slower mode for the same code; the figure is their mean.")
    int forks = 1;

    /**
     * Fails with one line naming the option and its value: --forks below 1, or --vector-bits asking for a width
     * this JVM does not run at (both widths named).
     */
    void check() {
        Args.positive("--forks", forks);
        int have = Simd.SPECIES.vectorBitSize();
        if (vectorBits != null && vectorBits != have) {
            throw new IllegalArgumentException("--vector-bits " + vectorBits + " asked, but this JVM's vectors are "
                    + have + " bits wide" + (vectorBits > have ? " (the CPU or its flags allow no wider)" : "")
                    + "; run it through ./lanes, which starts the JVM with the flags for that width");
        }
    }

    /** The CPU's model name, family and model (Linux: /proc/cpuinfo), else the OS architecture. */
    static String cpuModel() {
        try {
            String name = null;
            String family = null;
            String model = null;
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                String value = line.substring(line.indexOf(':') + 1).trim();
                if (line.startsWith("model name") && name == null) {
                    name = value;
                } else if (line.startsWith("cpu family") && family == null) {
                    family = value;
                } else if (line.startsWith("model\t") && model == null) {
                    model = value;
                }
            }
            if (name != null) {
                return name + (family != null && model != null ? " (family " + family + ", model " + model + ")" : "");
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    /** The thread counts to run: as given, else 1 and all cores. */
    int[] threadCounts() {
        int cores = Runtime.getRuntime().availableProcessors();
        return threads != null ? threads : (cores > 1 ? new int[] {1, cores} : new int[] {1});
    }

    /** Runs {@code --forks} forks, and shortens warm-up and measurement where {@code --quick} asks for it. */
    ChainedOptionsBuilder apply(ChainedOptionsBuilder o) {
        o.forks(forks);
        if (quick) {
            // 2 s of warm-up: with every core busy running the benchmark, C2 needs that long to compile the
            // kernels (less, and an all-cores run times interpreted vector code)
            o.warmupIterations(4).warmupTime(TimeValue.milliseconds(500))
                    .measurementIterations(3).measurementTime(TimeValue.milliseconds(300));
        }
        return o;
    }

    /**
     * Writes the JSON objects atomically where {@code --json} names a file, each with the vector width it ran at
     * ({@code vector_bits}) and the CPU model ({@code cpu}).
     */
    void writeJson(List<String> objects) throws IOException {
        if (json != null) {
            String machine = "\"vector_bits\": " + Simd.SPECIES.vectorBitSize() + ", \"cpu\": "
                    + Json.quote(cpuModel());
            Json.writeAtomically(json, objects.stream().map(o -> "{" + machine + (o.length() > 2 ? ", " : "")
                    + o.substring(1)).toList());
            System.out.println("wrote " + json);
        }
    }
}
