package lanes.app.cli;

import java.util.concurrent.Callable;
import lanes.engine.Simd;
import lanes.engine.VectorApi;
import lanes.engine.probe.FmaPeak;
import lanes.engine.tune.TileTable;
import lanes.engine.tune.Tuning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lanes info}: the JDK, the vector shape, the cores, the tuning in force and the measured FMA peak. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Print the JDK, the Vector API species, the cores, every tuning setting (its value, and "
                + "whether a -Dlanes.* property set it: pass them with LANES_JAVA_OPTS) and the measured FP32 FMA "
                + "peak.", "--no-peak skips the peak measurement (a few seconds)."})
final class InfoCommand implements Callable<Integer> {

    @Option(names = "--repeats", defaultValue = "7", description = "Timed runs per peak figure; the best counts.")
    int repeats;

    @Option(names = "--no-peak", description = "Do not measure the FMA peak.")
    boolean noPeak;

    @Override
    public Integer call() {
        VectorApi.require();
        Runtime.Version version = Runtime.version();
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("JDK            %s (%s, %s)%n", version, System.getProperty("java.vendor"),
                System.getProperty("java.vm.name"));
        System.out.printf("Vector API     %s: %d float lanes, %d-bit vectors%n", Simd.SPECIES, Simd.LANES,
                Simd.SPECIES.vectorBitSize());
        if (Simd.LANES < 4) {
            System.out.println("               warning: fewer than 4 lanes; the vector kernels will be slow here");
        }
        System.out.printf("Cores          %d%n", cores);
        System.out.printf("OS / arch      %s %s%n", System.getProperty("os.name"), System.getProperty("os.arch"));
        System.out.println("Tuning         (lanes.engine.tune.Tuning; * = set by a -D property)");
        for (Tuning.Setting t : Tuning.current().settings()) {
            System.out.printf("  %-22s %-9s %s%n", t.property() + (t.overridden() ? " *" : ""), t.value(),
                    t.meaning());
        }
        System.out.println("  tile table row         " + TileTable.describe(Tuning.current().tiles()));
        if (noPeak) {
            return 0;
        }
        Args.positive("--repeats", repeats);
        System.out.println("FMA peak       FP32, 10 independent FMA chains, best of " + repeats + " runs:");
        peak(FmaPeak.Width.PREFERRED, cores, " (the kernels' width)");
        if (Simd.SPECIES.vectorBitSize() > 256) {
            peak(FmaPeak.Width.BITS_256, cores, " (AVX2 width, for comparison)");
        }
        return 0;
    }

    private void peak(FmaPeak.Width width, int cores, String note) {
        FmaPeak.Result one = FmaPeak.measure(width, 1, repeats);
        StringBuilder line = new StringBuilder(String.format("  %3d-bit      %6.1f GFLOP/s on 1 core", width.bits(),
                one.gflops()));
        if (cores > 1) {
            FmaPeak.Result all = FmaPeak.measure(width, cores, repeats);
            line.append(String.format(", %6.1f on %d cores (%.2fx)", all.gflops(), cores, all.gflops() / one.gflops()));
        }
        System.out.println(line + note);
    }
}
