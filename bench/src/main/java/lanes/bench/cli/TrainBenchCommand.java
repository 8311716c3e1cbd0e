package lanes.bench.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import lanes.bench.train.TrainBench;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lanes bench train}: training-step throughput (batch 64) of the MLP and LeNet-5 in images per second, with
 * the heap bytes each step allocates (JMH's GC profiler), per thread count.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Training steps per second (batch 64) of mlp:784-256-128-10 and lenet5, and bytes allocated per step.")
final class TrainBenchCommand implements Callable<Integer> {
    @Mixin
    RunOptions options;

    @Option(names = "--cases", split = ",", description = "Models (default: both): mlp:784-256-128-10, lenet5.")
    List<String> cases;

    @Option(names = "--breakdown", description = "Instead of the JMH run, time each layer's forward and backward"
            + " in-process and print where a step's time goes.")
    boolean breakdown;

    @Override
    public Integer call() throws RunnerException, IOException {
        options.check();
        List<String> models = cases != null ? cases : List.of("mlp:784-256-128-10", "lenet5");
        if (breakdown) {
            for (int t : options.threadCounts()) {
                for (String model : models) {
                    lanes.bench.train.StepBreakdown.print(model, t, options.quick ? 2 : 5, 300);
                }
            }
            return 0;
        }
        List<String> json = new ArrayList<>();
        System.out.println("Lanes training benchmark: forward + backward + SGD step, batch " + TrainBench.BATCH);
        for (int t : options.threadCounts()) {
            System.out.printf("%nTraining, %d thread%s%n%-20s %14s %18s%n", t, t == 1 ? "" : "s", "case",
                    "images/s", "bytes/step (heap)");
            OptionsBuilder o = new OptionsBuilder();
            o.include(TrainBench.class.getName() + "\\.step$")
                    .param("model", models.toArray(String[]::new))
                    .param("threads", Integer.toString(t))
                    .forks(1)
                    .addProfiler(GCProfiler.class)
                    .verbosity(VerboseMode.SILENT)
                    .shouldFailOnError(true);
            for (RunResult r : new Runner(options.apply(o).build()).run()) {
                String model = r.getParams().getParam("model");
                double images = r.getPrimaryResult().getScore() * TrainBench.BATCH;
                Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
                double bytes = alloc == null ? Double.NaN : alloc.getScore();
                System.out.printf(Locale.ROOT, "%-20s %14.0f %18.0f%n", model, images, bytes);
                json.add(String.format(Locale.ROOT, "{\"suite\": \"train\", \"impl\": \"lanes\", \"case\": \"%s\","
                        + " \"threads\": %d, \"images_per_s\": %.1f, \"alloc_bytes_per_step\": %.0f}", model, t,
                        images, bytes));
            }
        }
        options.writeJson(json);
        return 0;
    }
}
