package lanes.bench.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import lanes.bench.signal.DetectorBench;
import lanes.bench.signal.MelBench;
import lanes.engine.probe.FmaPeak;
import lanes.engine.signal.MelSettings;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code lanes bench mel}: log-mel features of 16 kHz audio on one thread, as seconds of audio featurised per
 * second, and {@code lanes detect}'s whole scan (features, the keyword spotter at every frame, the picture's
 * columns); the peers are {@code bench/python/mel_torchaudio.py} (the same features) and
 * {@code bench/python/detect_torch.py} (the same features and layers).
 */
@Command(name = "mel", mixinStandardHelpOptions = true,
        description = "Log-mel features (the keyword-spotting framing and torchaudio's defaults) of 16 kHz audio, and "
                + "lanes detect's scan with the kws model, on 1 thread: seconds of audio per second, GFLOP/s and the "
                + "share of the FMA peak. Peers: /usr/bin/python3 bench/python/mel_torchaudio.py and "
                + "bench/python/detect_torch.py")
final class MelBenchCommand implements Callable<Integer> {
    @Mixin
    RunOptions options;

    @Override
    public Integer call() throws Exception {
        options.check();
        System.out.printf("Lanes log-mel features on %s, 1 thread%n", RunOptions.cpuModel());
        double peak = FmaPeak.measure(1, 5).gflops();
        System.out.printf(Locale.ROOT, "%-10s %16s %22s %10s %8s  (FMA peak %.1f GFLOP/s)%n", "settings",
                "ms per 10 s", "audio seconds / s", "GFLOP/s", "% peak", peak);
        List<String> json = new ArrayList<>();
        OptionsBuilder o = new OptionsBuilder();
        o.include("(" + MelBench.class.getName() + "|" + DetectorBench.class.getName() + ")\\.").forks(1)
                .verbosity(VerboseMode.SILENT).shouldFailOnError(true);
        for (RunResult r : new Runner(options.apply(o).build()).run()) {
            boolean detector = r.getParams().getBenchmark().startsWith(DetectorBench.class.getName());
            String s = detector ? "detect" : r.getParams().getParam("settings");
            double ms = r.getPrimaryResult().getScore();
            double rate = MelBench.SECONDS / (ms / 1000);
            MelSettings m = s.equals("defaults") ? MelBench.DEFAULTS : MelSettings.keywordSpotting();
            long frames = m.frames((long) MelBench.SECONDS * m.rate());
            long flops = frames * (detector ? DetectorBench.FLOPS_PER_FRAME : MelBench.flopsPerFrame(m));
            double gflops = flops / (ms / 1000) / 1e9;
            System.out.printf(Locale.ROOT, "%-10s %16.3f %,22.0f %10.1f %7.0f%%%n", s, ms, rate, gflops,
                    100 * gflops / peak);
            json.add(String.format(Locale.ROOT, "{\"suite\": \"mel\", \"impl\": \"lanes\", \"settings\": \"%s\", "
                    + "\"ms_per_10s\": %.4f, \"audio_seconds_per_s\": %.1f, \"gflops\": %.2f, \"fma_peak_gflops\": "
                    + "%.1f}", s, ms, rate, gflops, peak));
        }
        options.writeJson(json);
        return 0;
    }
}
