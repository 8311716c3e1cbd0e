package lanes.app.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import lanes.engine.Parallel;
import lanes.reference.FuzzCases;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lanes fuzz}: random cases, each drawn from its own seed, checked against the scalar reference oracles
 * (double precision, with error bounds derived from each sum's terms) until the time is up. Every failure prints
 * its case and the command that replays exactly that case; the exit status is 1 if any failed.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check random GEMM, convolution (forward, backward-data, backward-weights; 1-D and 2-D; stride,"
                + " padding, dilation, groups) and pooling cases against plain reference loops until the time is up.",
            "Each case prints nothing unless it fails; then it prints the case and the command that replays it."})
final class FuzzCommand implements Callable<Integer> {
    @Option(names = "--minutes", description = "How long to run (default ${DEFAULT-VALUE}).")
    double minutes = 1;

    @Option(names = "--seed", description = "Seed of the first case; case i uses seed + i (default: from the clock).")
    Long seed;

    @Option(names = "--suite", description = "gemm, conv, pool or all (default ${DEFAULT-VALUE}).")
    String suite = "all";

    @Option(names = "--cases", description = "Stop after this many cases (default: when the time is up).")
    Long cases;

    @Override
    public Integer call() {
        if (!(minutes > 0) || Double.isInfinite(minutes)) {
            throw new IllegalArgumentException("--minutes " + minutes + ": must be a finite number > 0");
        }
        if (cases != null) {
            Args.positive("--cases", cases);
        }
        String[] suites = FuzzCases.suites(suite).toArray(String[]::new);
        long first = seed != null ? seed : System.nanoTime() & 0xffffffffL;
        long deadline = System.nanoTime() + (long) (minutes * 60e9);
        System.out.printf(Locale.ROOT, "lanes fuzz: suites %s from seed %d for %s minute(s)%s, %d thread(s)%n",
                String.join(",", suites), first, minutes, cases == null ? "" : " or " + cases + " case(s)",
                Parallel.threads());
        long run = 0;
        long failed = 0;
        long[] perSuite = new long[suites.length];
        while ((cases == null || run < cases) && System.nanoTime() < deadline) {
            long s = first + run;
            int which = (int) Math.floorMod(s, (long) suites.length);
            String name = suites[which];
            try {
                String what = FuzzCases.run(name, s);
                perSuite[which]++;
                if (what == null) {
                    throw new IllegalStateException("no case");
                }
            } catch (RuntimeException e) {           // a Mismatch, or a kernel that threw
                failed++;
                System.out.printf(Locale.ROOT, "FAIL %s seed %d: %s%n  replay: ./lanes fuzz --suite %s --seed %d "
                        + "--cases 1%n", name, s, e.getMessage(), suites.length == 1 ? name : "all", s);
            }
            run++;
        }
        StringBuilder counts = new StringBuilder();
        for (int i = 0; i < suites.length; i++) {
            counts.append(i == 0 ? "" : ", ").append(suites[i]).append(' ').append(perSuite[i]);
        }
        System.out.printf(Locale.ROOT, "%d case(s) (%s), %d failed%n", run, counts, failed);
        return failed == 0 ? 0 : 1;
    }
}
