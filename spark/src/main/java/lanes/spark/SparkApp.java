package lanes.spark;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import lanes.app.cli.TrainingOptions;
import lanes.reference.FuzzCases;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code lanes spark}: Lanes' long jobs on Apache Spark (local mode, or a cluster through spark-submit). */
@Command(name = "lanes spark", mixinStandardHelpOptions = true,
        subcommands = {SparkApp.Fuzz.class, SparkApp.Train.class},
        description = "Run Lanes' long jobs on Apache Spark: --master local[N] here, --master spark://HOST:PORT on a "
                + "standalone cluster (docs/spark.md), or spark-submit.")
public final class SparkApp implements Runnable {
    /**
     * Runs the command line and exits with its status.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line.
     *
     * @param args the arguments
     * @return the exit status: 0, 1 if a case failed or the job did, 2 for a bad argument
     */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new SparkApp());
        cli.setExecutionExceptionHandler((e, c, parsed) -> {
            c.getErr().println("lanes spark " + c.getCommandName() + ": " + (e.getMessage() == null ? e.toString()
                    : e.getMessage().lines().findFirst().orElse("")));
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** A Spark context for {@code master} (null: spark-submit's) with Lanes' settings. */
    static JavaSparkContext context(String app, String master) {
        SparkConf conf = new SparkConf().setAppName(app);
        if (master != null) {
            conf.setMaster(master);
        }
        boolean standalone = master != null && master.startsWith("spark://");
        if (standalone) {
            Cluster.requireReachable(master);
            Cluster.configure(conf);
        }
        conf.setIfMissing("spark.ui.enabled", "false");
        if (master != null && master.startsWith("local")) {
            // local mode: driver and executors in this JVM, talking over the loopback interface only
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel("WARN");
        if (standalone) {
            try {
                Cluster.awaitExecutors(sc, master);
            } catch (RuntimeException e) {
                sc.close();
                throw e;
            }
        }
        return sc;
    }

    /** {@code lanes spark fuzz}: the fuzz suites as a Spark job. */
    @Command(name = "fuzz", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Check --cases random GEMM, convolution and pooling cases (case i from seed S + i, as "
                    + "lanes fuzz draws it) in Spark tasks, and print per suite the cases, the failures and cases/s;"
                    + " every failure with its case and the single-machine replay command. Exit status 1 if any "
                    + "failed."})
    static final class Fuzz implements Callable<Integer> {
        @Option(names = "--master", description = "Spark master, e.g. local[2] (default: spark-submit's).")
        String master;

        @Option(names = "--cases", required = true, description = "How many cases.")
        long cases;

        @Option(names = "--suite", description = "gemm, conv, pool or all (default ${DEFAULT-VALUE}).")
        String suite = "all";

        @Option(names = "--seed", description = "Seed of the first case (default ${DEFAULT-VALUE}).")
        long seed = 1;

        @Option(names = "--tasks", description = "Spark tasks (default: 4 per slot).")
        Integer tasks;

        @Option(names = "--fail-first-attempt-of", hidden = true, description = "Fault injection for tests.")
        int failFirstAttemptOf = -1;

        @Override
        public Integer call() {
            if (cases < 1) {
                throw new IllegalArgumentException("--cases " + cases + ": must be >= 1");
            }
            FuzzCases.suites(suite);
            try (JavaSparkContext sc = context("lanes fuzz", master)) {
                Executors.requireVectorApi(sc);
                int n = tasks != null ? tasks : 4 * sc.defaultParallelism();
                if (n < 1) {
                    throw new IllegalArgumentException("--tasks " + n + ": must be >= 1");
                }
                System.out.printf(Locale.ROOT, "lanes spark fuzz: %,d case(s) of %s from seed %d in %d task(s) on "
                        + "%s (%d slot(s))%n", cases, suite, seed, n, sc.master(), sc.defaultParallelism());
                long start = System.nanoTime();
                Retries retries = Retries.on(sc);
                FuzzTotals t = SparkFuzz.run(sc, suite, seed, cases, n, failFirstAttemptOf);
                double seconds = (System.nanoTime() - start) / 1e9;
                for (FuzzTotals.Failure f : t.failures()) {
                    System.out.printf(Locale.ROOT, "FAIL %s seed %d: %s%n  replay: %s%n", f.suite(), f.seed(),
                            f.message(), f.replay(suite));
                }
                for (String s : FuzzCases.suites(suite)) {
                    long c = t.cases().getOrDefault(s, 0L);
                    System.out.printf(Locale.ROOT, "%-5s %,d case(s), %d failed, %,.1f cases/s per slot%n", s, c,
                            t.failed(s), c / Math.max(t.seconds(s), 1e-9));
                }
                System.out.printf(Locale.ROOT, "%,d case(s) in %.1f s (%,.0f cases/s), %d failed%n", t.total(),
                        seconds, t.total() / seconds, t.failures().size());
                if (!retries.line().isEmpty()) {
                    System.out.println(retries.line());
                }
                return t.failures().isEmpty() ? 0 : 1;
            }
        }
    }

    /** {@code lanes spark train}: data-parallel training, sync or with parameter averaging. */
    @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Train a model data-parallel on Spark: --mode sync (every step, the partitions' gradients "
                    + "of one global batch are summed and one SGD step taken: large-batch SGD) or --mode average "
                    + "(K local steps per partition, then weights and momentum averaged). Reports as lanes train: "
                    + "test accuracy, images/s, plot, JSON, model file."})
    static final class Train implements Callable<Integer> {
        @Option(names = "--master", description = "Spark master, e.g. local[2] (default: spark-submit's).")
        String master;

        @Option(names = "--mode", description = "sync (default) or average.")
        DataParallel.Mode mode = DataParallel.Mode.sync;

        @Option(names = "--average-every", paramLabel = "K", description = "For --mode average: local steps between "
                + "averagings (default ${DEFAULT-VALUE}).")
        int averageEvery = 10;

        @Option(names = "--partitions", description = "Partitions each global batch is split across (default: the "
                + "cluster's slots).")
        Integer partitions;

        @Mixin
        TrainingOptions options = new TrainingOptions(5, Path.of("lanes-spark-train.png"));

        @Option(names = "--fail-first-attempt-of", hidden = true, description = "Fault injection for tests: "
                + "PARTITION:STEP (epoch 0).")
        String fail;

        @Override
        public Integer call() throws Exception {
            options.check();
            if (averageEvery < 1) {
                throw new IllegalArgumentException("--average-every " + averageEvery + ": must be >= 1");
            }
            if (partitions != null && partitions < 1) {
                throw new IllegalArgumentException("--partitions " + partitions + ": must be >= 1");
            }
            DataParallel.Fault fault = DataParallel.Fault.NONE;
            if (fail != null) {
                String[] ps = fail.split(":");
                fault = new DataParallel.Fault(Integer.parseInt(ps[0]), Integer.parseInt(ps[1]));
            }
            try (JavaSparkContext sc = context("lanes train", master)) {
                Executors.requireVectorApi(sc);
                int parts = partitions != null ? partitions : sc.defaultParallelism();
                TrainSpec spec = new TrainSpec(options.data == null ? null : options.data.toString(), options.model,
                        options.channels, options.side(), options.testFraction, options.seed, options.batch, parts,
                        options.optimizer, options.momentum, options.weightDecay);
                lanes.app.Data d = Worker.data(spec);
                System.out.printf(Locale.ROOT, "Training %s on %s with Spark (%s, %d partition(s), mode %s%s): "
                        + "%,d training and %,d test images, %d epochs, global batch %d, %s, seed %d%n",
                        options.model, d.description(), sc.master(), parts, mode, mode == DataParallel.Mode.average
                        ? ", K " + averageEvery : "", d.folder().train().count, d.folder().test().count,
                        options.epochs, options.batch, options.describeOptimizer(), options.seed);
                Retries retries = Retries.on(sc);
                DataParallel.Result r = DataParallel.train(sc, spec, mode, averageEvery, options.epochs,
                        options.rate(), options.schedule.equals("cosine"), fault, options.quiet ? null : System.out);
                Report.print(r, d, this);
                if (!retries.line().isEmpty()) {
                    System.out.println(retries.line());
                }
                return 0;
            }
        }
    }
}
