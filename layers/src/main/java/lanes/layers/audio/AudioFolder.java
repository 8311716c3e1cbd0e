package lanes.layers.audio;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import lanes.engine.signal.MelSettings;
import lanes.layers.data.ClassFolders;
import lanes.layers.data.DataFolder;
import lanes.layers.data.Dataset;
import lanes.layers.data.Normalization;

/**
 * A folder of recordings by class, as torchvision's ImageFolder lays out images ({@link ClassFolders}):
 * {@code DIR/<class>/*.wav}, or {@code DIR/train/<class>/*.wav} and {@code DIR/test/<class>/*.wav}. Each
 * recording is read as a keyword spotter reads a clip ({@link SpeechClips#clipFeatures}: at 16 kHz, its middle 2 s,
 * log-mel features of (1, 40, 99)), and the features are normalised by the training set's mean and deviation.
 *
 * @param data the training and test features
 * @param classes the class names
 * @param normalization what the features were normalised with
 */
public record AudioFolder(DataFolder data, List<String> classes, Normalization normalization) {
    /** The frames of a clip: 2 s in the keyword-spotting framing. */
    public static final int FRAMES = 99;

    /**
     * Whether {@code dir} is laid out so: a subfolder (of it, or of its train/) holds a WAV file.
     *
     * @param dir a folder
     * @return true if so
     * @throws IOException if it cannot be listed
     */
    public static boolean looksLike(Path dir) throws IOException {
        return ClassFolders.looksLike(dir, Set.of("wav"));
    }

    /**
     * Reads {@code dir}; without train/ and test/, each class's recordings are split by {@code testFraction}.
     *
     * @param dir the folder
     * @param testFraction the test share of each class, where there is no test/
     * @param seed the seed of that split
     * @return the features, class names and normalisation
     * @throws IOException if the layout is wrong or a recording cannot be read, naming it
     */
    public static AudioFolder read(Path dir, double testFraction, long seed) throws IOException {
        ClassFolders folders = ClassFolders.read(dir, Set.of("wav"), "recordings", testFraction, seed);
        List<List<Path>> train = folders.train();
        List<List<Path>> test = folders.test();
        MelSettings s = MelSettings.keywordSpotting();
        int plane = s.mels() * FRAMES;
        float[][] trainX = features(train, plane);
        float[][] testX = features(test, plane);
        Normalization n = Normalization.measure(trainX[0], 1, plane);
        n.apply(trainX[0], plane);
        n.apply(testX[0], plane);
        return new AudioFolder(new DataFolder(set(trainX, train, s), set(testX, test, s)), folders.classes(), n);
    }

    // [0]: the features of every recording, class by class; [1]: their labels, as floats
    private static float[][] features(List<List<Path>> byClass, int plane) throws IOException {
        int n = byClass.stream().mapToInt(List::size).sum();
        float[] x = new float[n * plane];
        float[] y = new float[n];
        int i = 0;
        for (int c = 0; c < byClass.size(); c++) {
            for (Path f : byClass.get(c)) {
                System.arraycopy(SpeechClips.clipFeatures(WavFile.read(f), FRAMES, null), 0, x, i * plane, plane);
                y[i++] = c;
            }
        }
        return new float[][] {x, y};
    }

    private static Dataset set(float[][] xy, List<List<Path>> byClass, MelSettings s) {
        int[] labels = new int[xy[1].length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (int) xy[1][i];
        }
        return new Dataset(xy[0], labels, 1, s.mels(), FRAMES, byClass.size());
    }

}
