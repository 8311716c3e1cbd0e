package lanes.app.studio;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import lanes.app.KeywordSpotter;
import lanes.layers.audio.Audio;
import lanes.layers.audio.KeywordDetector;
import lanes.layers.audio.SpeechClips;
import lanes.layers.audio.WavFile;
import lanes.layers.io.JsonText;

/**
 * The audio page's API: the keyword spotters, a scan of a recording the page sends (recorded from the microphone,
 * a file, or the example), and example recordings composed from a keyword set's held-out voices.
 *
 * <pre>
 *   GET  /api/detectors                         the detectors, the keyword set (if offered), the limits
 *   POST /api/detectors                         {"run": ID}: keep a copy of a train run's keyword spotter
 *   POST /api/detect?detector=D&amp;threshold=T     body: a WAV file -> waveform, spectrogram, probabilities, detections
 *   GET  /api/audio/example?seconds=S&amp;keywords=K&amp;seed=N   a WAV; header Lanes-Keyword-Seconds: where each keyword is
 * </pre>
 */
final class AudioApi {
    /** The largest recording the page may send: 5 minutes of 16-bit mono at 48 kHz fit. */
    static final int MAX_AUDIO_BYTES = 32 << 20;
    /** The longest recording scanned. */
    static final double MAX_SECONDS = 300;
    /** Columns of the waveform and spectrogram sent to the page. */
    static final int COLUMNS = 800;
    private static final Set<String> WAV_TYPES = Set.of("audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave",
            "application/octet-stream");

    private final Runs runs;
    private final Detectors detectors;
    private final Path speech;                  // a keyword set offered by --data, or null
    private final String speechName;            // its name on the page

    AudioApi(Runs runs, Detectors detectors, Map<String, Path> dataFolders) {
        this.runs = runs;
        this.detectors = detectors;
        this.speech = dataFolders.entrySet().stream().filter(e -> SpeechClips.looksLike(e.getValue()))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        this.speechName = dataFolders.entrySet().stream().filter(e -> e.getValue().equals(speech))
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }

    /** Answers {@code /api/detectors}, {@code /api/detect} or {@code /api/audio/...}; false if the path is none. */
    boolean route(HttpExchange ex, String method, String[] p) throws IOException {
        if (p.length == 1 && p[0].equals("detectors")) {
            if (method.equals("POST")) {
                keep(ex);
            } else {
                Api.only(ex, "GET");
                Http.json(ex, 200, "{\"detectors\": " + detectors.json() + ", \"speechData\": "
                        + (speechName == null ? "null" : JsonText.quote(speechName)) + ", \"maxAudioBytes\": "
                        + MAX_AUDIO_BYTES + ", \"maxAudioSeconds\": " + MAX_SECONDS + "}");
            }
        } else if (p.length == 1 && p[0].equals("detect")) {
            Api.only(ex, "POST");
            detect(ex);
        } else if (p.length == 2 && p[0].equals("audio") && p[1].equals("example")) {
            Api.only(ex, "GET");
            example(ex);
        } else {
            return false;
        }
        return true;
    }

    private void keep(HttpExchange ex) throws IOException {
        Fields f = Fields.parse(Http.body(ex, Api.MAX_BODY)).only(Set.of("run"));
        String id = f.string("run", null);
        if (id == null) {
            throw ApiError.badField("run", "missing; give the id of a train run on a keyword set");
        }
        Run r = runs.get(id);
        if (!(r instanceof TrainingRun t)) {
            throw new ApiError(409, "run", "run " + r.id + " is a " + r.kind() + " run; a detector comes from a "
                    + "train run on a keyword set");
        }
        KeywordSpotter spotter = t.spotter();
        Detectors.Entry e = detectors.keep(t, spotter, t.describe());
        Http.json(ex, 201, e.json());
    }

    private void detect(HttpExchange ex) throws IOException {
        Map<String, String> q = Http.query(ex.getRequestURI().getRawQuery());
        for (String k : q.keySet()) {
            if (!Set.of("detector", "threshold").contains(k)) {
                throw ApiError.badField(k, "not a parameter of /api/detect (detector, threshold)");
            }
        }
        Detectors.Entry d = detectors.get(q.get("detector"));
        double threshold = 0.99;
        if (q.containsKey("threshold")) {
            try {
                threshold = Double.parseDouble(q.get("threshold"));
            } catch (NumberFormatException e) {
                threshold = Double.NaN;
            }
            if (!(threshold > 0 && threshold < 1)) {
                throw ApiError.badField("threshold", "\"" + Fields.clip(q.get("threshold")) + "\"; give a "
                        + "probability between 0 and 1");
            }
        }
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        String bare = type == null ? "" : type.split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (!WAV_TYPES.contains(bare)) {
            throw new ApiError(415, "Content-Type", "Content-Type: \"" + Fields.clip(String.valueOf(type))
                    + "\"; send the recording as a WAV file (audio/wav)");
        }
        byte[] body = Http.bytes(ex, MAX_AUDIO_BYTES);
        Audio audio;
        try {
            audio = WavFile.decode(body);
        } catch (IllegalArgumentException e) {
            throw ApiError.badField("audio", e.getMessage());
        }
        double seconds = (double) audio.samples().length / audio.rate();
        if (seconds > MAX_SECONDS) {
            throw ApiError.badField("audio", String.format(Locale.ROOT, "%.1f s; the studio scans up to %.0f s "
                    + "(lanes detect scans any length)", seconds, MAX_SECONDS));
        }
        KeywordSpotter.Result r;
        d.lock().lock();
        try {
            r = d.spotter().scan(audio, threshold, COLUMNS);
        } finally {
            d.lock().unlock();
        }
        Http.json(ex, 200, json(d, audio.rate(), r));
    }

