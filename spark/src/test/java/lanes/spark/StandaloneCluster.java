package lanes.spark;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Spark standalone cluster on loopback, from the project's own Spark dependency: a master and {@code workers}
 * workers of one core each, every one a separate JVM started with Spark's {@code Master} and {@code Worker} main
 * classes, Spark's jars as their class path (no SPARK_HOME, no download), and this JVM's Java. The Lanes jars are not
 * on it: a driver ships them, as spark-submit's --jars does. Logs go to {@code dir}.
 */
final class StandaloneCluster implements AutoCloseable {
    private final Process master;
    private final List<Process> workers = new ArrayList<>();
    private final String url;

    StandaloneCluster(Path dir, int workers) throws IOException, InterruptedException {
        int port = freePort();
        url = "spark://127.0.0.1:" + port;
        master = start(dir, "master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--webui-port", Integer.toString(freePort()));
        long end = System.currentTimeMillis() + 60_000;
        while (!listening(port)) {
            if (System.currentTimeMillis() > end || !master.isAlive()) {
                throw new IllegalStateException("the master did not start: " + Files.readString(dir.resolve(
                        "master.log")));
            }
            Thread.sleep(100);
        }
        for (int i = 0; i < workers; i++) {
            Path work = Files.createDirectories(dir.resolve("work-" + i));
            this.workers.add(start(dir, "worker-" + i, "org.apache.spark.deploy.worker.Worker", "--host",
                    "127.0.0.1", "--cores", "1", "--memory", "1g", "--webui-port", Integer.toString(freePort()),
                    "--work-dir", work.toString(), url));
        }
    }

    /** The master's URL, spark://127.0.0.1:PORT. */
    String master() {
        return url;
    }

    /** Kills (SIGKILL) one executor JVM of worker {@code i}; returns whether there was one to kill. */
    boolean killExecutor(int i) {
        // a worker's only child JVMs are its executors (their command lines, with Spark's class path, are longer
        // than /proc lets ProcessHandle read, so the main class cannot be matched)
        Optional<ProcessHandle> executor = workers.get(i).descendants()
                .filter(p -> p.info().command().orElse("").endsWith("java")).findFirst();
        executor.ifPresent(ProcessHandle::destroyForcibly);
        return executor.isPresent();
    }

    /** Kills (SIGKILL) worker {@code i} and its executors: a machine that never comes back. */
    void killWorker(int i) {
        workers.get(i).descendants().forEach(ProcessHandle::destroyForcibly);
        workers.get(i).destroyForcibly();
    }

    @Override
    public void close() {
        for (Process p : workers) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        master.destroyForcibly();
    }

    private static Process start(Path dir, String name, String main, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m"));
        command.add("@" + Path.of(System.getProperty("lanes.sparkJvmOptions", "jvm-options.txt")).toAbsolutePath());
        command.addAll(List.of("-cp", sparkClassPath(), main));
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        Map<String, String> env = b.environment();
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_DIST_CLASSPATH", sparkClassPath());       // the executors' class path, Lanes not on it
        env.put("SPARK_TESTING", "1");                           // no SPARK_HOME/jars folder to look for
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("JAVA_HOME", Path.of(java).getParent().getParent().toString());
        return b.start();
    }

    /** This JVM's class path less Lanes, its libraries and the test classes: Spark and what Spark needs. */
    private static String sparkClassPath() {
        List<String> keep = new ArrayList<>();
        List<String> lanes = Cluster.lanesJars();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith(".jar") && !lanes.contains(new File(entry).getAbsolutePath())) {
                keep.add(entry);
            }
        }
        return String.join(File.pathSeparator, keep);
    }

    private static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
