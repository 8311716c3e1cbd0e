package lanes.tests.layers.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import lanes.engine.Tensor;
import lanes.engine.signal.MelSettings;
import lanes.engine.signal.MelSpectrogram;
import lanes.layers.audio.KeywordDetector;
import lanes.layers.data.Normalization;
import lanes.layers.models.Architecture;
import lanes.layers.nn.Layer;
import lanes.layers.nn.Sequential;
import org.junit.jupiter.api.Test;

/**
 * A streaming scan is the keyword spotter's layers before its max over time run once over the whole recording's
 * features: however the samples arrive (one call, or pieces of any size, across the detector's blocks of 512
 * frames), every window position gets the probability the whole-recording forward pass gives it, and the frames
 * handed out are the recording's log-mel frames in order. Within 1e-6 rather than bit for bit: a block's frame
 * count picks the products' paths (a small product runs unpacked), whose sums round in another order.
 */
class KeywordDetectorTest {
    static final int FIELD = 29;                    // kws: kernels 5, 5 dilated 2, 5 dilated 4

    @Test
    void piecesOfAnySizeGiveTheWholeRecordingsProbabilities() {
        MelSettings s = MelSettings.keywordSpotting();
        Architecture a = Architecture.forData("kws", new int[] {1, 40, 99}, 2);
        Sequential model = a.build(7);
        Normalization n = Normalization.measure(new float[] {-3f, -1f, 2f, 5f}, 1, 4);
        Random r = new Random(11);
        float[] x = new float[25 * s.rate() + 123];               // 1,249 frames: across two block boundaries
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.2 * Math.sin(i * (0.01 + 0.03 * Math.sin(i * 1e-4))) + 0.05 * r.nextGaussian());
        }
        double[] whole = wholeRecording(model, s, n, x);
        KeywordDetector detector = new KeywordDetector(model, FIELD, 1, s, n);

        List<float[]> handed = new ArrayList<>();
        KeywordDetector.Scan once = detector.scan(handed::add);
        once.add(x, x.length);
        double[] p = once.probabilities();
        assertEquals(s.frames(x.length) - FIELD + 1, p.length, "a probability per whole window");
        for (int t = 0; t < p.length; t++) {
            assertEquals(whole[t], p[t], 1e-5, "position " + t + " of " + p.length);
        }
        Tensor features = new MelSpectrogram(s).apply(x, 0, x.length);
        assertEquals(features.shape(0), handed.size(), "every frame handed out once");
        for (int f = 0; f < handed.size(); f += 97) {
            for (int b = 0; b < 40; b++) {
                assertEquals(features.get(f, b), handed.get(f)[b], 0f, "frame " + f + " band " + b);
            }
        }

        for (int seed = 0; seed < 3; seed++) {
            Random pieces = new Random(seed);
            KeywordDetector.Scan scan = detector.scan();
            for (int at = 0; at < x.length; ) {
                int size = Math.min(x.length - at, 1 + pieces.nextInt(seed == 0 ? 400 : 90_000));
                scan.add(java.util.Arrays.copyOfRange(x, at, at + size), size);
                at += size;
            }
            double[] q = scan.probabilities();
            assertEquals(p.length, q.length, "pieces of seed " + seed + ": positions");
            for (int t = 0; t < p.length; t++) {
                assertEquals(p[t], q[t], 1e-6, "pieces of seed " + seed + ", position " + t);
            }
        }
        assertTrue(detector.scan().probabilities().length == 0, "an empty scan has no positions");
    }

    // the layers before the max over time over all frames at once, and each position's softmax
    private static double[] wholeRecording(Sequential model, MelSettings s, Normalization n, float[] x) {
        Tensor features = new MelSpectrogram(s).apply(x, 0, x.length);           // (F, 40)
        int frames = features.shape(0);
        float[] in = new float[40 * frames];
        for (int f = 0; f < frames; f++) {
            float[] frame = new float[40];
            for (int b = 0; b < 40; b++) {
                frame[b] = features.get(f, b);
            }
            n.apply(frame, 40);
            for (int b = 0; b < 40; b++) {
                in[b * frames + f] = frame[b];
            }
        }
        Tensor h = Tensor.wrap(in, 1, 40, frames);
        for (Layer l : model.flattened()) {
            if (l instanceof lanes.layers.nn.Pooling) {
                break;
            }
            if (!(l instanceof lanes.layers.nn.Reshape)) {
                h = l.forward(h);
            }
        }
        Tensor z = h.contiguous();
        double[] out = new double[z.shape(2)];
        for (int t = 0; t < out.length; t++) {
            double a = z.get(0, 0, t);
            double b = z.get(0, 1, t);
            double top = Math.max(a, b);
            out[t] = Math.exp(b - top) / (Math.exp(a - top) + Math.exp(b - top));
        }
        return out;
    }
}
