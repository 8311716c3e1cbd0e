package lanes.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import lanes.engine.signal.MelSettings;
import lanes.layers.audio.Audio;
import lanes.layers.audio.KeywordDetector;
import lanes.layers.audio.Resampler;
import lanes.layers.audio.WavStream;
import lanes.layers.data.Normalization;
import lanes.layers.io.ModelFile;
import lanes.layers.nn.ModelText;

/**
 * A keyword spotter's model file made ready to scan recordings, and what one scan of a recording shows: the
 * waveform's envelope, the log-mel spectrogram and the keyword's probability over time, and the detections. Both
 * {@code lanes detect} (its PNG) and the studio's audio page (its JSON) draw from a {@link Result}.
 */
public final class KeywordSpotter {
    /** Samples a streamed recording is read in: 10 s at 16 kHz. */
    private static final int BLOCK_SECONDS = 10;
    /** Runs of detections closer than this are one. */
    public static final double JOIN_SECONDS = 0.3;

    private final KeywordDetector detector;
    private final String keyword;
    private final MelSettings settings;
    private final int field;

    private KeywordSpotter(KeywordDetector detector, String keyword, MelSettings settings, int field) {
        this.detector = detector;
        this.keyword = keyword;
        this.settings = settings;
        this.field = field;
    }

    /**
     * The spotter in a model file.
     *
     * @param loaded a model file's contents
     * @param name the file's name, for messages
     * @return the spotter
     * @throws IllegalArgumentException if the model is not a keyword spotter (input (1, 40 bands, frames), classes
     *     {@code other} and a keyword, a max over time), saying which
     */
    public static KeywordSpotter of(ModelFile.Loaded loaded, String name) {
        int[] input = loaded.architecture().input();
        List<String> classes = Data.classes(loaded.metadata());
        if (input.length != 3 || classes == null || classes.size() != 2 || !classes.get(0).equals("other")) {
            throw new IllegalArgumentException(name + " is not a keyword spotter (a model of (1, bands, frames) "
                    + "with classes other and a keyword, from lanes train --data data/speech)");
        }
        MelSettings settings = MelSettings.keywordSpotting();
        if (input[1] != settings.mels()) {
            throw new IllegalArgumentException(name + " reads " + input[1] + " bands; the detector makes "
                    + settings.mels());
        }
        int field = field(loaded.architecture().layers(), input);
        KeywordDetector detector = new KeywordDetector(loaded.model(), field, 1, settings,
                Normalization.of(loaded.metadata()));
        return new KeywordSpotter(detector, classes.get(1), settings, field);
    }

    /**
     * The spotter in a model file on disk.
     *
     * @param file a model file
     * @return the spotter
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it is not a keyword spotter
     */
    public static KeywordSpotter read(Path file) throws IOException {
        return of(ModelFile.read(file), file.toString());
    }

    // the receptive field of the layer before the model's last max pooling, in frames
    static int field(String layers, int[] input) {
        int field = 1;
        for (ModelText.Step s : ModelText.plan(layers, input).steps()) {
            if (s.text().startsWith("MaxPool")) {
                return field;
            }
            if (s.receptiveField().length > 0) {
                field = s.receptiveField()[s.receptiveField().length - 1];
            }
        }
        throw new IllegalArgumentException("the model has no max pooling over time: " + layers);
    }

    /** The keyword. */
    public String keyword() {
        return keyword;
    }

    /** The frames one probability reads. */
    public int field() {
        return field;
    }

    /** The features it reads. */
    public MelSettings settings() {
        return settings;
    }

    /**
     * One scan of a recording: every probability and detection, the picture at {@code columns} columns.
     *
     * @param seconds the recording's length
     * @param probabilities the keyword's probability at every window position, position t's window centred at
     *     {@code times[t]} seconds
     * @param times where each position's window is centred
     * @param low the waveform's lowest sample in each column
     * @param high its highest in each column
     * @param spectrogram the mean log-mel frame of each column, (columns, bands); a column with no frame repeats
     *     the one before
     * @param detections the detections at the threshold
     * @param threshold the threshold
     * @param scanSeconds the time the scan took (reading, resampling, features and model)
     */
    public record Result(double seconds, double[] probabilities, double[] times, float[] low, float[] high,
                         float[][] spectrogram, List<KeywordDetector.Detection> detections, double threshold,
                         double scanSeconds) {
        /** The spectrogram's range shown, in the log's units (natural log of power: 12 is about 52 dB). */
        public static final double SHOWN_RANGE = 12;

        /**
         * The spectrogram as levels for a picture: 0 at {@link #SHOWN_RANGE} below its loudest value (or lower),
         * 255 at the loudest; row-major (columns, bands), band 0 the lowest.
         *
         * @return the levels
         */
        public byte[] spectrogramLevels() {
            double top = Double.NEGATIVE_INFINITY;
            for (float[] column : spectrogram) {
                for (float v : column) {
                    top = Math.max(top, v);
                }
            }
            int bands = spectrogram.length == 0 ? 0 : spectrogram[0].length;
            byte[] out = new byte[spectrogram.length * bands];
            for (int c = 0; c < spectrogram.length; c++) {
                for (int b = 0; b < bands; b++) {
                    double t = (spectrogram[c][b] - (top - SHOWN_RANGE)) / SHOWN_RANGE;
                    out[c * bands + b] = (byte) Math.round(255 * Math.max(0, Math.min(1, t)));
                }
            }
            return out;
        }

        /** Seconds of audio scanned per second. */
        public double timesRealTime() {
            return seconds / Math.max(scanSeconds, 1e-9);
        }
    }

