package lanes.bench.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import lanes.app.studio.Studio;
import lanes.bench.studio.PlaygroundBench;
import lanes.layers.io.JsonText;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lanes bench studio}: the playground's training steps per second and the cost of one boundary frame (JMH,
 * one thread), then a real studio on loopback playing the default network while an event-stream client counts the
 * frames it receives per second (the page's frame rate; the target is 20 or more).
 */
@Command(name = "studio", mixinStandardHelpOptions = true,
        description = "Lanes Studio: playground steps/s (default 2-8-8-1 tanh, batch 10), the time to compute and "
                + "serialise one 100 x 100 boundary frame (output and every neuron), and the frames/s a page gets "
                + "while the network trains.")
final class StudioBenchCommand implements Callable<Integer> {
    @Mixin
    RunOptions options;

    @Option(names = "--networks", split = ";", description = "Hidden layers to measure, ';' between networks "
            + "(default: ${DEFAULT-VALUE}).")
    List<String> networks = List.of("8,8", "8,8,8,8,8,8");

    @Option(names = "--live-seconds", description = "How long the event stream is watched (default "
            + "${DEFAULT-VALUE}).")
    double liveSeconds = 5;

    @Override
    public Integer call() throws Exception {
        options.check();
        List<String> json = new ArrayList<>();
        System.out.printf("Lanes Studio benchmark on %s, 1 thread%n", RunOptions.cpuModel());
        System.out.printf("%-16s %14s %14s %14s %14s%n", "hidden layers", "steps/s", "grids ms", "frame ms",
                "frames/s");
        for (String hidden : networks) {
            OptionsBuilder o = new OptionsBuilder();
            o.include(PlaygroundBench.class.getName() + "\\.").param("hidden", hidden).forks(1)
                    .verbosity(VerboseMode.SILENT).shouldFailOnError(true).jvmArgsAppend("-Dlanes.threads=1");
            double steps = Double.NaN;
            double frame = Double.NaN;
            double grids = Double.NaN;
            for (RunResult r : new Runner(options.apply(o).build()).run()) {
                String name = r.getParams().getBenchmark();
                double score = r.getPrimaryResult().getScore();
                if (name.endsWith(".steps")) {
                    steps = score;
                } else if (name.endsWith(".grids")) {
                    grids = score;
                } else {
                    frame = score;
                }
            }
            System.out.printf(Locale.ROOT, "%-16s %,14.0f %14.3f %14.3f %,14.1f%n", hidden, steps, grids, frame,
                    1000 / frame);
            json.add(String.format(Locale.ROOT, "{\"suite\": \"studio\", \"impl\": \"lanes\", \"case\": \"playground\", "
                    + "\"hidden\": \"%s\", \"batch\": 10, \"steps_per_s\": %.0f, \"grids_ms\": %.4f, \"frame_ms\": %.4f}",
                    hidden, steps, grids, frame));
        }
        System.out.println("(the PyTorch peer of the steps and the grids: /usr/bin/python3 bench/python/"
                + "playground_torch.py, the same networks)");
        double[] live = live(liveSeconds);
        System.out.printf(Locale.ROOT, "Live, default network playing on a studio on loopback: %.1f frames/s "
                + "reached the event-stream client (target >= 20), %,.0f steps/s while streaming, %,d bytes a frame%n",
                live[0], live[1], (long) live[2]);
        json.add(String.format(Locale.ROOT, "{\"suite\": \"studio\", \"case\": \"live\", \"frames_per_s\": %.2f, "
                + "\"steps_per_s\": %.0f, \"frame_bytes\": %.0f, \"seconds\": %.1f}", live[0], live[1], live[2],
                liveSeconds));
        options.writeJson(json);
        return 0;
    }

    /** {frames/s, steps/s, bytes per frame} of the default network playing, seen through its event stream. */
    static double[] live(double seconds) throws IOException, InterruptedException {
        try (Studio studio = Studio.start(Studio.Settings.defaults())) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + studio.port() + "/api/runs";
            String made = http.send(HttpRequest.newBuilder(URI.create(base)).POST(HttpRequest.BodyPublishers
                    .ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()).body();
            String id = (String) ((Map<?, ?>) JsonText.parse(made)).get("id");
            http.send(HttpRequest.newBuilder(URI.create(base + "/" + id + "/play")).POST(HttpRequest.BodyPublishers
                    .ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<java.io.InputStream> events = http.send(HttpRequest.newBuilder(URI.create(base + "/" + id
                    + "/events")).build(), HttpResponse.BodyHandlers.ofInputStream());
            long warm = System.nanoTime() + 1_000_000_000L;
            long end = warm + (long) (seconds * 1e9);
            int frames = 0;
            long bytes = 0;
            double firstStep = Double.NaN;
            double lastStep = Double.NaN;
            long firstAt = 0;
            long lastAt = 0;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null && System.nanoTime() < end; ) {
                    if (!line.startsWith("data: ") || System.nanoTime() < warm) {
                        continue;
                    }
                    Map<?, ?> state = (Map<?, ?>) JsonText.parse(line.substring(6));
                    double step = (Double) state.get("step");
                    long now = System.nanoTime();
                    if (frames == 0) {
                        firstStep = step;
                        firstAt = now;
                    }
                    frames++;
                    bytes += line.length();
                    lastStep = step;
                    lastAt = now;
                }
            }
            double span = (lastAt - firstAt) / 1e9;
            return new double[] {(frames - 1) / span, (lastStep - firstStep) / span, (double) bytes / frames};
        }
    }
}
