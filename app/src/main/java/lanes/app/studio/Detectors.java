package lanes.app.studio;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import lanes.app.KeywordSpotter;
import lanes.layers.io.JsonText;

/**
 * The keyword spotters the audio page can scan with, by name: the model files given to {@code lanes studio
 * --detector}, and copies of train runs' models kept with {@code POST /api/detectors} (so a detector outlives its
 * run). At most {@link #CAPACITY}; the oldest kept copy goes first. One scan at a time per detector (its buffers
 * and layers are reused).
 */
final class Detectors {
    /** The most detectors held. */
    static final int CAPACITY = 16;

    /** One detector: its spotter, where it came from, and the lock its scans take. */
    record Entry(String name, KeywordSpotter spotter, String source, String description, ReentrantLock lock) {
        String json() {
            return "{\"name\": " + JsonText.quote(name) + ", \"keyword\": " + JsonText.quote(spotter.keyword())
                    + ", \"source\": " + JsonText.quote(source) + ", \"description\": " + JsonText.quote(description)
                    + "}";
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /**
     * The detectors of these model files, named by their file names.
     *
     * @throws IOException if one cannot be read
     * @throws IllegalArgumentException if one is not a keyword spotter, naming it
     */
    static Detectors of(List<Path> files) throws IOException {
        Detectors d = new Detectors();
        for (Path f : files) {
            String name = f.getFileName().toString();
            for (int i = 2; d.entries.containsKey(name); i++) {
                name = f.getFileName() + "-" + i;
            }
            d.entries.put(name, new Entry(name, KeywordSpotter.read(f), "file", f.toString(), new ReentrantLock()));
        }
        return d;
    }

    synchronized Entry get(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw ApiError.badField("detector", "\"" + Fields.clip(String.valueOf(name)) + "\" is not one of the "
                    + "studio's detectors " + entries.keySet() + " (GET /api/detectors; keep a train run's model with "
                    + "POST /api/detectors {\"run\": ID})");
        }
        return e;
    }

    /** Keeps a copy of a run's model; a run kept again replaces its earlier copy. */
    synchronized Entry keep(TrainingRun run, KeywordSpotter spotter, String description) {
        String name = "run " + run.id;
        entries.remove(name);
        while (entries.size() >= CAPACITY) {
            String oldest = entries.values().stream().filter(e -> e.source().equals("run")).map(Entry::name)
                    .findFirst().orElseThrow(() -> new ApiError(409, "run", "the studio holds " + CAPACITY
                            + " detectors from files, its limit"));
            entries.remove(oldest);
        }
        Entry e = new Entry(name, spotter, "run", description, new ReentrantLock());
        entries.put(name, e);
        return e;
    }

    synchronized String json() {
        List<String> items = new ArrayList<>();
        entries.values().forEach(e -> items.add(e.json()));
        return "[" + String.join(", ", items) + "]";
    }
}
