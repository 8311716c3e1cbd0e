import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * An in-process A/B of two builds of Lanes: the GEMM, convolution and training-step benchmark cases of
 * {@code lanes bench}, each run by both jars in one JVM (each jar in a class loader of its own), in alternating
 * windows, so that both see the same machine state. Prints, per case, each side's best and median GFLOP/s (or
 * images/s) over the windows and the ratios B / A.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector tools/AbCompare.java A.jar B.jar [--rounds R] [--window-ms W]
 *        [--warmup-s S] [--threads 1,2] [--only gemm|conv|train] [--gemm MxNxK[nt],...]
 *        [--conv CASE:PASS,...] [--a-prop key=value,...] [--b-prop key=value,...]
 * </pre>
 *
 * {@code --gemm} replaces the GEMM cases by the shapes given ({@code nt}: B stored transposed), {@code --conv} the convolution
 * cells by case and pass ({@code strided:bwd_weights}). {@code --a-prop}
 * and {@code --b-prop} set {@code lanes.*} system properties for one side only, before its engine reads them: the
 * same jar given twice then compares two settings (a threshold, a block size) in one JVM.
 *
 * Both jars must hold the engine and layers (an app jar, {@code app/target/lanes.jar}, or an older
 * {@code bench/target/lanes.jar}); the layers' package names of either layout are found by themselves.
 */
public final class AbCompare {
    /** One operation to time. */
    interface Op {
        void run() throws Throwable;
    }

    /** One side of a case: its operation and the work one call does. */
    record Side(Op op, double work) {
    }

    /** A jar's classes, with the layer packages of its layout. */
    static final class Build {
        final ClassLoader loader;
        final boolean splitPackages;      // lanes.layers.nn / .train / ... (since the house issue) or flat lanes.layers

        // props: "key=value,..." in force while this build's Tuning reads the system properties, then removed
        Build(Path jar, String props) throws Exception {
            loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            List<String> set = new ArrayList<>();
            for (String kv : props.split(",")) {
                if (!kv.isBlank()) {
                    String[] p = kv.split("=", 2);
                    System.setProperty(p[0], p[1]);
                    set.add(p[0]);
                }
            }
            c("lanes.engine.tune.Tuning").getMethod("current").invoke(null);
            set.forEach(System::clearProperty);
            boolean split;
            try {
                Class.forName("lanes.layers.nn.Sequential", false, loader);
                split = true;
            } catch (ClassNotFoundException e) {
                split = false;
            }
            splitPackages = split;
        }

        Class<?> c(String name) throws ClassNotFoundException {
            return Class.forName(name, true, loader);
        }

        Class<?> layers(String split, String flat) throws ClassNotFoundException {
            return c(splitPackages ? split : flat);
        }

        Object tensor(int... shape) throws Exception {
            Object t = c("lanes.engine.Tensor").getMethod("zeros", int[].class).invoke(null, (Object) shape);
            float[] d = (float[]) t.getClass().getMethod("data").invoke(t);
            Random r = new Random(7);
            for (int i = 0; i < d.length; i++) {
                d[i] = r.nextFloat() - 0.5f;
            }
            return t;
        }

        void threads(int n) throws Exception {
            c("lanes.engine.Parallel").getMethod("setThreads", int.class).invoke(null, n);
        }
    }