    static String json(Detectors.Entry d, int rate, KeywordSpotter.Result r) {
        StringBuilder s = new StringBuilder(64 * 1024);
        s.append("{\"detector\": ").append(JsonText.quote(d.name())).append(", \"keyword\": ")
                .append(JsonText.quote(d.spotter().keyword())).append(", \"rate\": ").append(rate)
                .append(String.format(Locale.ROOT, ", \"seconds\": %.4f, \"threshold\": %s, \"scanSeconds\": %.4f, "
                        + "\"timesRealTime\": %.1f, \"windowSeconds\": %.3f", r.seconds(), r.threshold(),
                        r.scanSeconds(), r.timesRealTime(), windowSeconds(d.spotter())));
        s.append(", \"columns\": ").append(r.low().length);
        s.append(", \"low\": ").append(numbers(r.low(), "%.4f")).append(", \"high\": ").append(numbers(r.high(),
                "%.4f"));
        s.append(", \"bands\": ").append(r.spectrogram().length == 0 ? 0 : r.spectrogram()[0].length);
        s.append(", \"spectrogram\": ").append(JsonText.quote(Base64.getEncoder().encodeToString(
                r.spectrogramLevels())));
        s.append(", \"times\": ").append(numbers(r.times(), "%.3f"));
        s.append(", \"probabilities\": ").append(numbers(r.probabilities(), "%.4f"));
        List<String> found = new ArrayList<>();
        for (KeywordDetector.Detection x : r.detections()) {
            found.add(String.format(Locale.ROOT, "{\"seconds\": %.3f, \"score\": %.4f}", x.seconds(), x.score()));
        }
        return s.append(", \"detections\": [").append(String.join(", ", found)).append("]}").toString();
    }

    private static double windowSeconds(KeywordSpotter k) {
        return ((k.field() - 1) * k.settings().hop() + k.settings().nfft()) / (double) k.settings().rate();
    }

    private static String numbers(float[] v, String format) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return numbers(d, format);
    }

    private static String numbers(double[] v, String format) {
        StringBuilder s = new StringBuilder(v.length * 7 + 2).append('[');
        for (int i = 0; i < v.length; i++) {
            s.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, format, v[i]));
        }
        return s.append(']').toString();
    }

    private void example(HttpExchange ex) throws IOException {
        if (speech == null) {
            throw new ApiError(409, null, "no keyword set is offered: start lanes studio --data data/speech for "
                    + "example recordings");
        }
        Map<String, String> q = Http.query(ex.getRequestURI().getRawQuery());
        for (String k : q.keySet()) {
            if (!Set.of("seconds", "keywords", "seed").contains(k)) {
                throw ApiError.badField(k, "not a parameter of /api/audio/example (seconds, keywords, seed)");
            }
        }
        int seconds = integer(q, "seconds", 12, 4, 60);
        int keywords = integer(q, "keywords", 3, 1, Math.max(1, seconds / 3));
        int seed = integer(q, "seed", 1, 0, Integer.MAX_VALUE);
        SpeechClips.Recording r;
        try {
            r = SpeechClips.recording(speech, seconds, keywords, seed);
        } catch (IllegalArgumentException e) {
            throw ApiError.badField("seconds", e.getMessage());
        }
        List<String> times = new ArrayList<>();
        for (double t : r.keywordSeconds()) {
            times.add(String.format(Locale.ROOT, "%.3f", t));
        }
        ex.getResponseHeaders().set("Lanes-Keyword-Seconds", String.join(",", times));
        Http.send(ex, 200, "audio/wav", WavFile.encode(r.audio(), WavFile.Encoding.PCM_16));
    }

    private static int integer(Map<String, String> q, String name, int fallback, int min, int max) {
        String v = q.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw ApiError.badField(name, "\"" + Fields.clip(v) + "\"; give a whole number from " + min + " to " + max);
    }
}
