package lanes.bench.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
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

    static final class CaseNames extends ArrayList<String> {
        CaseNames() {
            super(GemmCase.ALL.keySet());
        }
    }

    @Override
    public Integer call() throws RunnerException, IOException {
        options.check();
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
            List<Measurement> rows = new ArrayList<>();
            for (String impl : chosen) {
                boolean multi = impl.equals("lanes") || impl.equals("openblas");
                if (t > 1 && !multi) {
                    continue;   // the pure-Java peers are single-threaded
                }
                List<String> runCases = caseNames.stream()
                        .filter(c -> !impl.equals("naive") || GemmCase.named(c).flops() <= NAIVE_MAX_FLOPS)
                        .toList();
                if (runCases.isEmpty()) {
                    continue;
                }
                System.out.printf("running %s on %d thread%s: %s%n", IMPLS.get(impl), t, t == 1 ? "" : "s",
                        String.join(" ", runCases));
                for (RunResult r : run(impl, runCases, t)) {
                    GemmCase g = GemmCase.named(r.getParams().getParam("shape"));
                    double gflops = r.getPrimaryResult().getScore() * g.flops() * 1e-9;
                    rows.add(new Measurement(IMPLS.get(impl), g, t, gflops, peak));
                }
            }
            printTable(rows, caseNames, t, peak);
            all.addAll(rows);
        }
        options.writeJson(all.stream().map(Measurement::toJson).toList());
        return 0;
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
        System.out.printf(Locale.ROOT, "%nSGEMM, %d thread%s, GFLOP/s (FMA peak %.1f GFLOP/s)%n", t,
                t == 1 ? "" : "s", peak);
        StringBuilder head = new StringBuilder(String.format("%-14s %-2s %5s %5s %5s", "case", "op", "M", "N", "K"));
        for (String impl : impls) {
            head.append(String.format(" %11s", impl));
        }
        head.append(String.format(" %7s", "%peak"));
        for (String impl : impls) {
            if (!impl.equals("lanes")) {
                head.append(String.format(" %13s", "x " + impl));
            }
        }
        System.out.println(head);
        for (String name : caseNames) {
            GemmCase g = GemmCase.named(name);
            Map<String, Double> by = new LinkedHashMap<>();
            rows.stream().filter(r -> r.g().name().equals(name)).forEach(r -> by.put(r.impl(), r.gflops()));
            StringBuilder line = new StringBuilder(String.format("%-14s %-2s %5d %5d %5d", name, g.ops(), g.m(),
                    g.n(), g.k()));
            for (String impl : impls) {
                Double v = by.get(impl);
                line.append(v == null ? String.format(" %11s", "-") : String.format(Locale.ROOT, " %11.1f", v));
            }
            Double lanes = by.get("lanes");
            line.append(lanes == null ? String.format(" %7s", "-")
                    : String.format(Locale.ROOT, " %6.1f%%", 100 * lanes / peak));
            for (String impl : impls) {
                if (!impl.equals("lanes")) {
                    Double v = by.get(impl);
                    line.append(lanes == null || v == null ? String.format(" %13s", "-")
                            : String.format(Locale.ROOT, " %12.2fx", lanes / v));
                }
            }
            System.out.println(line);
        }
        System.out.println();
    }

    /** One timed implementation on one case. */
    record Measurement(String impl, GemmCase g, int threads, double gflops, double peak) {
        String toJson() {
            return String.format(Locale.ROOT, "{\"suite\": \"gemm\", \"impl\": \"%s\", \"case\": \"%s\", \"op\": \"%s\","
                            + " \"m\": %d, \"n\": %d, \"k\": %d, \"threads\": %d, \"gflops\": %.3f,"
                            + " \"peak_gflops\": %.3f}", impl, g.name(), g.ops(), g.m(), g.n(), g.k(), threads,
                    gflops, peak);
        }
    }
}
