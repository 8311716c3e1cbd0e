package lanes.layers.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * torchvision's ImageFolder layout, for files of any kind: {@code DIR/<class>/FILE}, or {@code DIR/train/<class>/}
 * and {@code DIR/test/<class>/}; classes in the order of their names, files in the order of theirs, hidden ones
 * skipped. Without train/ and test/, each class's files are shuffled from a seed and a share held out for testing.
 * What {@link ImageFolder} and the audio folders read.
 *
 * @param classes the class names
 * @param train the training files of each class
 * @param test the test files of each class
 */
public record ClassFolders(List<String> classes, List<List<Path>> train, List<List<Path>> test) {
    /**
     * Whether {@code dir} is laid out so: a subfolder (of it, or of its train/) holds a file of {@code extensions}.
     *
     * @param dir a folder
     * @param extensions the files' extensions, lower case, without the dot
     * @return true if so
     * @throws IOException if it cannot be listed
     */
    public static boolean looksLike(Path dir, Set<String> extensions) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        Path root = Files.isDirectory(dir.resolve("train")) ? dir.resolve("train") : dir;
        for (Path c : subfolders(root)) {
            if (!files(c, extensions).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Lists {@code dir}'s classes and files, split.
     *
     * @param dir the folder
     * @param extensions the files' extensions, lower case, without the dot
     * @param noun what the files are, for messages: "images", "recordings"
     * @param testFraction the test share of each class, where there is no train/ and test/
     * @param seed the seed of that split
     * @return the classes and the files of each split
     * @throws IOException if the layout is wrong (naming the folder), or fewer than two classes hold files
     */
    public static ClassFolders read(Path dir, Set<String> extensions, String noun, double testFraction, long seed)
            throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": no such folder" + (Files.exists(dir) ? " (it is a file)" : ""));
        }
        List<List<Path>> train = new ArrayList<>();
        List<List<Path>> test = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        if (Files.isDirectory(dir.resolve("train")) && Files.isDirectory(dir.resolve("test"))) {
            List<String> testClasses = new ArrayList<>();
            collect(dir.resolve("train"), extensions, noun, classes, train);
            collect(dir.resolve("test"), extensions, noun, testClasses, test);
            if (!testClasses.equals(classes)) {
                throw new IOException(dir + ": train/ has classes " + classes + " but test/ has " + testClasses);
            }
        } else {
            List<List<Path>> all = new ArrayList<>();
            collect(dir, extensions, noun, classes, all);
            Random r = new Random(seed);
            for (int c = 0; c < all.size(); c++) {
                List<Path> files = new ArrayList<>(all.get(c));
                Collections.shuffle(files, r);
                int held = (int) Math.round(files.size() * testFraction);
                if (held < 1 || held >= files.size()) {
                    throw new IOException(dir + "/" + classes.get(c) + ": " + files.size() + " " + noun + " cannot be "
                            + "split into training and test " + noun + " by a test fraction of " + testFraction);
                }
                test.add(files.subList(0, held));
                train.add(files.subList(held, files.size()));
            }
        }
        if (classes.size() < 2) {
            throw new IOException(dir + ": " + classes.size() + " class folder" + (classes.size() == 1 ? "" : "s")
                    + " with " + noun + "; a classifier needs at least 2 (one subfolder per class)");
        }
        return new ClassFolders(List.copyOf(classes), train, test);
    }

    private static void collect(Path root, Set<String> extensions, String noun, List<String> classes,
                                List<List<Path>> files) throws IOException {
        for (Path c : subfolders(root)) {
            List<Path> found = files(c, extensions);
            if (found.isEmpty()) {
                throw new IOException(c + ": a class folder without " + noun + " (" + String.join(", ",
                        extensions.stream().sorted().toList()) + ")");
            }
            classes.add(c.getFileName().toString());
            files.add(found);
        }
        if (classes.isEmpty()) {
            throw new IOException(root + ": no class folders; a folder of " + noun + " holds one subfolder of " + noun
                    + " per class (or train/ and test/ that do)");
        }
    }

    private static List<Path> subfolders(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
    }

    private static List<Path> files(Path dir, Set<String> extensions) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                String name = p.getFileName().toString();
                int dot = name.lastIndexOf('.');
                return !name.startsWith(".") && dot > 0
                        && extensions.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
            }).sorted().toList();
        }
    }
}
