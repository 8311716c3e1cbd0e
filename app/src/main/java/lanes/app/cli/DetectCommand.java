package lanes.app.cli;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import lanes.app.Data;
import lanes.engine.signal.MelSettings;
import lanes.layers.audio.KeywordDetector;
import lanes.layers.audio.Resampler;
import lanes.layers.audio.WavStream;
import lanes.layers.data.Normalization;
import lanes.layers.io.ModelFile;
import lanes.layers.nn.ModelText;
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

    @Option(names = "--plot", paramLabel = "FILE", description = "Draw the waveform and the detector's output over "
            + "time as a PNG.")
    Path plot;

    @Override
    public Integer call() throws IOException {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("--threshold " + threshold + ": give a probability between 0 and 1");
        }
        ModelFile.Loaded loaded = ModelFile.read(model);
        int[] input = loaded.architecture().input();
        List<String> classes = Data.classes(loaded.metadata());
        if (input.length != 3 || classes == null || classes.size() != 2 || !classes.get(0).equals("other")) {
            throw new IllegalArgumentException(model + " is not a keyword spotter (a model of (1, bands, frames) "
                    + "with classes other and a keyword, from lanes train --data data/speech)");
        }
        MelSettings settings = MelSettings.keywordSpotting();
        if (input[1] != settings.mels()) {
            throw new IllegalArgumentException(model + " reads " + input[1] + " bands; the detector makes "
                    + settings.mels());
        }
        int field = field(loaded.architecture().layers(), input);
        KeywordDetector detector = new KeywordDetector(loaded.model(), field, 1, settings,
                Normalization.of(loaded.metadata()));
        KeywordDetector.Scan scan = detector.scan();
        long start = System.nanoTime();
        double seconds;
        Picture picture;
        try (WavStream in = WavStream.open(audio)) {
            seconds = (double) in.remaining() / in.rate();
            picture = plot == null ? null : new Picture(seconds);
            Resampler resampler = in.rate() == settings.rate() ? null : Resampler.between(in.rate(), settings.rate());
            float[] block = new float[10 * in.rate()];
            long done = 0;
            for (int n; (n = in.read(block, block.length)) > 0; done += n) {
                float[] x = resampler == null ? block : resampler.apply(java.util.Arrays.copyOf(block, n));
                int m = resampler == null ? n : x.length;
                if (picture != null) {
                    picture.samples(x, m, (double) done / in.rate());
                }
                scan.add(x, m);
            }
        }
        double took = (System.nanoTime() - start) / 1e9;
        List<KeywordDetector.Detection> found = scan.detections(threshold, 0.3);
        System.out.printf(Locale.ROOT, "%s: \"%s\" %d time%s in %.1f s of audio (threshold %s; %,.0f times real "
                + "time)%n", audio, classes.get(1), found.size(), found.size() == 1 ? "" : "s", seconds, threshold,
                seconds / took);
        for (KeywordDetector.Detection d : found) {
            System.out.printf(Locale.ROOT, "  %9.3f s  %s  %.3f%n", d.seconds(), classes.get(1), d.score());
        }
        if (json != null) {
            List<String> items = new ArrayList<>();
            found.forEach(d -> items.add(String.format(Locale.ROOT, "{\"seconds\": %.3f, \"score\": %.4f}",
                    d.seconds(), d.score())));
            Json.writeObject(json, String.format(Locale.ROOT, "{\"file\": %s, \"keyword\": %s, \"seconds\": %.3f, "
                    + "\"threshold\": %s, \"detections\": [%s]}", Json.quote(audio.toString()),
                    Json.quote(classes.get(1)), seconds, threshold, String.join(", ", items)));
        }
        if (picture != null) {
            picture.write(plot, scan.probabilities(), field, settings, threshold, found, classes.get(1));
            System.out.println("Plot: " + plot);
        }
        return 0;
    }

    // the receptive field of the layer before the model's last max pooling, in frames
    static int field(String layers, int[] input) {
        List<ModelText.Step> steps = ModelText.plan(layers, input).steps();
        int field = 1;
        for (ModelText.Step s : steps) {
            if (s.text().startsWith("MaxPool")) {
                return field;
            }
            if (s.receptiveField().length > 0) {
                field = s.receptiveField()[s.receptiveField().length - 1];
            }
        }
        throw new IllegalArgumentException("the model has no max pooling over time: " + layers);
    }

    /** The PNG: the waveform's envelope and the detector's output over time, the detections marked. */
    static final class Picture {
        static final int WIDTH = 1400;
        private final double seconds;
        private final float[] low = new float[WIDTH];
        private final float[] high = new float[WIDTH];

        Picture(double seconds) {
            this.seconds = Math.max(seconds, 1e-9);
        }

        void samples(float[] x, int n, double from) {
            for (int i = 0; i < n; i++) {
                int col = (int) Math.min(WIDTH - 1, (from + (double) i / 16_000) / seconds * WIDTH);
                low[col] = Math.min(low[col], x[i]);
                high[col] = Math.max(high[col], x[i]);
            }
        }

        void write(Path file, List<Double> p, int field, MelSettings s, double threshold,
                   List<KeywordDetector.Detection> found, String keyword) throws IOException {
            int h = 320;
            BufferedImage image = new BufferedImage(WIDTH, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, h);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(new Color(8, 119, 189));
            for (int c = 0; c < WIDTH; c++) {
                g.drawLine(c, 70 - Math.round(low[c] * 50), c, 70 - Math.round(high[c] * 50));
            }
            int top = 150;
            int bottom = 290;
            g.setColor(Color.LIGHT_GRAY);
            g.drawLine(0, bottom - (int) (threshold * (bottom - top)), WIDTH, bottom - (int) (threshold * (bottom
                    - top)));
            g.setColor(new Color(214, 39, 40));
            double frame = (double) s.hop() / s.rate();
            int lastX = -1;
            int lastY = bottom;
            for (int t = 0; t < p.size(); t++) {
                double at = (t + (field - 1) / 2.0) * frame + s.nfft() / 2.0 / s.rate();
                int x = (int) (at / seconds * WIDTH);
                int y = bottom - (int) Math.round(p.get(t) * (bottom - top));
                if (lastX >= 0) {
                    g.drawLine(lastX, lastY, x, y);
                }
                lastX = x;
                lastY = y;
            }
            g.setColor(new Color(44, 160, 44));
            for (KeywordDetector.Detection d : found) {
                int x = (int) (d.seconds() / seconds * WIDTH);
                g.drawLine(x, 10, x, bottom);
            }
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "waveform, %.1f s", seconds), 8, 14);
            g.drawString("P(\"" + keyword + "\") at each window; threshold " + threshold + "; green: detections",
                    8, top - 6);
            g.drawString("0 s", 2, h - 12);
            g.drawString(String.format(Locale.ROOT, "%.1f s", seconds), WIDTH - 60, h - 12);
            g.dispose();
            java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(image, "png", png);
            lanes.layers.io.AtomicFile.write(file, png.toByteArray());
        }
    }
}