    /**
     * Scans a WAV file a block at a time (memory stays that of a block and the picture).
     *
     * @param file a WAV file of any encoding and rate {@link WavStream} reads
     * @param threshold the probability a detection needs, in (0, 1)
     * @param columns the picture's width
     * @return the scan
     * @throws IOException if the file cannot be read, naming it and why
     */
    public Result scan(Path file, double threshold, int columns) throws IOException {
        long start = System.nanoTime();
        try (WavStream in = WavStream.open(file)) {
            Pass pass = new Pass((double) in.remaining() / in.rate(), columns);
            Resampler resampler = in.rate() == settings.rate() ? null : Resampler.between(in.rate(), settings.rate());
            float[] block = new float[BLOCK_SECONDS * in.rate()];
            for (int n; (n = in.read(block, block.length)) > 0; ) {
                float[] x = resampler == null ? block : resampler.apply(Arrays.copyOf(block, n));
                pass.add(x, resampler == null ? n : x.length);
            }
            return pass.finish(threshold, start);
        }
    }

    /**
     * Scans a recording held in memory.
     *
     * @param audio the recording, any rate
     * @param threshold the probability a detection needs, in (0, 1)
     * @param columns the picture's width
     * @return the scan
     */
    public Result scan(Audio audio, double threshold, int columns) {
        long start = System.nanoTime();
        float[] x = audio.resampled(settings.rate()).samples();
        Pass pass = new Pass((double) x.length / settings.rate(), columns);
        pass.add(x, x.length);
        return pass.finish(threshold, start);
    }

    // one recording's scan: the detector's, with the envelope and spectrogram gathered by column as it goes
    private final class Pass {
        private final double seconds;
        private final int columns;
        private final float[] low;
        private final float[] high;
        private final float[][] mel;
        private final int[] framesIn;
        private final KeywordDetector.Scan scan;
        private long samples;
        private long frames;

        Pass(double seconds, int columns) {
            if (columns < 1) {
                throw new IllegalArgumentException("columns " + columns + ": give at least 1");
            }
            this.seconds = Math.max(seconds, 1e-9);
            this.columns = columns;
            this.low = new float[columns];
            this.high = new float[columns];
            this.mel = new float[columns][settings.mels()];
            this.framesIn = new int[columns];
            this.scan = detector.scan(this::frame);
        }

        void add(float[] x, int n) {
            int i = 0;
            while (i < n) {
                long at = samples + i;
                int c = column((double) at / settings.rate());
                // the samples up to column c's end: where at / rate / seconds * columns reaches c + 1
                long end = c == columns - 1 ? Long.MAX_VALUE
                        : (long) Math.ceil((c + 1) * seconds * settings.rate() / columns);
                int stop = (int) Math.min(n, Math.max(i + 1, end - samples));
                float lo = low[c];
                float hi = high[c];
                for (; i < stop; i++) {
                    lo = Math.min(lo, x[i]);
                    hi = Math.max(hi, x[i]);
                }
                low[c] = lo;
                high[c] = hi;
            }
            samples += n;
            scan.add(x, n);
        }

        private void frame(float[] f) {
            int c = column((frames++ * settings.hop() + settings.nfft() / 2.0) / settings.rate());
            for (int b = 0; b < f.length; b++) {
                mel[c][b] += f[b];
            }
            framesIn[c]++;
        }

        private int column(double at) {
            return (int) Math.max(0, Math.min(columns - 1, at / seconds * columns));
        }

        Result finish(double threshold, long startNanos) {
            if (!(threshold > 0 && threshold < 1)) {
                throw new IllegalArgumentException("threshold " + threshold + ": give a probability between 0 "
                        + "and 1");
            }
            for (int c = 0; c < columns; c++) {
                if (framesIn[c] > 0) {
                    for (int b = 0; b < mel[c].length; b++) {
                        mel[c][b] /= framesIn[c];
                    }
                } else if (c > 0) {
                    mel[c] = mel[c - 1].clone();
                } else {
                    Arrays.fill(mel[c], (float) Math.log(settings.floor()));
                }
            }
            double[] probabilities = scan.probabilities();
            double[] times = new double[probabilities.length];
            for (int t = 0; t < probabilities.length; t++) {
                times[t] = detector.seconds(t);
            }
            List<KeywordDetector.Detection> found = new ArrayList<>(scan.detections(threshold, JOIN_SECONDS));
            return new Result(seconds, probabilities, times, low, high, mel, List.copyOf(found), threshold,
                    (System.nanoTime() - startNanos) / 1e9);
        }
    }
}