    public static void main(String[] args) throws Throwable {
        int rounds = 12;
        int windowMs = 150;
        double warmupS = 3;
        int[] threads = {1};
        String only = null;
        String[] gemmCases = {"sq64", "sq256", "sq1024", "mlp.fwd", "mlp.fwd_Wt", "mlp.bwd_dX", "mlp.bwd_dW"};
        List<String> convCases = new ArrayList<>();
        for (String c : new String[] {"lenet.conv1", "lenet.conv2", "mid", "strided", "tdnn"}) {
            for (String p : new String[] {"fwd", "bwd_data", "bwd_weights"}) {
                convCases.add(c + " " + p);
            }
        }
        String aProps = "";
        String bProps = "";
        for (int i = 2; i < args.length; i += 2) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--window-ms" -> windowMs = Integer.parseInt(args[i + 1]);
                case "--warmup-s" -> warmupS = Double.parseDouble(args[i + 1]);
                case "--threads" -> threads = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt)
                        .toArray();
                case "--only" -> only = args[i + 1];
                case "--gemm" -> gemmCases = args[i + 1].split(",");
                case "--conv" -> convCases = Arrays.stream(args[i + 1].split(",")).map(c -> c.replace(':', ' '))
                        .toList();
                case "--a-prop" -> aProps = args[i + 1];
                case "--b-prop" -> bProps = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Build a = new Build(Path.of(args[0]), aProps);
        Build b = new Build(Path.of(args[1]), bProps);
        System.out.printf(Locale.ROOT, "A = %s %s%nB = %s %s%nJVM %s, %s; %d rounds of %d ms windows each side, %.1f s "
                + "warm-up per case%n%n", args[0], aProps, args[1], bProps, Runtime.version(),
                String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()),
                rounds, windowMs, warmupS);
        System.out.printf(Locale.ROOT, "%-6s %-24s %3s %11s %11s %11s %11s %8s %8s%n", "suite", "case", "T", "A best",
                "B best", "A median", "B median", "B/A best", "B/A med");
        for (int t : threads) {
            a.threads(t);
            b.threads(t);
            List<String[]> cases = new ArrayList<>();
            if (only == null || only.equals("gemm")) {
                for (String g : gemmCases) {
                    cases.add(new String[] {"gemm", g});
                }
            }
            if (only == null || only.equals("conv")) {
                for (String c : convCases) {
                    cases.add(new String[] {"conv", c});
                }
            }
            if (only == null || only.equals("train")) {
                cases.add(new String[] {"train", "mlp"});
                cases.add(new String[] {"train", "lenet5"});
            }
            for (String[] c : cases) {
                Side sa = side(a, c[0], c[1]);
                Side sb = side(b, c[0], c[1]);
                measure(c[0], c[1], t, sa, sb, rounds, windowMs, warmupS);
            }
        }
        System.exit(0);
    }

    static Side side(Build x, String suite, String name) throws Exception {
        return switch (suite) {
            case "gemm" -> gemm(x, name);
            case "conv" -> conv(x, name.split(" ")[0], name.split(" ")[1]);
            case "train" -> train(x, name);
            default -> throw new IllegalArgumentException(suite);
        };
    }

    // the GEMM cases of lanes bench gemm: square, and the six GEMMs of a 784 -> 256 Linear layer at batch 64
    static Side gemm(Build x, String name) throws Exception {
        boolean ta = false;
        boolean tb = false;
        int m;
        int n;
        int k;
        switch (name) {
            case "sq64" -> { m = 64; n = 64; k = 64; }
            case "sq256" -> { m = 256; n = 256; k = 256; }
            case "sq1024" -> { m = 1024; n = 1024; k = 1024; }
            case "mlp.fwd" -> { m = 64; n = 256; k = 784; }
            case "mlp.fwd_Wt" -> { m = 64; n = 256; k = 784; tb = true; }
            case "mlp.bwd_dX" -> { m = 64; n = 784; k = 256; tb = true; }
            case "mlp.bwd_dW" -> { m = 784; n = 256; k = 64; ta = true; }
            default -> {
                // MxNxK, "nt" at the end: B stored transposed
                tb = name.endsWith("nt");
                String[] d = name.replace("nt", "").split("x");
                m = Integer.parseInt(d[0]);
                n = Integer.parseInt(d[1]);
                k = Integer.parseInt(d[2]);
            }
        }
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        float[] c = new float[m * n];
        Random r = new Random(1);
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextFloat();
        }
        Method sgemm = x.c("lanes.engine.gemm.Gemm").getMethod("sgemm", boolean.class, boolean.class, int.class,
                int.class, int.class, float.class, float[].class, int.class, int.class, float[].class, int.class,
                int.class, float.class, float[].class, int.class, int.class);
        Object[] call = {ta, tb, m, n, k, 1f, a, 0, ta ? m : k, b, 0, tb ? k : n, 0f, c, 0, n};
        return new Side(() -> sgemm.invoke(null, call), 2.0 * m * n * k);
    }

    // the convolution cases of lanes bench conv, one pass each
    static Side conv(Build x, String name, String pass) throws Exception {
        Class<?> specs = x.c("lanes.engine.conv.ConvSpec");
        Method c2 = specs.getMethod("conv2d", int.class, int.class, int.class, int.class, int.class, int.class,
                int.class);
        Method pad = specs.getMethod("withPadding", int.class);
        Method stride = specs.getMethod("withStride", int.class);
        Object s = switch (name) {
            case "lenet.conv1" -> pad.invoke(c2.invoke(null, 64, 1, 28, 28, 6, 5, 5), 2);
            case "lenet.conv2" -> c2.invoke(null, 64, 6, 14, 14, 16, 5, 5);
            case "mid" -> pad.invoke(c2.invoke(null, 32, 64, 32, 32, 64, 3, 3), 1);
            case "strided" -> pad.invoke(stride.invoke(c2.invoke(null, 32, 64, 32, 32, 128, 3, 3), 2), 1);
            case "tdnn" -> specs.getMethod("conv1d", int.class, int.class, int.class, int.class, int.class)
                    .invoke(null, 64, 40, 100, 64, 5);
            default -> {
                // any other 2-D layer as N/C/H/W/OC/K/stride/pad, e.g. 32/16/32/32/64/3/1/1
                int[] v = Arrays.stream(name.split("/")).mapToInt(Integer::parseInt).toArray();
                if (v.length != 8) {
                    throw new IllegalArgumentException(name + ": a case is lenet.conv1, lenet.conv2, mid, strided,"
                            + " tdnn or N/C/H/W/OC/K/stride/pad");
                }
                yield pad.invoke(stride.invoke(c2.invoke(null, v[0], v[1], v[2], v[3], v[4], v[5], v[5]), v[6]),
                        v[7]);
            }
        };
        int[] in = (int[]) specs.getMethod("inputShape").invoke(s);
        int[] w = (int[]) specs.getMethod("weightShape").invoke(s);
        int[] out = (int[]) specs.getMethod("outputShape").invoke(s);
        Object xt = x.tensor(in);
        Object wt = x.tensor(w);
        Object yt = x.tensor(out);
        Object bias = x.tensor(w[0]);
        Object dx = x.tensor(in);
        Object dw = x.tensor(w);
        Object db = x.tensor(w[0]);
        Class<?> tensor = x.c("lanes.engine.Tensor");
        Class<?> conv = x.c("lanes.engine.conv.Conv");
        double flops = 2.0 * Arrays.stream(out).asLongStream().reduce(1, (p, q) -> p * q) * w[1]
                * Arrays.stream(w).skip(2).asLongStream().reduce(1, (p, q) -> p * q);
        return switch (pass) {
            case "fwd" -> {
                Method f = conv.getMethod("forward", specs, tensor, tensor, tensor, tensor);
                Object[] call = {s, yt, xt, wt, bias};
                yield new Side(() -> f.invoke(null, call), flops);
            }
            case "bwd_data" -> {
                Method f = conv.getMethod("backwardData", specs, tensor, tensor, tensor);
                Object[] call = {s, dx, yt, wt};
                yield new Side(() -> f.invoke(null, call), flops);
            }
            case "bwd_weights" -> {
                Method f = conv.getMethod("backwardWeights", specs, tensor, tensor, tensor, tensor);
                Object[] call = {s, dw, db, yt, xt};
                yield new Side(() -> f.invoke(null, call), flops);
            }
            case "fwd+bwd" -> {
                // the three passes in turn, as ConvBench's fwd+bwd: the work is three passes' multiply-adds
                Method f = conv.getMethod("forward", specs, tensor, tensor, tensor, tensor);
                Method d = conv.getMethod("backwardData", specs, tensor, tensor, tensor);
                Method g = conv.getMethod("backwardWeights", specs, tensor, tensor, tensor, tensor);
                Object[] fc = {s, yt, xt, wt, bias};
                Object[] dc = {s, dx, yt, wt};
                Object[] gc = {s, dw, db, yt, xt};
                yield new Side(() -> {
                    f.invoke(null, fc);
                    d.invoke(null, dc);
                    g.invoke(null, gc);
                }, 3 * flops);
            }
            default -> throw new IllegalArgumentException("--conv: pass \"" + pass + "\" is not one of fwd, "
                    + "bwd_data, bwd_weights, fwd+bwd");
        };
    }

    // one training step at batch 64 as lanes train runs it (SGD lr 0.01, momentum 0.9, weight decay 5e-4); the
    // work is images, so the figures are images/s
    static Side train(Build x, String name) throws Exception {
        Class<?> arch = x.layers("lanes.layers.models.Architecture", "lanes.layers.Architecture");
        Class<?> layer = x.layers("lanes.layers.nn.Layer", "lanes.layers.Layer");
        Class<?> sequential = x.layers("lanes.layers.nn.Sequential", "lanes.layers.Sequential");
        Class<?> sgd = x.layers("lanes.layers.optim.Sgd", "lanes.layers.Sgd");
        Class<?> optimizer = x.layers("lanes.layers.optim.Optimizer", "lanes.layers.Optimizer");
        Class<?> trainer = x.layers("lanes.layers.train.Trainer", "lanes.layers.Trainer");
        Object architecture = arch.getMethod("forImages", String.class, int.class, int.class, int.class, int.class)
                .invoke(null, name, 1, 28, 28, 10);
        Object model = arch.getMethod("build", long.class).invoke(architecture, 1L);
        Object params = sequential.getMethod("parameters").invoke(model);
        Object run = x.splitPackages ? model : sequential.getMethod("fuse").invoke(model);   // the old callers fused
        Object opt = sgd.getConstructor(List.class, float.class, float.class, float.class, float.class,
                boolean.class).newInstance(params, 0.01f, 0.9f, 0f, 5e-4f, false);
        Object tr = trainer.getConstructor(layer, optimizer, int.class, long.class).newInstance(run, opt, 64, 1L);
        Object images = x.tensor(64, 1, 28, 28);
        int[] labels = new int[64];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 10;
        }
        Method step = trainer.getMethod("trainStep", x.c("lanes.engine.Tensor"), int[].class);
        Object[] call = {images, labels};
        return new Side(() -> step.invoke(tr, call), 64);
    }

    static void measure(String suite, String name, int threads, Side a, Side b, int rounds, int windowMs,
                        double warmupS) throws Throwable {
        long warmEnd = System.nanoTime() + (long) (warmupS * 1e9);
        while (System.nanoTime() < warmEnd) {
            window(a, 100);
            window(b, 100);
        }
        double[] ra = new double[rounds];
        double[] rb = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            if (i % 2 == 0) {
                ra[i] = window(a, windowMs);
                rb[i] = window(b, windowMs);
            } else {
                rb[i] = window(b, windowMs);
                ra[i] = window(a, windowMs);
            }
        }
        double scale = suite.equals("train") ? 1 : 1e-9;     // GFLOP/s, or images/s
        double bestA = Arrays.stream(ra).max().orElseThrow() * a.work() * scale;
        double bestB = Arrays.stream(rb).max().orElseThrow() * b.work() * scale;
        double medA = median(ra) * a.work() * scale;
        double medB = median(rb) * b.work() * scale;
        System.out.printf(Locale.ROOT, "%-6s %-24s %3d %11.1f %11.1f %11.1f %11.1f %7.3fx %7.3fx%n", suite, name,
                threads, bestA, bestB, medA, medB, bestB / bestA, medB / medA);
    }

    // calls per second over one window of about `ms` milliseconds
    static double window(Side s, int ms) throws Throwable {
        long start = System.nanoTime();
        long end = start + ms * 1_000_000L;
        long calls = 0;
        long now;
        do {
            s.op().run();
            calls++;
            now = System.nanoTime();
        } while (now < end);
        return calls / ((now - start) / 1e9);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
