package lanes.app.studio;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import lanes.app.Features;
import lanes.layers.data.ToyData;
import lanes.layers.io.JsonText;

/**
 * Lanes Studio: a local web server with the course's playground, live training and lecture views, the networks
 * trained by the engine. The JDK's {@code com.sun.net.httpserver} on virtual threads (an event stream holds one),
 * the page's files from the jar ({@link StaticFiles}), the API under {@code /api/} ({@link Api}), every request
 * checked by {@link Guard} first.
 */
public final class Studio implements AutoCloseable {
    /**
     * What a studio serves and allows.
     *
     * @param host the address to bind (127.0.0.1 unless the user says otherwise)
     * @param port the port (0: a free one)
     * @param dataFolders the data a train run may name, beyond the embedded digits: name to folder
     * @param maxRuns the most runs held at once
     * @param idleSeconds a run no page has looked at for this long is ended
     * @param detectors keyword spotters' model files for the audio page
     */
    public record Settings(String host, int port, Map<String, Path> dataFolders, int maxRuns, double idleSeconds,
                           List<Path> detectors) {
        /** Loopback, a free port, the digits only, 32 runs, 60 s, no detector files. */
        public static Settings defaults() {
            return new Settings("127.0.0.1", 0, Map.of(), 32, 60, List.of());
        }

        /** The limits and choices the page builds its controls from. */
        String infoJson() {
            List<String> data = new ArrayList<>(List.of("digits"));
            data.addAll(dataFolders.keySet());
            return "{\"datasets\": " + strings(List.of("circle", "xor", "gauss", "spiral", "blobs:3", "blobs:4",
                    "blobs:5", "csv", "plane", "multigauss")) + ", \"datasetNames\": " + JsonText.quote(ToyData.NAMES
                    + ", csv, plane, multigauss")
                    + ", \"features\": " + strings(Features.ALL) + ", \"activations\": "
                    + strings(PlaygroundSpec.ACTIVATIONS) + ", \"regularizations\": "
                    + strings(PlaygroundSpec.REGULARIZATIONS) + ", \"maxHiddenLayers\": " + PlaygroundSpec.MAX_LAYERS
                    + ", \"maxNeurons\": " + PlaygroundSpec.MAX_NEURONS + ", \"maxCsvPoints\": "
                    + PlaygroundSpec.MAX_CSV_POINTS + ", \"maxBody\": " + Api.MAX_BODY + ", \"maxRuns\": " + maxRuns
                    + ", \"idleSeconds\": " + idleSeconds + ", \"trainData\": " + strings(data) + ", \"models\": "
                    + strings(TrainSpec.MODELS) + ", \"cores\": " + Runtime.getRuntime().availableProcessors() + "}";
        }

        private static String strings(List<String> l) {
            List<String> q = new ArrayList<>();
            l.forEach(s -> q.add(JsonText.quote(s)));
            return "[" + String.join(", ", q) + "]";
        }
    }

    private final Settings settings;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Runs runs;
    private final Thread reaper;

    /**
     * Starts a studio.
     *
     * @param settings what it serves and allows
     * @return the running studio
     * @throws IOException if the address cannot be bound, naming it
     */
    public static Studio start(Settings settings) throws IOException {
        return new Studio(settings);
    }

    private Studio(Settings settings) throws IOException {
        this.settings = settings;
        this.runs = new Runs(settings.maxRuns(), settings.idleSeconds());
        Detectors detectors = Detectors.of(settings.detectors());
        InetSocketAddress at = new InetSocketAddress(InetAddress.getByName(settings.host()), settings.port());
        try {
            server = HttpServer.create(at, 128);
        } catch (IOException e) {
            throw new IOException("cannot listen on " + settings.host() + ":" + settings.port() + ": " + e
                    .getMessage(), e);
        }
        server.setExecutor(threads);
        Set<String> names = new java.util.HashSet<>(List.of("127.0.0.1", "localhost", settings.host()));
        if (settings.host().equals("::1")) {
            names.add("::1");
        }
        Guard guard = new Guard(names, server.getAddress().getPort());
        HttpContext page = server.createContext("/", new StaticFiles());
        page.getFilters().add(guard);
        HttpContext api = server.createContext("/api/", new Api(runs, settings, detectors));
        api.getFilters().add(guard);
        server.start();
        reaper = Thread.ofVirtual().name("studio-reaper").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                runs.reap();
            }
        });
    }

    /**
     * The port the studio listens on.
     *
     * @return the port
     */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * The page's address.
     *
     * @return e.g. {@code http://127.0.0.1:43210/}
     */
    public String url() {
        String h = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return "http://" + h + ":" + port() + "/";
    }

    /**
     * The runs held now.
     *
     * @return how many
     */
    public int runs() {
        return runs.size();
    }

    /** Ends every run and stops the server. */
    @Override
    public void close() {
        reaper.interrupt();
        runs.closeAll();
        server.stop(0);
        threads.shutdownNow();
    }

    /** The data folders given on the command line, by their folder names. */
    public static Map<String, Path> folders(List<Path> dirs) {
        Map<String, Path> m = new LinkedHashMap<>();
        for (Path d : dirs) {
            String name = d.toAbsolutePath().normalize().getFileName().toString();
            String key = name;
            for (int i = 2; m.containsKey(key) || key.equals("digits"); i++) {
                key = name + "-" + i;
            }
            m.put(key, d);
        }
        return m;
    }
}
