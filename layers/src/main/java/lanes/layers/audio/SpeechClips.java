package lanes.layers.audio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import lanes.engine.Tensor;
import lanes.engine.signal.MelSettings;
import lanes.engine.signal.MelSpectrogram;
import lanes.layers.data.DataFolder;
import lanes.layers.data.Dataset;
import lanes.layers.data.Normalization;
import lanes.layers.io.JsonText;

/**
 * The keyword set of {@code data/speech}: utterances of a keyword and of other words by many voices
 * ({@code speech.json} lists them; {@code data/speech/make} made them), composed into clips when loaded. A clip is
 * {@code clip_seconds} of 16 kHz audio: noise of one of five kinds (white, pink, brown, mains hum, babble of other
 * utterances) at a random level, and over it either the keyword at a random time (class {@code welcome}), with
 * another word beside it half the time, or one or two other words or nothing (class {@code other}). Training clips
 * use the training voices only, test clips the held-out voices only, so the test accuracy is on voices never heard;
 * a training clip's words are sped up or slowed down by up to 10 % (resampled), so that each utterance serves as
 * several.
 * Examples are log-mel features, (1, 40 bands, frames), in the keyword-spotting framing.
 */
public final class SpeechClips {
    /** The manifest that marks a folder as a keyword set. */
    public static final String MANIFEST = "speech.json";
    /** The rate clips are composed and featurised at. */
    public static final int RATE = 16_000;
    /**
     * Samples a keyword keeps from the clip's ends when placed in one half: 0.32 s, more than half the kws
     * detector's window (592 ms), so that the windows centred on the keyword's first and last frames lie in the clip.
     */
    static final int MARGIN = RATE * 32 / 100;

    /**
     * Where in a clip the keyword may lie: anywhere, or wholly within its first or its second half and at least
     * 0.32 s from the clip's ends (so that every window of the detector over the keyword lies in the clip
     * wherever it is: the test is then of position alone, not of the clip's edges).
     */
    public enum Placement {
        /** Anywhere. */
        ANYWHERE,
        /** Within the first half. */
        FIRST_HALF,
        /** Within the second half. */
        SECOND_HALF
    }

    /**
     * How many clips, where the keyword lies in each split, and the seed of every draw.
     *
     * @param trainClips clips of the training voices
     * @param testClips clips of the held-out voices
     * @param train where the keyword lies in training clips
     * @param test where it lies in test clips
     * @param seed the seed
     */
    public record Options(int trainClips, int testClips, Placement train, Placement test, long seed) {
        /** 8,000 training and 1,000 test clips, the keyword anywhere, seed 1. */
        public static final Options DEFAULT = new Options(8000, 1000, Placement.ANYWHERE, Placement.ANYWHERE, 1);
    }

    /**
     * A loaded set: the features of both splits, the class names (other, then the keyword), and the clips'
     * audio (kept for the pictures and the detector's tests).
     *
     * @param data the features
     * @param classes {@code ["other", keyword]}
     * @param keyword the keyword
     * @param settings the features' framing
     * @param normalization the mean and deviation of the training features, subtracted and divided out
     */
    public record Loaded(DataFolder data, List<String> classes, String keyword, MelSettings settings,
                         Normalization normalization) {
    }

    private record Utterance(String voice, String word, float[] samples) {
    }

    private SpeechClips() {
    }

    /**
     * Whether {@code dir} is a keyword set (it holds {@value #MANIFEST}).
     *
     * @param dir a folder
     * @return true if it holds the manifest
     */
    public static boolean looksLike(Path dir) {
        return Files.isRegularFile(dir.resolve(MANIFEST));
    }

