package lanes.bench.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import lanes.bench.conv.ConvBench;
import lanes.bench.conv.ConvCase.Pass;
import lanes.bench.conv.ConvCase;
import lanes.engine.probe.FmaPeak;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lanes bench conv}: every convolution case of {@link ConvCase} and pass, the direct kernels and the im2col +
 * Lanes GEMM baseline in one JMH run per thread count, as a table of GFLOP/s, % of the measured FMA peak and the
 * ratio to the baseline, and optionally as JSON.
 */
@Command(name = "conv", mixinStandardHelpOptions = true,
        description = "Convolution: Lanes' direct kernels vs im2col + Lanes GEMM, per case and pass.")
final class ConvBenchCommand implements Callable<Integer> {
    static final Map<String, String> IMPLS = new LinkedHashMap<>();

    static {
        IMPLS.put("lanes", "lanes");
        IMPLS.put("im2col", "im2col+gemm");
    }

    @Mixin
    RunOptions options;

    @Option(names = "--cases", split = ",", description = "Cases to run (default: all): ${COMPLETION-CANDIDATES}",
            completionCandidates = CaseNames.class)
    List<String> cases;

    @Option(names = "--passes", split = ",", description = "Passes (default: all): fwd, bwd_data, bwd_weights,"
            + " fwd+bwd.")
    List<String> passes;

    @Option(names = "--impls", split = ",", description = "Implementations (default: both): lanes, im2col+gemm.")
    List<String> impls;

    static final class CaseNames extends ArrayList<String> {
        CaseNames() {
            super(ConvCase.ALL.keySet());
        }
    }

    @Override
    public Integer call() throws RunnerException, IOException {
        options.check();
        int[] threadSet = options.threadCounts();
        List<String> caseNames = cases != null ? cases : new ArrayList<>(ConvCase.ALL.keySet());
        caseNames.forEach(ConvCase::named);
        List<String> passNames = passes != null ? passes
                : List.of(Pass.FWD.label, Pass.BWD_DATA.label, Pass.BWD_WEIGHTS.label, Pass.FWD_BWD.label);
        passNames.forEach(Pass::named);
        List<String> chosen = new ArrayList<>();
        for (Map.Entry<String, String> e : IMPLS.entrySet()) {
            if (impls == null || impls.contains(e.getValue()) || impls.contains(e.getKey())) {
                chosen.add(e.getKey());
            }
        }
        if (impls != null) {
            for (String name : impls) {
                if (!IMPLS.containsKey(name) && !IMPLS.containsValue(name)) {
                    throw new IllegalArgumentException("unknown implementation \"" + name + "\"; known: "
                            + IMPLS.values());
                }
            }
        }
        System.out.println("Lanes convolution benchmark  (FLOPs per pass = 2 N OC OH OW (C/g) KH KW; fwd+bwd = 3"
                + " passes)");
        List<Measurement> all = new ArrayList<>();
        for (int t : threadSet) {
            double peak = FmaPeak.measure(t, 5).gflops();
            List<Measurement> rows = new ArrayList<>();
            for (String impl : chosen) {
                System.out.printf("running %s on %d thread%s%n", IMPLS.get(impl), t, t == 1 ? "" : "s");
                for (RunResult r : run(impl, caseNames, passNames, t)) {
                    ConvCase c = ConvCase.named(r.getParams().getParam("conv"));
                    Pass p = Pass.named(r.getParams().getParam("pass"));
                    double gflops = r.getPrimaryResult().getScore() * c.flops(p) * 1e-9;
                    rows.add(new Measurement(IMPLS.get(impl), c, p, t, gflops, peak));
                }
            }
            printTable(rows, caseNames, passNames, t, peak);
            all.addAll(rows);
        }
        options.writeJson(all.stream().map(Measurement::toJson).toList());
        return 0;
    }

    private java.util.Collection<RunResult> run(String impl, List<String> caseNames, List<String> passNames, int t)
            throws RunnerException {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(ConvBench.class.getName() + "\\." + impl + "$")
                .param("conv", caseNames.toArray(String[]::new))
                .param("pass", passNames.toArray(String[]::new))
                .param("threads", Integer.toString(t))
                .forks(1)
                .verbosity(VerboseMode.SILENT)
                .shouldFailOnError(true);
        return new Runner(options.apply(o).build()).run();
    }

    private static void printTable(List<Measurement> rows, List<String> caseNames, List<String> passNames, int t,
                                   double peak) {
        System.out.printf(Locale.ROOT, "%nConvolution, %d thread%s, GFLOP/s (FMA peak %.1f GFLOP/s)%n", t,
                t == 1 ? "" : "s", peak);
        System.out.printf("%-12s %-12s %10s %8s %12s %10s%n", "case", "pass", "lanes", "%peak", "im2col+gemm",
                "x im2col");
        for (String name : caseNames) {
            for (String pass : passNames) {
                Double lanes = find(rows, name, pass, "lanes");
                Double base = find(rows, name, pass, "im2col+gemm");
                System.out.println(String.format(Locale.ROOT, "%-12s %-12s %10s %8s %12s %10s", name,
                        Pass.named(pass).label, fmt(lanes), lanes == null ? "-"
                                : String.format(Locale.ROOT, "%.1f%%", 100 * lanes / peak), fmt(base),
                        lanes == null || base == null ? "-" : String.format(Locale.ROOT, "%.2fx", lanes / base)));
            }
        }
        System.out.println();
    }

    private static Double find(List<Measurement> rows, String name, String pass, String impl) {
        Pass p = Pass.named(pass);
        return rows.stream().filter(r -> r.c().name().equals(name) && r.pass() == p && r.impl().equals(impl))
                .map(Measurement::gflops).findFirst().orElse(null);
    }

    private static String fmt(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    /** One timed implementation on one case and pass. */
    record Measurement(String impl, ConvCase c, Pass pass, int threads, double gflops, double peak) {
        String toJson() {
            return String.format(Locale.ROOT, "{\"suite\": \"conv\", \"impl\": \"%s\", \"case\": \"%s\","
                            + " \"pass\": \"%s\", \"spec\": \"%s\", \"threads\": %d, \"gflops\": %.3f,"
                            + " \"peak_gflops\": %.3f}", impl, c.name(), pass.label, c.spec(), threads, gflops,
                    peak);
        }
    }
}
