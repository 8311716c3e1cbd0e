package lanes.bench.cli;

import picocli.CommandLine.Command;

/** {@code lanes bench SUITE}: the JMH suites, with peers measured in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run a benchmark suite: Lanes and its peers side by side, GFLOP/s and %% of the FMA peak.",
        subcommands = {GemmBenchCommand.class, ConvBenchCommand.class, TrainBenchCommand.class,
            E2eBenchCommand.class, PredictBenchCommand.class, StudioBenchCommand.class, MelBenchCommand.class, AllBenchCommand.class})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
