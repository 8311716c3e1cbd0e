package lanes.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import lanes.app.Data;
import lanes.engine.Tensor;
import lanes.layers.data.Dataset;
import lanes.layers.loss.Loss;
import lanes.layers.models.Architecture;
import lanes.layers.nn.Parameter;
import lanes.layers.nn.Sequential;
import lanes.layers.optim.Adam;
import lanes.layers.optim.Optimizer;
import lanes.layers.optim.Sgd;
import lanes.layers.train.Trainer;

/**
 * One partition's model where a task runs: the data (read once per JVM and kept), a model of the run's
 * architecture, its loss and an optimizer of the run's settings, with the weights and optimizer state set from the
 * driver's at the start of every task. Tasks of one partition never run at once, so each partition has its own.
 */
final class Worker {
    private static final ConcurrentHashMap<String, Data> DATA = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, Worker> WORKERS = new ConcurrentHashMap<>();

    final TrainSpec spec;
    final Dataset train;
    final Architecture architecture;
    final Sequential model;
    /** Runs the fused model's forward and backward passes; the optimizer's steps are taken here. */
    private final Trainer passes;
    final List<Parameter> params;
    final Loss loss;
    final Optimizer optimizer;
    /** The number of weights, all parameters together. */
    final int size;
    private Tensor x;
    private int[] y;

    private Worker(TrainSpec spec) {
        // one thread per task: Spark runs a task per slot, and kernels of concurrent tasks that each fanned out
        // over every core would only contend for them
        lanes.engine.Parallel.setThreads(1);
        this.spec = spec;
        Data d = data(spec);
        this.train = d.folder().train();
        this.architecture = Architecture.forData(spec.model(), train.exampleShape(),
                train.classes);
        this.model = architecture.build(spec.seed());
        this.params = model.parameters();
        this.size = params.stream().mapToInt(p -> p.value.size()).sum();
        this.loss = architecture.loss();
        this.optimizer = spec.optimizer().equals("adam")
                ? new Adam(params, 0.001f, 0.9f, 0.999f, 1e-8f, spec.weightDecay(), false)
                : new Sgd(params, 0.1f, spec.momentum(), 0f, spec.weightDecay(), false);
        this.passes = new Trainer(model, loss, optimizer, spec.batch(), spec.seed());
    }

    /** The data of {@code spec}, read the first time this JVM asks for it. */
    static Data data(TrainSpec spec) {
        String key = spec.data() + "|" + spec.channels() + "|" + spec.size() + "|" + spec.testFraction() + "|"
                + spec.seed();
        return DATA.computeIfAbsent(key, k -> {
            try {
                return Data.load(spec.data() == null ? null : Path.of(spec.data()), new Data.ImageOptions(
                        spec.channels(), spec.size(), spec.size(), spec.testFraction(), spec.seed(), null));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Partition {@code partition}'s worker for {@code spec} in this JVM (each task sets its weights first). */
    static Worker of(TrainSpec spec, int partition) {
        return WORKERS.computeIfAbsent(spec + "#" + partition, k -> new Worker(spec));
    }

    /** A new worker for the driver: its model and optimizer are the run's, from the initial weights on. */
    static Worker fresh(TrainSpec spec) {
        return new Worker(spec);
    }

    /** The parameters' values, one after another, into a new array. */
    static float[] weights(List<Parameter> params) {
        int n = 0;
        for (Parameter p : params) {
            n += p.value.size();
        }
        float[] out = new float[n];
        int at = 0;
        for (Parameter p : params) {
            System.arraycopy(p.value.toArray(), 0, out, at, p.value.size());
            at += p.value.size();
        }
        return out;
    }

    /** Sets the parameters' values from {@code w} (as {@link #weights} lays them out). */
    static void setWeights(List<Parameter> params, float[] w) {
        int at = 0;
        for (Parameter p : params) {
            p.value.copyFrom(Tensor.wrap(java.util.Arrays.copyOfRange(w, at, at + p.value.size()), p.value.shape()));
            at += p.value.size();
        }
    }

    /**
     * The gradient of the global batch's mean loss contributed by this partition's share of global step
     * {@code step}: its own mean-loss gradient scaled by its share of the batch, so that the partitions' sum is the
     * whole batch's. Returns [gradient..., loss * share-count, share-count].
     */
    float[] gradient(float[] weights, int epoch, int step) {
        setWeights(params, weights);
        int[] order = spec.order(train.count, epoch);
        int[] all = {step * spec.batch(), Math.min(train.count, (step + 1) * spec.batch())};
        int[] mine = spec.slice(order, step, TaskPartition.id());
        int n = mine[1] - mine[0];
        float[] g = new float[size];
        float batchLoss = 0;
        if (n > 0) {
            optimizer.zeroGrad();
            batchLoss = forwardBackward(order, mine[0], n);
            float share = (float) n / (all[1] - all[0]);
            int at = 0;
            for (Parameter p : params) {
                float[] v = p.grad.toArray();
                for (int i = 0; i < v.length; i++) {
                    g[at + i] = v[i] * share;
                }
                at += v.length;
            }
        }
        float[] out = java.util.Arrays.copyOf(g, g.length + 2);
        out[g.length] = batchLoss * n;
        out[g.length + 1] = n;
        return out;
    }

    /**
     * {@code steps} local SGD steps from the given weights and optimizer state, each on this partition's share of
     * the global steps {@code first ..}: returns [weights..., state..., loss sum, example count].
     */
    float[] localSteps(float[] weightsAndState, long optimizerSteps, float lr, int epoch, int first, int steps) {
        int nw = size;
        setWeights(params, java.util.Arrays.copyOf(weightsAndState, nw));
        List<float[]> state = optimizer.state();
        int at = nw;
        for (float[] s : state) {
            System.arraycopy(weightsAndState, at, s, 0, s.length);
            at += s.length;
        }
        optimizer.restore(state, optimizerSteps);
        optimizer.setLr(lr);
        int[] order = spec.order(train.count, epoch);
        double lossSum = 0;
        long count = 0;
        for (int s = first; s < first + steps; s++) {
            int[] mine = spec.slice(order, s, TaskPartition.id());
            int n = mine[1] - mine[0];
            if (n == 0) {
                continue;
            }
            optimizer.zeroGrad();
            lossSum += (double) forwardBackward(order, mine[0], n) * n;
            count += n;
            optimizer.step();
        }
        float[] w = weights(params);
        float[] out = new float[weightsAndState.length + 2];
        System.arraycopy(w, 0, out, 0, w.length);
        at = w.length;
        for (float[] s : optimizer.state()) {
            System.arraycopy(s, 0, out, at, s.length);
            at += s.length;
        }
        out[at] = (float) lossSum;
        out[at + 1] = count;
        return out;
    }

    private float forwardBackward(int[] order, int from, int n) {
        if (x == null || x.shape(0) != n) {
            int[] shape = new int[train.exampleShape().length + 1];
            shape[0] = n;
            System.arraycopy(train.exampleShape(), 0, shape, 1, shape.length - 1);
            x = Tensor.zeros(shape);
            y = new int[n];
        }
        train.batch(order, from, n, x, y);
        return passes.accumulateGradients(x, y);
    }
}
