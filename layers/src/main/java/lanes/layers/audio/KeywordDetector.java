package lanes.layers.audio;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import lanes.engine.Tensor;
import lanes.engine.signal.MelSettings;
import lanes.engine.signal.MelSpectrogram;
import lanes.layers.data.Normalization;
import lanes.layers.nn.Layer;
import lanes.layers.nn.Pooling;
import lanes.layers.nn.Sequential;

/**
 * A keyword spotter run along a recording of any length: the model's layers before its max over time score every
 * frame position, a block of frames at a time (each block starting with the last {@code field - 1} frames of the
 * one before, so that no window is lost between blocks), and the keyword's probability at a position is the
 * softmax of that position's scores. A detection is a run of positions above the threshold; its time is the
 * middle of the run's windows. Memory stays that of one block, whatever the recording's length.
 *
 * <pre>
 *   samples --(hop-aligned blocks)--> log-mel frames (F, M) -> normalised -> scorer (1, M, F) -> scores (K, F - field + 1)
 * </pre>
 */
public final class KeywordDetector {
    /**
     * A detection.
     *
     * @param seconds its time: the middle of its windows
     * @param score its highest probability
     */
    public record Detection(double seconds, double score) {
    }

    /** Frames scored per block. */
    static final int BLOCK = 512;

    private final List<Layer> scorer;
    private final int field;                    // frames one score reads
    private final int keyword;                  // the keyword's class
    private final MelSpectrogram mel;
    private final MelSettings settings;
    private final Normalization normalization;

