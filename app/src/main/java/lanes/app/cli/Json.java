package lanes.app.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lanes.layers.io.AtomicFile;
import lanes.layers.io.JsonText;

/** Writes reports atomically: to a temporary file beside the target, then renamed over it. */
public final class Json {
    private Json() {
    }

    /**
     * Writes {@code objects} (each already a JSON object) as a JSON array to {@code file}, atomically.
     *
     * @param file the file; its folders are made
     * @param objects the objects' JSON text
     * @throws IOException if it cannot be written
     */
    public static void writeAtomically(Path file, List<String> objects) throws IOException {
        writeText(file, "[\n  " + String.join(",\n  ", objects) + "\n]\n");
    }

    /**
     * {@code text} as a JSON string literal, quotes and control characters escaped.
     *
     * @param text any text
     * @return the literal, quotes included
     */
    public static String quote(String text) {
        return JsonText.quote(text);
    }

    /**
     * Writes one JSON value (already formatted) to {@code file}, atomically.
     *
     * @param file the file; its folders are made
     * @param object the value's JSON text
     * @throws IOException if it cannot be written
     */
    public static void writeObject(Path file, String object) throws IOException {
        writeText(file, object + "\n");
    }

    private static void writeText(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        AtomicFile.write(file, text.getBytes(StandardCharsets.UTF_8));
    }
}
