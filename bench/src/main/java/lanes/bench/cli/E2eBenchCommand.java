package lanes.bench.cli;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import lanes.app.cli.Args;
import lanes.layers.io.JsonText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lanes bench e2e}: the whole training process timed from launch to exit, Lanes ({@code lanes train} in a
 * child JVM with this JVM's flags) beside PyTorch's end-to-end script ({@code train_torch.py --e2e}, carried in the
 * app) in the same run: LeNet-5, batch 64, SGD lr 0.01 momentum 0.9, no weight decay, a new shuffle each epoch,
 * the test set evaluated after every epoch.
 */
@Command(name = "e2e", mixinStandardHelpOptions = true,
        description = "End to end: the whole `lanes train` process (LeNet-5, SGD lr 0.01 momentum 0.9, batch 64) "
                + "timed from launch to exit, beside PyTorch's end-to-end script in the same run when "
                + "/usr/bin/python3 has torch: wall seconds, images/s per epoch, time to 80 / 85 / 88 %% test "
                + "accuracy, final accuracy, peak resident memory.")
final class E2eBenchCommand implements Callable<Integer> {
    static final String PYTHON = "/usr/bin/python3";
    static final double[] LEVELS = {0.80, 0.85, 0.88};

    @Mixin
    RunOptions options;

    @Option(names = "--data", paramLabel = "DIR", description = "An MNIST-format folder (e.g. "
            + "/usr/share/datasets/fashion-mnist). Default: the embedded digits.")
    Path data;

    @Option(names = "--epochs", description = "Epochs (default ${DEFAULT-VALUE}; 1 with --quick).")
    Integer epochs;

    @Option(names = "--seeds", split = ",", description = "Seeds to run, each a whole process per implementation "
            + "(default ${DEFAULT-VALUE}).")
    long[] seeds = {1};

    @Option(names = "--no-peer", description = "Lanes only.")
    boolean noPeer;

    /** One process's figures. */
    record Run(String impl, int threads, long seed, double wall, Map<String, Object> report, String raw) {
        double number(String key) {
            Object v = report.get(key);
            return v instanceof Double d ? d : Double.NaN;
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> epochs() {
            return (List<Map<String, Object>>) report.get("per_epoch");
        }

        /** Training seconds at the first epoch whose test accuracy reached {@code level}, or NaN. */
        double reached(double level) {
            for (Map<String, Object> e : epochs()) {
                if ((Double) e.get("test_accuracy") >= level) {
                    return (Double) e.get("seconds");
                }
            }
            return Double.NaN;
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        options.check();
        if (options.forks != 1) {
            throw new IllegalArgumentException("--forks " + options.forks + ": e2e times whole processes, not JMH "
                    + "forks; run more of them with --seeds");
        }
        int n = epochs != null ? epochs : options.quick ? 1 : 2;
        Args.positive("--epochs", n);
        if (data != null && !Files.isDirectory(data)) {
            throw new IllegalArgumentException("--data " + data + ": no such folder");
        }
        Path work = Files.createTempDirectory("lanes-e2e");
        try {
            Path folder = data != null ? data : extractDigits(work);
            String peer = noPeer ? null : peerProblem();
            Path script = peer == null && !noPeer ? extract("/lanes/bench/python/train_torch.py", work) : null;
            if (script != null) {
                extract("/lanes/bench/python/peer_env.py", work);           // imported by the script
            }
            System.out.printf(Locale.ROOT, "End to end: LeNet-5 on %s, %d epoch%s, batch 64, SGD lr 0.01 momentum 0.9,"
                    + " on %s%n", data != null ? data : "the embedded digits", n, n == 1 ? "" : "s",
                    RunOptions.cpuModel());
            if (peer != null) {
                System.out.println("PyTorch skipped: " + peer);
            }
            List<Run> runs = new ArrayList<>();
            List<String> json = new ArrayList<>();
            for (int t : options.threadCounts()) {
                List<Run> these = new ArrayList<>();
                for (long seed : seeds) {
                    Run lanes = run("lanes", t, seed, lanesCommand(folder, data != null, n, t, seed, work), work);
                    these.add(lanes);
                    if (script != null) {
                        these.add(run("pytorch", t, seed, List.of(PYTHON, script.toString(), "--e2e",
                                folder.toString(), "--epochs", Integer.toString(n), "--threads", Integer.toString(t),
                                "--seed", Long.toString(seed), "--json", work.resolve("pytorch.json").toString()),
                                work));
                    }
                }
                print(t, these);
                runs.addAll(these);
            }
            for (Run r : runs) {
                json.add(String.format(Locale.ROOT, "{\"suite\": \"e2e\", \"impl\": \"%s\", \"threads\": %d, "
                        + "\"seed\": %d, \"wall_s\": %.3f, \"report\": %s}", r.impl, r.threads, r.seed, r.wall,
                        r.raw.strip()));
            }
            options.writeJson(json);
        } finally {
            deleteTree(work);
        }
        return 0;
    }

    // the child JVM: this JVM's java and flags (vector width, LANES_JAVA_OPTS), this app's jar
    private List<String> lanesCommand(Path folder, boolean given, int n, int t, long seed, Path work) {
        List<String> c = new ArrayList<>();
        c.add(ProcessHandle.current().info().command().orElse("java"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent")) {
                c.add(a);
            }
        }
        c.addAll(List.of("-jar", jar().toString(), "train"));
        if (given) {
            c.addAll(List.of("--data", folder.toString()));
        }
        c.addAll(List.of("--epochs", Integer.toString(n), "--threads", Integer.toString(t), "--seed",
                Long.toString(seed), "--lr", "0.01", "--momentum", "0.9", "--weight-decay", "0", "--schedule",
                "constant", "--batch", "64", "--quiet", "--plot", work.resolve("lanes.png").toString(), "--json",
                work.resolve("lanes.json").toString()));
        return c;
    }

    private static Run run(String impl, int threads, long seed, List<String> command, Path work)
            throws IOException, InterruptedException {
        Path report = work.resolve(impl + ".json");
        Files.deleteIfExists(report);
        Path log = work.resolve(impl + ".log");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(2, TimeUnit.HOURS)) {
            p.destroyForcibly();
            throw new IllegalStateException(impl + " ran for more than 2 hours; stopped");
        }
        double wall = (System.nanoTime() - start) / 1e9;
        if (p.exitValue() != 0 || !Files.exists(report)) {
            List<String> lines = Files.readAllLines(log);
            throw new IllegalStateException(impl + " (" + String.join(" ", command) + ") exited with status "
                    + p.exitValue() + "; its last lines:\n  " + String.join("\n  ",
                    lines.subList(Math.max(0, lines.size() - 8), lines.size())));
        }
        String raw = Files.readString(report);
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) JsonText.parse(raw);
        return new Run(impl, threads, seed, wall, r, raw);
    }

    private static void print(int threads, List<Run> runs) {
        System.out.printf(Locale.ROOT, "%n%d thread%s%n%-8s %5s %7s %8s %10s %10s %8s %8s %8s %9s %9s%n", threads,
                threads == 1 ? "" : "s", "impl", "seed", "wall s", "data s", "img/s run", "img/s ep1",
                "80 %", "85 %", "88 %", "accuracy", "peak RSS");
        for (Run r : runs) {
            List<Map<String, Object>> e = r.epochs();
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-8s %5d %7.2f %8.2f %10.0f %10.0f",
                    r.impl, r.seed, r.wall, r.number("data_loaded_s"), r.number("images_per_s"),
                    (Double) e.get(0).get("images_per_s")));
            for (double level : LEVELS) {
                double at = r.reached(level);
                s.append(Double.isNaN(at) ? String.format("%9s", "-") : String.format(Locale.ROOT, "%8.1fs", at));
            }
            s.append(String.format(Locale.ROOT, " %8.2f%% %7.0f MB", 100 * r.number("test_accuracy"),
                    r.number("peak_rss_bytes") / (1 << 20)));
            System.out.println(s);
            StringBuilder epochs = new StringBuilder("           images/s per epoch:");
            for (Map<String, Object> ep : e) {
                epochs.append(String.format(Locale.ROOT, " %,.0f", (Double) ep.get("images_per_s")));
            }
            System.out.println(epochs);
        }
        double[] lanes = means(runs, "lanes");
        double[] peer = means(runs, "pytorch");
        if (!Double.isNaN(peer[0])) {
            System.out.printf(Locale.ROOT, "means over %d seed%s, Lanes vs PyTorch: wall %.2f s vs %.2f s (PyTorch's "
                    + "wall / Lanes' = %.2fx), images/s %.0f vs %.0f (%.2fx), accuracy %.2f %% vs %.2f %% (%+.2f "
                    + "points), peak RSS %.0f vs %.0f MB%n", (int) lanes[4], lanes[4] == 1 ? "" : "s", lanes[0],
                    peer[0], peer[0] / lanes[0],
                    lanes[1], peer[1], lanes[1] / peer[1], 100 * lanes[2], 100 * peer[2], 100 * (lanes[2] - peer[2]),
                    lanes[3] / (1 << 20), peer[3] / (1 << 20));
        }
    }

    // mean wall, images/s, accuracy, peak RSS, and the count, of impl's runs
    private static double[] means(List<Run> runs, String impl) {
        double[] m = new double[5];
        for (Run r : runs) {
            if (r.impl.equals(impl)) {
                m[0] += r.wall;
                m[1] += r.number("images_per_s");
                m[2] += r.number("test_accuracy");
                m[3] += r.number("peak_rss_bytes");
                m[4]++;
            }
        }
        for (int i = 0; i < 4; i++) {
            m[i] = m[4] == 0 ? Double.NaN : m[i] / m[4];
        }
        return m;
    }

    /** Why the PyTorch peer cannot run here, or null if it can. */
    private static String peerProblem() throws InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return PYTHON + " not found";
        }
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import torch").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                return PYTHON + " cannot import torch (Debian: apt-get install python3-torch)";
            }
        } catch (IOException e) {
            return PYTHON + ": " + e.getMessage();
        }
        return null;
    }

    private static Path extractDigits(Path work) throws IOException {
        Path dir = Files.createDirectories(work.resolve("digits"));
        for (String name : new String[] {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
            extract("/lanes/data/digits/" + name, dir);
        }
        return dir;
    }

    private static Path extract(String resource, Path dir) throws IOException {
        Path out = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
        try (InputStream in = E2eBenchCommand.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("the app has no resource " + resource + "; rebuild it (./mvnw -pl bench -am "
                        + "package)");
            }
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
        }
        return out;
    }

    private static Path jar() {
        Path jar;
        try {
            jar = Path.of(E2eBenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot find the app's jar to start the Lanes child: " + e);
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("bench e2e starts `lanes train` from the app's jar, but this app runs "
                    + "from " + jar + "; run it through ./lanes");
        }
        return jar;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
