package lanes.bench.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import lanes.app.cli.Args;
import lanes.bench.predict.PredictorBench;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.Statistics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lanes bench predict}: single-image inference through one shared {@code Predictor} at 1..8 concurrent
 * callers: latency percentiles (JMH sample time) and the calls per second of all callers (JMH throughput).
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Single-image inference from 1 to 8 threads at once through one Predictor: p50 / p99 latency "
                + "and total predictions per second.")
final class PredictBenchCommand implements Callable<Integer> {
    @Mixin
    RunOptions options;

    @Option(names = "--callers", split = ",", description = "Caller thread counts (default ${DEFAULT-VALUE}).")
    int[] callers = {1, 2, 4, 8};

    @Option(names = "--cases", split = ",", description = "Models (default: both): mlp:784-256-128-10, lenet5.")
    List<String> cases;

    @Override
    public Integer call() throws RunnerException, IOException {
        options.check();
        List<String> models = cases != null ? cases : List.of("mlp:784-256-128-10", "lenet5");
        List<String> json = new ArrayList<>();
        System.out.printf("Lanes inference benchmark: one image per call, one shared Predictor, kernels on %s%n",
                options.threads == null ? "the default thread count" : options.threads[0] + " thread(s)");
        System.out.printf("%-20s %8s %10s %10s %10s %16s%n", "case", "callers", "p50 us", "p99 us", "mean us",
                "predictions/s");
        for (String model : models) {
            for (int c : callers) {
                Args.positive("--callers", c);
                double[] latency = null;
                double perSecond = Double.NaN;
                for (Mode mode : new Mode[] {Mode.SampleTime, Mode.Throughput}) {
                    OptionsBuilder o = new OptionsBuilder();
                    o.include(PredictorBench.class.getName() + "\\.predict$").param("model", model).threads(c)
                            .mode(mode).forks(1).verbosity(VerboseMode.SILENT).shouldFailOnError(true);
                    if (options.threads != null) {
                        o.jvmArgsAppend("-Dlanes.threads=" + options.threads[0]);
                    }
                    for (RunResult r : new Runner(options.apply(o).build()).run()) {
                        if (mode == Mode.SampleTime) {
                            Statistics s = r.getPrimaryResult().getStatistics();
                            latency = new double[] {s.getPercentile(50), s.getPercentile(99), s.getMean()};
                        } else {
                            perSecond = r.getPrimaryResult().getScore() * 1e6;   // ops/us, all threads
                        }
                    }
                }
                System.out.printf(Locale.ROOT, "%-20s %8d %10.1f %10.1f %10.1f %16.0f%n", model, c, latency[0],
                        latency[1], latency[2], perSecond);
                json.add(String.format(Locale.ROOT, "{\"suite\": \"predict\", \"impl\": \"lanes\", \"case\": \"%s\","
                        + " \"callers\": %d, \"p50_us\": %.2f, \"p99_us\": %.2f, \"mean_us\": %.2f,"
                        + " \"predictions_per_s\": %.0f}", model, c, latency[0], latency[1], latency[2], perSecond));
            }
        }
        options.writeJson(json);
        return 0;
    }
}
