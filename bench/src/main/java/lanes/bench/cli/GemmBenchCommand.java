package lanes.bench.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import lanes.app.cli.Args;
import lanes.bench.GemmBench;
import lanes.bench.GemmCase;
import lanes.bench.peers.OpenBlas;
import lanes.engine.gemm.BlockSizes;
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
 * {@code lanes bench gemm}: every SGEMM case of {@link GemmCase}, Lanes and its peers in one JMH run per
 * thread count, as a table of GFLOP/s, % of the measured FMA peak and ratios, and optionally as JSON.
 */
@Command(name = "gemm", mixinStandardHelpOptions = true,
        description = "SGEMM: Lanes vs OpenBLAS (native, if installed), netlib-java, EJML and a naive loop.")
final class GemmBenchCommand implements Callable<Integer> {
    /** Peers in report order; the key is the JMH method, the value the name in reports. */
    static final Map<String, String> IMPLS = new LinkedHashMap<>();

    static {
        IMPLS.put("lanes", "lanes");
        IMPLS.put("openblas", "openblas");
        IMPLS.put("netlibJava", "netlib-java");
        IMPLS.put("ejml", "ejml");
        IMPLS.put("naive", "naive");
    }

    /** The naive loop is only timed on products up to this many FLOPs (sq512); beyond, one call takes seconds. */
    static final double NAIVE_MAX_FLOPS = 2.0 * 512 * 512 * 512;

    @Mixin
    RunOptions options;

    @Option(names = "--cases", split = ",", description = "Cases to run (default: all): ${COMPLETION-CANDIDATES}",
            completionCandidates = CaseNames.class)
    List<String> cases;

    @Option(names = "--impls", split = ",", description = "Implementations (default: all available): "
            + "lanes, openblas, netlib-java, ejml, naive.")
    List<String> impls;

    @Option(names = "--rounds", description = "Rounds of paired runs (default ${DEFAULT-VALUE}). Above 1, every case "
            + "runs Lanes and then each peer back to back, round after round, so that each ratio compares figures "
            + "taken seconds apart; the table gives each implementation's median and each ratio's median with its "
            + "range over the rounds. A machine whose speed drifts (a VM, a shared host) moves both sides of a pair "
            + "alike, where it would move only one side of a run that times all of Lanes first.")
    int rounds = 1;

    static final class CaseNames extends ArrayList<String> {
        CaseNames() {
            super(GemmCase.ALL.keySet());
        }
    }

    @Override
    public Integer call() throws RunnerException, IOException {
        options.check();
        Args.positive("--rounds", rounds);
        int[] threadSet = options.threadCounts();
        List<String> caseNames = cases != null ? cases : new ArrayList<>(GemmCase.ALL.keySet());
        caseNames.forEach(GemmCase::named);
        List<String> chosen = chooseImpls();

        System.out.println("Lanes SGEMM benchmark  (" + BlockSizes.describe() + ")");
        System.out.println(OpenBlas.get().map(o -> "OpenBLAS core: " + o.coreName()
                + (System.getenv("OPENBLAS_CORETYPE") != null
                        ? " (forced by OPENBLAS_CORETYPE=" + System.getenv("OPENBLAS_CORETYPE") + ")" : ""))
                .orElse("OpenBLAS: skipped, " + OpenBlas.whyMissing()));

        List<Measurement> all = new ArrayList<>();
        for (int t : threadSet) {
            double peak = FmaPeak.measure(t, 5).gflops();
            List<Measurement> rows = rounds == 1 ? runByImplementation(chosen, caseNames, t, peak)
                    : runInPairs(chosen, caseNames, t, peak);
            printTable(rows, caseNames, t, peak);
            all.addAll(rows);
        }
        options.writeJson(all.stream().map(Measurement::toJson).toList());
        return 0;
    }

    // Each implementation in one JMH run over every case: the cheapest way, when one round is asked for.
    private List<Measurement> runByImplementation(List<String> chosen, List<String> caseNames, int t, double peak)
            throws RunnerException {
        List<Measurement> rows = new ArrayList<>();
        for (String impl : chosen) {
            List<String> runCases = caseNames.stream().filter(c -> runs(impl, c, t)).toList();
            if (runCases.isEmpty()) {
                continue;
            }
            System.out.printf("running %s on %d thread%s: %s%n", IMPLS.get(impl), t, t == 1 ? "" : "s",
                    String.join(" ", runCases));
            for (RunResult r : run(impl, runCases, t)) {
                rows.add(measurement(impl, r, t, peak, 1));
            }
        }
        return rows;
    }

