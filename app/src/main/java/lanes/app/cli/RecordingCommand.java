package lanes.app.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import lanes.layers.audio.SpeechClips;
import lanes.layers.audio.WavFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lanes recording}: a long test recording for {@code lanes detect}, with the keyword at known times. */
@Command(name = "recording", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compose a recording for lanes detect from a keyword set's held-out voices: words one after "
                + "another over noise, the keyword among them a given number of times; prints where each keyword "
                + "is. 16 kHz, 16-bit PCM."})
final class RecordingCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", description = "A keyword set (default ${DEFAULT-VALUE}).")
    Path data = Path.of("data/speech");

    @Option(names = "--seconds", description = "Its length (default ${DEFAULT-VALUE}).")
    double seconds = 60;

    @Option(names = "--keywords", description = "How many times the keyword occurs (default ${DEFAULT-VALUE}).")
    int keywords = 8;

    @Option(names = "--seed", description = "Which words, voices and noise (default ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = {"--out", "-o"}, required = true, paramLabel = "FILE", description = "The WAV file to write.")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (!(seconds >= 2 && seconds <= 3600)) {
            throw new IllegalArgumentException("--seconds " + seconds + ": give 2 to 3600");
        }
        if (keywords < 1) {
            throw new IllegalArgumentException("--keywords " + keywords + ": give at least 1");
        }
        SpeechClips.Recording r = SpeechClips.recording(data, seconds, keywords, seed);
        WavFile.write(out, r.audio(), WavFile.Encoding.PCM_16);
        StringBuilder times = new StringBuilder();
        for (double t : r.keywordSeconds()) {
            times.append(String.format(Locale.ROOT, " %.3f", t));
        }
        System.out.printf(Locale.ROOT, "%s: %.1f s, the keyword's middle at (s):%s%n", out, seconds, times);
        return 0;
    }
}