    /**
     * Loads the set in {@code dir} and composes its clips.
     *
     * @param dir the folder with {@value #MANIFEST} and {@code utterances/}
     * @param o how many clips and where the keyword lies
     * @return the features and class names
     * @throws IOException if the manifest or an utterance cannot be read, naming it
     */
    @SuppressWarnings("unchecked")
    public static Loaded load(Path dir, Options o) throws IOException {
        Path manifest = dir.resolve(MANIFEST);
        Map<String, Object> m;
        try {
            m = (Map<String, Object>) JsonText.parse(Files.readString(manifest));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IOException(manifest + ": not a keyword set's manifest: " + e.getMessage(), e);
        }
        String keyword = (String) m.get("keyword");
        List<String> voices = (List<String>) m.get("voices");
        List<String> testVoices = (List<String>) m.get("test_voices");
        double seconds = (Double) m.get("clip_seconds");
        if (keyword == null || voices == null || testVoices == null || !voices.containsAll(testVoices)) {
            throw new IOException(manifest + ": needs keyword, voices and test_voices (a subset of voices)");
        }
        List<Utterance> train = new ArrayList<>();
        List<Utterance> test = new ArrayList<>();
        for (String voice : voices) {
            Path folder = dir.resolve("utterances").resolve(voice);
            if (!Files.isDirectory(folder)) {
                throw new IOException(folder + ": missing (the manifest lists voice " + voice + ")");
            }
            try (var files = Files.list(folder)) {
                for (Path f : files.sorted().toList()) {
                    String name = f.getFileName().toString();
                    if (!name.endsWith(".wav")) {
                        continue;
                    }
                    String word = name.substring(0, name.length() - 4).replaceAll("-\\d+$", "").replace('_', ' ');
                    Audio a = WavFile.read(f).resampled(RATE);
                    (testVoices.contains(voice) ? test : train).add(new Utterance(voice, word, a.samples()));
                }
            }
        }
        MelSettings settings = MelSettings.keywordSpotting();
        int length = (int) Math.round(seconds * RATE);
        Clips trainClips = compose(train, keyword, o.trainClips(), length, o.train(), o.seed(), true);
        Clips testClips = compose(test, keyword, o.testClips(), length, o.test(), o.seed() + 1, false);
        float[] trainFeatures = featurise(trainClips, settings, length);
        float[] testFeatures = featurise(testClips, settings, length);
        int frames = settings.frames(length);
        int plane = settings.mels() * frames;
        Normalization n = Normalization.measure(trainFeatures, 1, plane);
        n.apply(trainFeatures, plane);
        n.apply(testFeatures, plane);
        return new Loaded(new DataFolder(new Dataset(trainFeatures, trainClips.labels(), 1, settings.mels(), frames, 2),
                new Dataset(testFeatures, testClips.labels(), 1, settings.mels(), frames, 2)),
                List.of("other", keyword), keyword, settings, n);
    }

    /**
     * A long recording for a detector: the held-out voices' words one after another over noise, the keyword among
     * them {@code keywords} times, and where each keyword is.
     *
     * @param audio the recording, 16 kHz
     * @param keywordSeconds the middle of each keyword, in seconds, in order
     */
    public record Recording(Audio audio, double[] keywordSeconds) {
    }

    /**
     * Composes a recording of {@code seconds} from the held-out voices of the set in {@code dir}: words 0.3 to
     * 1.2 s apart over one noise, every {@code seconds / keywords}-th stretch holding the keyword.
     *
     * @param dir the keyword set
     * @param seconds its length
     * @param keywords how many times the keyword occurs
     * @param seed the seed
     * @return the recording and the keyword's times
     * @throws IOException if the set cannot be read
     */
    @SuppressWarnings("unchecked")
    public static Recording recording(Path dir, double seconds, int keywords, long seed) throws IOException {
        Map<String, Object> m = (Map<String, Object>) JsonText.parse(Files.readString(dir.resolve(MANIFEST)));
        String keyword = (String) m.get("keyword");
        List<Utterance> pool = new ArrayList<>();
        for (String voice : (List<String>) m.get("test_voices")) {
            try (var files = Files.list(dir.resolve("utterances").resolve(voice))) {
                for (Path f : files.sorted().toList()) {
                    String name = f.getFileName().toString();
                    String word = name.substring(0, name.length() - 4).replaceAll("-\\d+$", "").replace('_', ' ');
                    pool.add(new Utterance(voice, word, WavFile.read(f).resampled(RATE).samples()));
                }
            }
        }
        List<Utterance> hits = pool.stream().filter(u -> u.word().equals(keyword)).toList();
        List<Utterance> others = pool.stream().filter(u -> !u.word().equals(keyword)).toList();
        Random r = new Random(seed);
        int length = (int) Math.round(seconds * RATE);
        float[] x = noise(r, others, length);
        double[] times = new double[keywords];
        int at = RATE / 2;
        int next = 0;
        double every = seconds / keywords;
        while (at < length) {
            boolean hit = next < keywords && at >= (next + 0.3) * every * RATE;
            Utterance u = hit ? hits.get(r.nextInt(hits.size())) : others.get(r.nextInt(others.size()));
            if (at + u.samples().length >= length) {
                break;
            }
            add(x, u.samples(), at, 0.5f + 0.5f * r.nextFloat());
            if (hit) {
                times[next++] = (at + u.samples().length / 2.0) / RATE;
            }
            at += u.samples().length + (int) (RATE * (0.3 + 0.9 * r.nextDouble()));
        }
        if (next < keywords) {
            throw new IllegalArgumentException("recording: " + seconds + " s hold only " + next + " of " + keywords
                    + " keywords; give more seconds");
        }
        return new Recording(new Audio(x, RATE), times);
    }

