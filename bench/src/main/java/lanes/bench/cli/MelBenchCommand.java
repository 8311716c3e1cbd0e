package lanes.bench.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import lanes.bench.signal.MelBench;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code lanes bench mel}: log-mel features of 16 kHz audio on one thread, as seconds of audio featurised per
 * second; the torchaudio peer is {@code bench/python/mel_torchaudio.py}, the same settings.
 */
@Command(name = "mel", mixinStandardHelpOptions = true,
        description = "Log-mel features (the keyword-spotting framing and torchaudio's defaults) of 16 kHz audio on "
                + "1 thread: seconds of audio per second. Peer: /usr/bin/python3 bench/python/mel_torchaudio.py")
final class MelBenchCommand implements Callable<Integer> {
    @Mixin
    RunOptions options;

    @Override
    public Integer call() throws Exception {
        options.checkVectorBits();
        System.out.printf("Lanes log-mel features on %s, 1 thread%n", RunOptions.cpuModel());
        System.out.printf("%-10s %16s %22s%n", "settings", "ms per 10 s", "audio seconds / s");
        List<String> json = new ArrayList<>();
        OptionsBuilder o = new OptionsBuilder();
        o.include(MelBench.class.getName() + "\\.").forks(1).verbosity(VerboseMode.SILENT).shouldFailOnError(true);
        for (RunResult r : new Runner(options.apply(o).build()).run()) {
            String s = r.getParams().getParam("settings");
            double ms = r.getPrimaryResult().getScore();
            double rate = MelBench.SECONDS / (ms / 1000);
            System.out.printf(Locale.ROOT, "%-10s %16.3f %,22.0f%n", s, ms, rate);
            json.add(String.format(Locale.ROOT, "{\"suite\": \"mel\", \"impl\": \"lanes\", \"settings\": \"%s\", "
                    + "\"ms_per_10s\": %.4f, \"audio_seconds_per_s\": %.1f}", s, ms, rate));
        }
        options.writeJson(json);
        return 0;
    }
}
