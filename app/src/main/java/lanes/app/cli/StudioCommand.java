package lanes.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import lanes.app.studio.Studio;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lanes studio}: the browser studio (playground, live training, lecture) on a local web server. */
@Command(name = "studio", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Lanes Studio in the browser: the course's playground, live training on the digits (or "
                + "--data), and the lecture's demos, trained by the engine. Serves 127.0.0.1 only unless --host is "
                + "given; prints the address; Ctrl-C ends it. The page's API: docs/studio.md."})
final class StudioCommand implements Callable<Integer> {
    @Option(names = "--port", description = "The port (default: a free one).")
    int port;

    @Option(names = "--open", description = "Open the page in the desktop's browser.")
    boolean open;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Listen on this address instead of 127.0.0.1 "
            + "(other machines can then reach the studio: there is no login).")
    String host;

    @Option(names = "--data", paramLabel = "DIR", description = "An MNIST-format folder, an image folder, a folder of "
            + "WAVs by class or a keyword set (data/speech: the audio page's example recordings) the train view may use, beside the embedded digits (repeatable; the page names it by its folder name).")
    List<Path> data = new ArrayList<>();

    @Option(names = "--detector", paramLabel = "FILE", description = "A keyword spotter's model file (from lanes "
            + "train --data data/speech --model kws --save FILE) for the audio page (repeatable).")
    List<Path> detectors = new ArrayList<>();

    @Option(names = "--max-runs", paramLabel = "N", description = "The most runs held at once (default "
            + "${DEFAULT-VALUE}).")
    int maxRuns = 32;

    @Option(names = "--idle-seconds", paramLabel = "S", description = "End a run no page has looked at for this "
            + "long (default ${DEFAULT-VALUE}).")
    double idleSeconds = 60;

    @Override
    public Integer call() throws Exception {
        Args.positive("--max-runs", maxRuns);
        Args.finitePositive("--idle-seconds", (float) idleSeconds);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port " + port + ": give 0 to 65535");
        }
        for (Path d : data) {
            if (!Files.isDirectory(d)) {
                throw new IllegalArgumentException("--data " + d + ": not a folder");
            }
        }
        Studio.Settings settings = new Studio.Settings(host == null ? "127.0.0.1" : host, port,
                Studio.folders(data), maxRuns, idleSeconds, detectors);
        Studio studio = Studio.start(settings);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            studio.close();
            done.countDown();
        }, "studio-shutdown"));
        if (host != null) {
            System.err.println("lanes studio: WARNING: listening on " + host + ", not loopback: anyone who can reach "
                    + "this address can use the studio (there is no login). Use it on a trusted network only.");
        }
        System.out.println("Lanes Studio: " + studio.url() + "  (Ctrl-C to stop)");
        if (open) {
            Browser.open(studio.url());
        }
        done.await();
        return 0;
    }

    /** The desktop's browser, where there is one. */
    static final class Browser {
        private Browser() {
        }

        static void open(String url) {
            try {
                if (java.awt.Desktop.isDesktopSupported()
                        && java.awt.Desktop.getDesktop().isSupported(java.awt.Desktop.Action.BROWSE)) {
                    java.awt.Desktop.getDesktop().browse(java.net.URI.create(url));
                    return;
                }
                new ProcessBuilder("xdg-open", url).inheritIO().start();
            } catch (Exception | Error e) {
                System.err.println("lanes studio: could not open a browser (" + e.getMessage() + "); open " + url
                        + " yourself");
            }
        }
    }
}