    /**
     * One recording as a keyword spotter of {@code frames} frames reads a clip: at 16 kHz, its middle
     * {@code frames} frames (padded with silence at the end where it is shorter), as log-mel features in the
     * keyword-spotting framing, normalised with {@code n} (null: not).
     *
     * @param audio the recording, any rate
     * @param frames the model's frames
     * @param n the model's normalisation, or null
     * @return the features, (bands, frames)
     */
    public static float[] clipFeatures(Audio audio, int frames, Normalization n) {
        MelSettings s = MelSettings.keywordSpotting();
        float[] x = audio.resampled(RATE).samples();
        int length = (frames - 1) * s.hop() + s.nfft();
        float[] clip = new float[length];
        int from = Math.max(0, (x.length - length) / 2);
        System.arraycopy(x, from, clip, 0, Math.min(length, x.length - from));
        float[] features = featurise(new Clips(new float[][] {clip}, new int[] {0}), s, length);
        if (n != null) {
            n.apply(features, features.length);
        }
        return features;
    }

    /** The clips' audio and labels (0 other, 1 keyword). */
    record Clips(float[][] audio, int[] labels) {
    }

    // speeds a training clip's words may take: resampled as if recorded at RATE * f
    private static final double[] SPEEDS = {0.9, 0.95, 1.0, 1.05, 1.1};

