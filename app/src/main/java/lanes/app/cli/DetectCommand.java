package lanes.app.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import lanes.app.DetectionPicture;
import lanes.app.KeywordSpotter;
import lanes.layers.audio.KeywordDetector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lanes detect}: every time a keyword spotter's keyword occurs in a recording of any length. */
@Command(name = "detect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Scan a recording for a keyword spotter's keyword (a model from lanes train --data "
                + "data/speech --model kws): every time it occurs, with its score. Streams: memory stays that of a "
                + "10 s block whatever the recording's length."})
final class DetectCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A keyword spotter's model file.")
    Path model;

    @Option(names = "--audio", required = true, paramLabel = "FILE", description = "A WAV file (any encoding and "
            + "rate lanes reads; resampled to the model's 16 kHz).")
    Path audio;

    @Option(names = "--threshold", description = "The keyword's probability a detection needs (default "
            + "${DEFAULT-VALUE}: on the held-out voices the keyword scores 1.000 and the words most like it up to "
            + "0.97, so false alarms are rarer than misses).")
    double threshold = 0.99;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the detections as JSON.")
    Path json;

    @Option(names = "--plot", paramLabel = "FILE", description = "Draw the waveform, the log-mel spectrogram and the "
            + "detector's output over time as a PNG.")
    Path plot;

    @Override
    public Integer call() throws IOException {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("--threshold " + threshold + ": give a probability between 0 and 1");
        }
        KeywordSpotter spotter = KeywordSpotter.read(model);
        KeywordSpotter.Result r = spotter.scan(audio, threshold, DetectionPicture.WIDTH);
        List<KeywordDetector.Detection> found = r.detections();
        System.out.printf(Locale.ROOT, "%s: \"%s\" %d time%s in %.1f s of audio (threshold %s; %,.0f times real "
                + "time)%n", audio, spotter.keyword(), found.size(), found.size() == 1 ? "" : "s", r.seconds(),
                threshold, r.timesRealTime());
        for (KeywordDetector.Detection d : found) {
            System.out.printf(Locale.ROOT, "  %9.3f s  %s  %.3f%n", d.seconds(), spotter.keyword(), d.score());
        }
        if (json != null) {
            List<String> items = new ArrayList<>();
            found.forEach(d -> items.add(String.format(Locale.ROOT, "{\"seconds\": %.3f, \"score\": %.4f}",
                    d.seconds(), d.score())));
            Json.writeObject(json, String.format(Locale.ROOT, "{\"file\": %s, \"keyword\": %s, \"seconds\": %.3f, "
                    + "\"threshold\": %s, \"detections\": [%s]}", Json.quote(audio.toString()),
                    Json.quote(spotter.keyword()), r.seconds(), threshold, String.join(", ", items)));
        }
        if (plot != null) {
            DetectionPicture.write(plot, r, spotter.keyword());
            System.out.println("Plot: " + plot);
        }
        return 0;
    }
}
