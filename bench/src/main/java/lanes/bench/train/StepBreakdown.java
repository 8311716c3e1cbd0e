package lanes.bench.train;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import lanes.engine.Parallel;
import lanes.engine.Tensor;
import lanes.layers.loss.SoftmaxCrossEntropy;
import lanes.layers.nn.Layer;
import lanes.layers.nn.Parameter;
import lanes.layers.nn.Sequential;
import lanes.layers.optim.Sgd;

/**
 * Where a training step's time goes: each layer's forward and backward, the loss and the update, timed with
 * {@code System.nanoTime} around every call over many steps after a warm-up (a profile, not a benchmark: the
 * throughput figures come from {@link TrainBench}).
 */
public final class StepBreakdown {
    private StepBreakdown() {
    }

    /** Prints the breakdown of {@code model} ("mlp:784-256-128-10" or "lenet5") at batch 64 on {@code threads}. */
    public static void print(String model, int threads, double warmupSeconds, int steps) {
        Parallel.setThreads(threads);
        Sequential m = TrainBench.model(model).fuse();   // the layers as the Trainer runs them, timed one by one
        m.setInputGradient(false);             // as the Trainer does: the images need no gradient
        List<Layer> layers = m.layers();
        List<Parameter> params = m.parameters();
        Sgd sgd = new Sgd(params, 0.01f, 0.9f, 0f, 5e-4f, false);   // as lanes train and TrainBench
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Random r = new Random(3);
        Tensor x = Tensor.zeros(TrainBench.BATCH, 1, 28, 28);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = r.nextFloat();
        }
        int[] y = new int[TrainBench.BATCH];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextInt(10);
        }
        int n = layers.size();
        long[] fwd = new long[n];
        long[] bwd = new long[n];
        long[] other = new long[2];     // loss, zeroGrad + update
        long end = System.nanoTime() + (long) (warmupSeconds * 1e9);
        boolean timing = false;
        int done = 0;
        while (!timing || done < steps) {
            if (!timing && System.nanoTime() > end) {
                timing = true;
            }
            sgd.zeroGrad();
            Tensor a = x;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                a = layers.get(i).forward(a);
                long t1 = System.nanoTime();
                if (timing) {
                    fwd[i] += t1 - t0;
                }
                t0 = t1;
            }
            loss.forward(a, y);
            Tensor g = loss.backward();
            long t1 = System.nanoTime();
            if (timing) {
                other[0] += t1 - t0;
            }
            t0 = t1;
            for (int i = n - 1; i >= 0 && g != null; i--) {
                g = layers.get(i).backward(g);
                long t2 = System.nanoTime();
                if (timing) {
                    bwd[i] += t2 - t0;
                }
                t0 = t2;
            }
            sgd.step();
            if (timing) {
                other[1] += System.nanoTime() - t0;
                done++;
            }
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += fwd[i] + bwd[i];
        }
        total += other[0] + other[1];
        System.out.printf(Locale.ROOT, "%nWhere a %s step goes (batch %d, %d thread%s, %d steps): %.3f ms per step%n",
                model, TrainBench.BATCH, threads, threads == 1 ? "" : "s", steps, total / steps / 1e6);
        System.out.printf("%-60s %12s %12s %8s%n", "layer", "forward ms", "backward ms", "share");
        for (int i = 0; i < n; i++) {
            System.out.printf(Locale.ROOT, "%-60s %12.3f %12.3f %7.1f%%%n", layers.get(i), fwd[i] / 1e6 / steps,
                    bwd[i] / 1e6 / steps, 100 * (fwd[i] + bwd[i]) / total);
        }
        System.out.printf(Locale.ROOT, "%-60s %12.3f %12s %7.1f%%%n", "loss (softmax cross-entropy)",
                other[0] / 1e6 / steps, "", 100 * other[0] / total);
        System.out.printf(Locale.ROOT, "%-60s %12.3f %12s %7.1f%%%n", "SGD update", other[1] / 1e6 / steps, "",
                100 * other[1] / total);
    }
}