    static Clips compose(List<Utterance> pool, String keyword, int count, int length, Placement placement,
                         long seed, boolean perturb) {
        Resampler[] speeds = new Resampler[SPEEDS.length];
        for (int i = 0; i < speeds.length; i++) {
            speeds[i] = Resampler.between((int) Math.round(RATE * SPEEDS[i]), RATE);
        }
        java.util.function.BiFunction<Random, Utterance, float[]> voice = (r, u) -> {
            if (!perturb) {
                return u.samples();
            }
            int k = r.nextInt(SPEEDS.length);
            return SPEEDS[k] == 1.0 ? u.samples() : speeds[k].apply(u.samples());
        };
        List<Utterance> keywords = pool.stream().filter(u -> u.word().equals(keyword)).toList();
        List<Utterance> others = pool.stream().filter(u -> !u.word().equals(keyword)).toList();
        if (keywords.isEmpty() || others.isEmpty()) {
            throw new IllegalArgumentException("keyword set: the voices of a split need utterances of \"" + keyword
                    + "\" and of other words");
        }
        Random r = new Random(seed);
        float[][] audio = new float[count][];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            float[] clip = noise(r, others, length);
            boolean hit = i % 2 == 1;
            labels[i] = hit ? 1 : 0;
            int free = 0;                                     // the first sample after the last word placed
            if (hit) {
                float[] k = voice.apply(r, keywords.get(r.nextInt(keywords.size())));
                int margin = placement == Placement.ANYWHERE ? 0 : MARGIN;
                int from = placement == Placement.SECOND_HALF ? length / 2 : margin;
                int to = placement == Placement.FIRST_HALF ? length / 2 : length - margin;
                int at = place(r, k.length, from, to);
                add(clip, k, at, 0.35f + 0.65f * r.nextFloat());
                if (r.nextBoolean()) {                        // another word beside it, where it fits
                    float[] w = voice.apply(r, others.get(r.nextInt(others.size())));
                    int before = at;
                    int after = length - (at + k.length);
                    int gap = Math.max(before, after);
                    if (w.length <= gap) {
                        int wAt = before >= after ? place(r, w.length, 0, before) : place(r, w.length, at + k.length,
                                length);
                        add(clip, w, wAt, 0.35f + 0.65f * r.nextFloat());
                    }
                }
            } else {
                int words = r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(2);
                for (int j = 0; j < words; j++) {
                    float[] w = voice.apply(r, others.get(r.nextInt(others.size())));
                    if (free + w.length > length) {
                        break;
                    }
                    int at = place(r, w.length, free, j == 0 && words == 2 ? Math.max(free + w.length, length / 2)
                            : length);
                    add(clip, w, at, 0.35f + 0.65f * r.nextFloat());
                    free = at + w.length;
                }
            }
            audio[i] = clip;
        }
        return new Clips(audio, labels);
    }

    // a start in [from, to - n], or from where the utterance is longer than the room (it is cut at the clip's end)
    private static int place(Random r, int n, int from, int to) {
        return to - n <= from ? from : from + r.nextInt(to - n - from + 1);
    }

    private static void add(float[] clip, float[] s, int at, float gain) {
        for (int i = 0; i < s.length && at + i < clip.length; i++) {
            clip[at + i] += gain * s[i];
        }
    }

    // white, pink, brown, mains hum or babble, at an RMS level from about -46 to -20 dB of full scale
    private static float[] noise(Random r, List<Utterance> others, int length) {
        float[] x = new float[length];
        int kind = r.nextInt(5);
        switch (kind) {
            case 0 -> {
                for (int i = 0; i < length; i++) {
                    x[i] = (float) r.nextGaussian();
                }
            }
            case 1 -> {                                       // pink: Paul Kellet's economy filter on white
                double b0 = 0;
                double b1 = 0;
                double b2 = 0;
                for (int i = 0; i < length; i++) {
                    double w = r.nextGaussian();
                    b0 = 0.99765 * b0 + w * 0.0990460;
                    b1 = 0.96300 * b1 + w * 0.2965164;
                    b2 = 0.57000 * b2 + w * 1.0526913;
                    x[i] = (float) (b0 + b1 + b2 + w * 0.1848);
                }
            }
            case 2 -> {                                       // brown: leaky integral of white
                double v = 0;
                for (int i = 0; i < length; i++) {
                    v = 0.995 * v + r.nextGaussian();
                    x[i] = (float) v;
                }
            }
            case 3 -> {                                       // mains hum, 50 or 60 Hz and harmonics
                double f = r.nextBoolean() ? 50 : 60;
                double phase = r.nextDouble() * 2 * Math.PI;
                for (int i = 0; i < length; i++) {
                    double t = 2 * Math.PI * f * i / RATE + phase;
                    x[i] = (float) (Math.sin(t) + 0.5 * Math.sin(2 * t) + 0.3 * Math.sin(3 * t));
                }
            }
            default -> {                                      // babble: three words, low, anywhere
                for (int j = 0; j < 3; j++) {
                    Utterance u = others.get(r.nextInt(others.size()));
                    add(x, u.samples(), r.nextInt(Math.max(1, length - u.samples().length / 2)), 1f);
                }
            }
        }
        double rms = 0;
        for (float v : x) {
            rms += v * v;
        }
        rms = Math.sqrt(rms / length);
        double level = Math.pow(10, (-46 + 26 * r.nextDouble()) / 20) / Math.max(rms, 1e-9);
        for (int i = 0; i < length; i++) {
            x[i] *= (float) level;
        }
        return x;
    }

    // clips (n, length) -> features (n, 1, bands, frames)
    private static float[] featurise(Clips c, MelSettings s, int length) {
        MelSpectrogram mel = new MelSpectrogram(s);
        int frames = s.frames(length);
        int plane = s.mels() * frames;
        float[] pixels = new float[c.audio().length * plane];
        Tensor out = Tensor.zeros(frames, s.mels());
        for (int i = 0; i < c.audio().length; i++) {
            mel.apply(c.audio()[i], 0, length, out);
            float[] d = out.data();
            for (int f = 0; f < frames; f++) {               // (frames, bands) -> (bands, frames): channels first
                for (int b = 0; b < s.mels(); b++) {
                    pixels[i * plane + b * frames + f] = d[f * s.mels() + b];
                }
            }
        }
        return pixels;
    }

}