    /**
     * A detector of {@code model}'s class {@code keyword}.
     *
     * @param model a keyword spotter: a reshape to (bands, frames), 1-D layers, a max over time and a flatten
     * @param field the frames its score at one position reads (its receptive field)
     * @param keyword the keyword's class index
     * @param settings the features it was trained on
     * @param normalization their normalisation, or null
     * @throws IllegalArgumentException if the model has no max over time to remove
     */
    public KeywordDetector(Sequential model, int field, int keyword, MelSettings settings,
                           Normalization normalization) {
        List<Layer> layers = model.flattened();
        int pool = -1;
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof Pooling p && p.max) {
                pool = i;
            }
        }
        if (pool < 0) {
            throw new IllegalArgumentException("keyword detector: the model has no max pooling over time to scan "
                    + "with: " + model);
        }
        int first = 0;
        while (first < pool && layers.get(first) instanceof lanes.layers.nn.Reshape) {
            first++;                                // the scan feeds (1, bands, frames) itself, at any length
        }
        this.scorer = List.copyOf(layers.subList(first, pool));
        this.field = field;
        this.keyword = keyword;
        this.settings = settings;
        this.mel = new MelSpectrogram(settings);
        this.normalization = normalization;
    }

    /** Where a scan is: the samples not yet framed, the frames not yet scored, and the probabilities so far. */
    public final class Scan {
        private float[] pending = new float[0];
        private float[] tail = new float[0];                // the last field - 1 frames, (frames, bands)
        private int tailFrames;
        private double[] probabilities = new double[1024];
        private int positions;
        private final Consumer<float[]> frames;

        private Scan(Consumer<float[]> frames) {
            this.frames = frames;
        }

        /**
         * Takes the next samples (at the settings' rate).
         *
         * @param x the samples
         * @param n how many
         */
        public void add(float[] x, int n) {
            float[] all = new float[pending.length + n];
            System.arraycopy(pending, 0, all, 0, pending.length);
            System.arraycopy(x, 0, all, pending.length, n);
            int count = settings.frames(all.length);
            if (count == 0) {
                pending = all;
                return;
            }
            for (int from = 0; from < count; from += BLOCK) {
                int c = Math.min(BLOCK, count - from);
                int start = from * settings.hop();
                int length = (c - 1) * settings.hop() + settings.nfft();
                score(mel.apply(all, start, length));
            }
            int used = count * settings.hop();
            pending = java.util.Arrays.copyOfRange(all, used, all.length);
        }

        // features (count, bands) after the tail -> probabilities of every complete window
        private void score(Tensor features) {
            int count = features.shape(0);
            int bands = features.shape(1);
            float[] f = features.data();                            // (count, bands): MelSpectrogram's new tensor
            int fOff = 0;
            if (features.offset() != 0 || f.length != count * bands) {
                throw new IllegalStateException("keyword detector: features are not a new contiguous tensor");
            }
            if (frames != null) {
                for (int t = 0; t < count; t++) {
                    frames.accept(java.util.Arrays.copyOfRange(f, fOff + t * bands, fOff + (t + 1) * bands));
                }
            }
            if (normalization != null) {
                normalization.apply(f, bands);                      // one channel: every frame as the model's
            }
            int total = tailFrames + count;
            float[] in = new float[bands * total];                  // (bands, frames), channels first
            for (int t = 0; t < tailFrames; t++) {
                for (int b = 0; b < bands; b++) {
                    in[b * total + t] = tail[t * bands + b];
                }
            }
            for (int t = 0; t < count; t++) {
                int row = fOff + t * bands;
                for (int b = 0; b < bands; b++) {
                    in[b * total + tailFrames + t] = f[row + b];
                }
            }
            int keep = Math.min(field - 1, total);                  // the last field - 1 frames, for the next block
            float[] next = new float[keep * bands];
            for (int t = total - keep; t < total; t++) {
                for (int b = 0; b < bands; b++) {
                    next[(t - total + keep) * bands + b] = in[b * total + t];
                }
            }
            tail = next;
            tailFrames = keep;
            if (total < field) {
                return;
            }
            Tensor h = Tensor.wrap(in, 1, bands, total);
            for (Layer l : scorer) {
                h = l.forward(h);
            }
            Tensor z = h.contiguous();                              // (1, classes, positions)
            int classes = z.shape(1);
            int count2 = z.shape(2);
            float[] zd = z.data();
            int zOff = z.offset();
            if (positions + count2 > probabilities.length) {
                probabilities = java.util.Arrays.copyOf(probabilities, Math.max(2 * probabilities.length,
                        positions + count2));
            }
            for (int t = 0; t < count2; t++) {
                double top = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    top = Math.max(top, zd[zOff + c * count2 + t]);
                }
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    sum += Math.exp(zd[zOff + c * count2 + t] - top);
                }
                probabilities[positions++] = Math.exp(zd[zOff + keyword * count2 + t] - top) / sum;
            }
        }

        /**
         * The keyword's probability at every window position so far; position t reads frames t to t + field - 1.
         *
         * @return a copy of them
         */
        public double[] probabilities() {
            return java.util.Arrays.copyOf(probabilities, positions);
        }

        /**
         * The detections: each run of positions whose probability is above {@code threshold}, runs closer than
         * {@code gapSeconds} joined.
         *
         * @param threshold from 0 to 1
         * @param gapSeconds runs this close are one detection
         * @return the detections, in time order
         */
        public List<Detection> detections(double threshold, double gapSeconds) {
            List<Detection> out = new ArrayList<>();
            double frame = (double) settings.hop() / settings.rate();
            int gap = (int) Math.round(gapSeconds / frame);
            int first = -1;
            int last = -1;
            double best = 0;
            for (int t = 0; t <= positions; t++) {
                double p = t < positions ? probabilities[t] : 0;
                if (p > threshold) {
                    if (first < 0) {
                        first = t;
                        best = 0;
                    }
                    last = t;
                    best = Math.max(best, p);
                } else if (first >= 0 && (t - last > gap || t == positions)) {
                    out.add(new Detection(middle(first, last), best));
                    first = -1;
                }
            }
            return out;
        }

        // the time of the middle of windows first..last
        private double middle(int first, int last) {
            return seconds((first + last) / 2.0);
        }
    }

    /**
     * A new scan.
     *
     * @return an empty scan
     */
    public Scan scan() {
        return new Scan(null);
    }

    /**
     * A new scan that also hands every log-mel frame, before normalisation, to {@code frames}, in time order (frame
     * f is centred at {@code (f * hop + nfft / 2) / rate} seconds): for a spectrogram of a recording too long to hold.
     *
     * @param frames takes each frame, (bands), a copy it may keep
     * @return an empty scan
     */
    public Scan scan(Consumer<float[]> frames) {
        return new Scan(java.util.Objects.requireNonNull(frames, "frames"));
    }

    /**
     * The time of the middle of the window at position {@code t}, the time a probability is drawn at.
     *
     * @param t a position
     * @return seconds from the start
     */
    public double seconds(double t) {
        double f = t + (field - 1) / 2.0;
        return (f * settings.hop() + settings.nfft() / 2.0) / settings.rate();
    }
}
