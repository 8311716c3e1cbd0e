package lanes.spark;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * What a driver needs to run Lanes' jobs on a Spark standalone cluster ({@code spark://HOST:PORT}) without
 * spark-submit: the master checked before Spark tries it (Spark itself retries an unreachable master for a minute),
 * the Lanes jars shipped to the executors as spark-submit's {@code --jars} would ship them, the executors started with
 * the JVM options this driver runs with (the Vector API module, Spark's --add-opens), and a clear error where no
 * executor registers.
 */
final class Cluster {
    /** How long the driver waits for the first executor. */
    static final long EXECUTOR_WAIT_MILLIS = Long.getLong("lanes.spark.executorWaitMillis", 60_000);

    private Cluster() {
    }

    /**
     * Throws, naming the master and the reason, if nothing listens at {@code master}'s host and port.
     *
     * @param master a {@code spark://HOST:PORT} URL
     */
    static void requireReachable(String master) {
        URI uri = URI.create(master);
        if (uri.getHost() == null || uri.getPort() < 1) {
            throw new IllegalArgumentException("--master " + master + ": a standalone master is spark://HOST:PORT");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 3000);
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the Spark master at " + master + " (" + e.getMessage()
                    + "): start one (docs/spark.md, \"A standalone cluster\") or check --master");
        }
    }

    /**
     * Sets, where the user has not, the jars and the executors' JVM options a standalone cluster needs.
     *
     * @param conf the driver's configuration
     */
    static void configure(SparkConf conf) {
        conf.setIfMissing("spark.jars", String.join(",", lanesJars()));
        conf.setIfMissing("spark.executor.extraJavaOptions", String.join(" ", moduleOptions()));
    }

    /**
     * The driver's class path entries that hold Lanes or the libraries it brings (not Spark's own); a folder of
     * Lanes classes (a build's target/classes) is packed into a jar first, as executors take jars only.
     */
    static synchronized List<String> lanesJars() {
        if (lanesJars != null) {
            return lanesJars;
        }
        List<String> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            File f = new File(entry);
            String name = f.getName();
            if (entry.endsWith(".jar") && (name.startsWith("lanes-") || name.startsWith("picocli-")
                    || name.startsWith("xchart-") || name.startsWith("protobuf-java-")
                    || name.startsWith("animated-gif-lib-"))) {
                jars.add(f.getAbsolutePath());
            } else if (f.isDirectory() && new File(f, "lanes").isDirectory()) {
                jars.add(packed(f.toPath()).toString());
            }
        }
        lanesJars = List.copyOf(jars);
        return lanesJars;
    }

    private static List<String> lanesJars;

    /** The classes under {@code folder} as a temporary jar, deleted when this JVM exits. */
    private static Path packed(Path folder) {
        try {
            Path jar = Files.createTempFile("lanes-classes-", ".jar");
            jar.toFile().deleteOnExit();
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                 Stream<Path> files = Files.walk(folder)) {
                for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    out.putNextEntry(new JarEntry(folder.relativize(p).toString()
                            .replace(File.separatorChar, '/')));
                    Files.copy(p, out);
                    out.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot pack " + folder + " into a jar for the executors", e);
        }
    }

    /** The JVM options of this driver that an executor needs too: modules, --add-opens, native access, Unsafe. */
    static List<String> moduleOptions() {
        List<String> options = new ArrayList<>();
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i).strip();
            if (a.startsWith("--add-") || a.startsWith("--enable-native-access") || a.startsWith("--sun-misc")
                    || a.startsWith("-Djdk.reflect.") || a.startsWith("-Dio.netty.")) {
                // "--add-modules X" (one argument from an @file, or two) goes as "--add-modules=X"
                String option = a.contains("=") || !a.startsWith("--add-") ? a.replaceFirst("\\s+", "=")
                        : i + 1 < args.size() ? a + "=" + args.get(++i).strip() : a;
                options.add(option);
            }
        }
        if (options.stream().noneMatch(o -> o.contains("jdk.incubator.vector"))) {
            options.add("--add-modules=jdk.incubator.vector");
        }
        return options;
    }

    /**
     * Waits until at least one executor has registered with {@code sc}, or throws after
     * {@link #EXECUTOR_WAIT_MILLIS}.
     *
     * @param sc the context
     * @param master the master, for the message
     */
    static void awaitExecutors(JavaSparkContext sc, String master) {
        long end = System.currentTimeMillis() + EXECUTOR_WAIT_MILLIS;
        while (sc.sc().statusTracker().getExecutorInfos().length < 2) {     // the driver counts as one
            if (System.currentTimeMillis() > end) {
                throw new IllegalStateException("no executor registered with " + master + " within "
                        + EXECUTOR_WAIT_MILLIS / 1000 + " s: do its workers run, and have the cores and memory this "
                        + "job asks (spark.executor.memory " + sc.getConf().get("spark.executor.memory", "1g")
                        + ")?");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for executors", e);
            }
        }
    }
}