    // Round after round, case after case, every implementation back to back: one JMH run per (case, impl).
    private List<Measurement> runInPairs(List<String> chosen, List<String> caseNames, int t, double peak)
            throws RunnerException {
        List<Measurement> rows = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            System.out.printf("round %d of %d on %d thread%s: %s%n", round, rounds, t, t == 1 ? "" : "s",
                    String.join(" ", caseNames));
            for (String name : caseNames) {
                for (String impl : chosen) {
                    if (runs(impl, name, t)) {
                        for (RunResult r : run(impl, List.of(name), t)) {
                            rows.add(measurement(impl, r, t, peak, round));
                        }
                    }
                }
            }
        }
        return rows;
    }

    // Whether impl runs case on t threads: the pure-Java peers are single-threaded, and the naive loop only
    // times small products.
    private static boolean runs(String impl, String caseName, int t) {
        boolean multi = impl.equals("lanes") || impl.equals("openblas");
        return (t == 1 || multi) && (!impl.equals("naive") || GemmCase.named(caseName).flops() <= NAIVE_MAX_FLOPS);
    }

    private static Measurement measurement(String impl, RunResult r, int t, double peak, int round) {
        GemmCase g = GemmCase.named(r.getParams().getParam("shape"));
        double gflops = r.getPrimaryResult().getScore() * g.flops() * 1e-9;
        return new Measurement(IMPLS.get(impl), g, t, gflops, peak, round);
    }

    private List<String> chooseImpls() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : IMPLS.entrySet()) {
            if (impls != null && !impls.contains(e.getValue())) {
                continue;
            }
            if (e.getKey().equals("openblas") && OpenBlas.get().isEmpty()) {
                continue;
            }
            out.add(e.getKey());
        }
        if (impls != null) {
            for (String name : impls) {
                if (!IMPLS.containsValue(name)) {
                    throw new IllegalArgumentException("unknown implementation \"" + name + "\"; known: "
                            + IMPLS.values());
                }
            }
        }
        return out;
    }

    private java.util.Collection<RunResult> run(String impl, List<String> caseNames, int t) throws RunnerException {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(GemmBench.class.getName() + "\\." + impl + "$")
                .param("shape", caseNames.toArray(String[]::new))
                .param("threads", Integer.toString(t))
                .forks(1)
                .verbosity(VerboseMode.SILENT)
                .shouldFailOnError(true);
        return new Runner(options.apply(o).build()).run();
    }

    private static void printTable(List<Measurement> rows, List<String> caseNames, int t, double peak) {
        List<String> impls = rows.stream().map(Measurement::impl).distinct().toList();
        int rounds = rows.stream().mapToInt(Measurement::round).max().orElse(1);
        String ratioCell = rounds > 1 ? " %17s" : " %13s";
        System.out.printf(Locale.ROOT, "%nSGEMM, %d thread%s, GFLOP/s (FMA peak %.1f GFLOP/s)%s%n", t,
                t == 1 ? "" : "s", peak, rounds == 1 ? "" : "; medians of " + rounds + " rounds"
                        + (impls.size() > 1 ? ", each ratio the median of the rounds' own and their range" : ""));
        StringBuilder head = new StringBuilder(String.format("%-14s %-2s %5s %5s %5s", "case", "op", "M", "N", "K"));
        for (String impl : impls) {
            head.append(String.format(" %11s", impl));
        }
        head.append(String.format(" %7s", "%peak"));
        for (String impl : impls) {
            if (!impl.equals("lanes")) {
                head.append(String.format(ratioCell, "x " + impl));
            }
        }
        System.out.println(head);
        for (String name : caseNames) {
            GemmCase g = GemmCase.named(name);
            StringBuilder line = new StringBuilder(String.format("%-14s %-2s %5d %5d %5d", name, g.ops(), g.m(),
                    g.n(), g.k()));
            for (String impl : impls) {
                double v = PairedRatios.median(byRound(rows, name, impl, rounds));
                line.append(Double.isNaN(v) ? String.format(" %11s", "-") : String.format(Locale.ROOT, " %11.1f", v));
            }
            double[] lanes = byRound(rows, name, "lanes", rounds);
            double lanesMedian = PairedRatios.median(lanes);
            line.append(Double.isNaN(lanesMedian) ? String.format(" %7s", "-")
                    : String.format(Locale.ROOT, " %6.1f%%", 100 * lanesMedian / peak));
            for (String impl : impls) {
                if (!impl.equals("lanes")) {
                    line.append(String.format(ratioCell,
                            PairedRatios.describe(lanes, byRound(rows, name, impl, rounds))));
                }
            }
            System.out.println(line);
        }
        System.out.println();
    }

    // impl's GFLOP/s on the case, one a round (index round - 1), NaN where it did not run
    private static double[] byRound(List<Measurement> rows, String caseName, String impl, int rounds) {
        double[] v = new double[rounds];
        java.util.Arrays.fill(v, Double.NaN);
        for (Measurement m : rows) {
            if (m.g().name().equals(caseName) && m.impl().equals(impl)) {
                v[m.round() - 1] = m.gflops();
            }
        }
        return v;
    }

    /** One timed implementation on one case. */
    record Measurement(String impl, GemmCase g, int threads, double gflops, double peak, int round) {
        String toJson() {
            return String.format(Locale.ROOT, "{\"suite\": \"gemm\", \"impl\": \"%s\", \"case\": \"%s\", \"op\": \"%s\","
                            + " \"m\": %d, \"n\": %d, \"k\": %d, \"threads\": %d, \"gflops\": %.3f,"
                            + " \"peak_gflops\": %.3f, \"round\": %d}", impl, g.name(), g.ops(), g.m(), g.n(), g.k(),
                    threads, gflops, peak, round);
        }
    }
}
