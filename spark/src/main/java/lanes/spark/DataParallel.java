package lanes.spark;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import lanes.app.TrainRun;
import lanes.layers.optim.LrSchedule;
import lanes.layers.train.Trainer;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Data-parallel training on Spark, two ways:
 *
 * <pre>
 *   sync      every step, each partition computes the gradient of its share of the global batch with the same
 *             weights; the gradients are summed (treeReduce) and the driver takes one SGD step: large-batch SGD,
 *             one Spark job per step
 *   average   each partition takes K local SGD steps on its shares of K global batches, then weights and
 *             momentum are averaged (DL4J's parameter averaging): one Spark job per K steps
 * </pre>
 *
 * Every task rebuilds what it needs from the {@link TrainSpec} and the broadcast weights, so a retried task
 * computes the same numbers and a fault leaves the result as it was. The driver plays the reference: the same
 * loops without Spark ({@link #trainHere}), partition after partition.
 */
public final class DataParallel {
    /** How the partitions' work is combined. */
    public enum Mode { sync, average }

    /**
     * A finished run.
     *
     * @param worker the driver's model (its weights the run's result), data and architecture
     * @param epochs per epoch: training loss, test accuracy and loss, training seconds so far
     * @param last the final evaluation on the test set
     * @param trainSeconds the training time, evaluations not counted
     * @param images the training images processed
     */
    public record Result(Worker worker, List<TrainRun.Epoch> epochs, Trainer.Evaluation last, double trainSeconds,
                         long images) {
    }

    /** Where a fault is injected: the first attempt of this partition's task at this global step of epoch 0. */
    record Fault(int partition, int step) implements java.io.Serializable {
        static final Fault NONE = new Fault(-1, -1);

        void maybeThrow(int step) {
            TaskContext t = TaskContext.get();
            if (t != null && t.partitionId() == partition && step == this.step && t.attemptNumber() == 0) {
                throw new IllegalStateException("fault injected into the first attempt of partition " + partition
                        + " at step " + step);
            }
        }
    }

    /** Runs a round's function for every partition and sums what they return. */
    interface Combine {
        float[] apply(RoundFunction f);
    }

    /** One partition's part of a round. */
    interface RoundFunction extends java.io.Serializable {
        float[] apply(int partition);
    }

    private DataParallel() {
    }

    /**
     * Trains on Spark.
     *
     * @param sc the Spark context
     * @param spec the run
     * @param mode sync or average
     * @param averageEvery K for average: local steps between averagings
     * @param epochs passes over the training set
     * @param lr the learning rate (a cosine schedule down to 0 at the last epoch if {@code cosine})
     * @param cosine whether the learning rate follows a cosine schedule
     * @param fault where to inject a fault, or {@link Fault#NONE}
     * @param progress where each epoch is reported, or null
     * @return the trained model and its report
     */
    static Result train(JavaSparkContext sc, TrainSpec spec, Mode mode, int averageEvery, int epochs, float lr,
            boolean cosine, Fault fault, PrintStream progress) {
        List<Integer> partitions = new ArrayList<>();
        for (int p = 0; p < spec.partitions(); p++) {
            partitions.add(p);
        }
        JavaRDD<Integer> rdd = sc.parallelize(partitions, spec.partitions());
        Combine spark = f -> rdd.map(f::apply).treeReduce(DataParallel::add);
        return run(spec, mode, averageEvery, epochs, lr, cosine, fault, progress, spark, sc);
    }

    /**
     * The same run on this machine alone, each partition's part in turn: the reference the Spark run is held to.
     *
     * @param spec the run
     * @param mode sync or average
     * @param averageEvery K for average
     * @param epochs passes over the training set
     * @param lr the learning rate
     * @param cosine whether it follows a cosine schedule
     * @return the trained model and its report
     */
    static Result trainHere(TrainSpec spec, Mode mode, int averageEvery, int epochs, float lr, boolean cosine) {
        Combine here = f -> {
            float[] sum = null;
            for (int p = 0; p < spec.partitions(); p++) {
                final int partition = p;
                float[] part = TaskPartition.as(p, () -> f.apply(partition));
                sum = sum == null ? part : add(sum, part);
            }
            return sum;
        };
        return run(spec, mode, averageEvery, epochs, lr, cosine, Fault.NONE, null, here, null);
    }

    private static Result run(TrainSpec spec, Mode mode, int averageEvery, int epochs, float lr, boolean cosine,
            Fault fault, PrintStream progress, Combine combine, JavaSparkContext sc) {
        Worker driver = Worker.fresh(spec);                        // the driver's own model and optimizer
        LrSchedule schedule = cosine ? LrSchedule.cosine(lr, epochs, 0f) : e -> lr;
        int steps = spec.stepsPerEpoch(driver.train.count);
        List<TrainRun.Epoch> report = new ArrayList<>();
        float[] w = Worker.weights(driver.params);
        int stateLength = 0;
        for (float[] s : driver.optimizer.state()) {
            stateLength += s.length;
        }
        float[] ws = java.util.Arrays.copyOf(w, w.length + stateLength);   // average: weights, then momentum
        long optimizerSteps = 0;
        long trainNanos = 0;
        long images = 0;
        Trainer.Evaluation last = null;
        for (int epoch = 0; epoch < epochs; epoch++) {
            float rate = schedule.lr(epoch);
            long start = System.nanoTime();
            double lossSum = 0;
            long count = 0;
            if (mode == Mode.sync) {
                driver.optimizer.setLr(rate);
                for (int step = 0; step < steps; step++) {
                    final int e = epoch;
                    final int s = step;
                    Shared weights = Shared.of(sc, w);
                    float[] sum = combine.apply(p -> {
                        if (e == 0) {
                            fault.maybeThrow(s);
                        }
                        return Worker.of(spec, p).gradient(weights.value(), e, s);
                    });
                    weights.destroy();
                    setGradients(driver, sum);                 // the driver's parameters already hold w
                    driver.optimizer.step();
                    w = Worker.weights(driver.params);
                    lossSum += sum[sum.length - 2];
                    count += (long) sum[sum.length - 1];
                }
            } else {
                for (int first = 0; first < steps; first += averageEvery) {
                    final int e = epoch;
                    final int f = first;
                    final int k = Math.min(averageEvery, steps - first);
                    final long before = optimizerSteps;
                    Shared state = Shared.of(sc, ws);
                    float[] sum = combine.apply(p -> {
                        if (e == 0) {
                            fault.maybeThrow(f);
                        }
                        return Worker.of(spec, p).localSteps(state.value(), before, rate, e, f, k);
                    });
                    state.destroy();
                    for (int i = 0; i < ws.length; i++) {
                        ws[i] = sum[i] / spec.partitions();
                    }
                    optimizerSteps += k;
                    lossSum += sum[sum.length - 2];
                    count += (long) sum[sum.length - 1];
                }
                w = java.util.Arrays.copyOf(ws, w.length);
            }
            trainNanos += System.nanoTime() - start;
            images += count;
            Worker.setWeights(driver.params, w);
            last = Trainer.evaluate(driver.model, driver.loss, Worker.data(spec).folder().test(), 256);
            report.add(new TrainRun.Epoch(epoch + 1, lossSum / Math.max(1, count), last.accuracy(), last.meanLoss(),
                    trainNanos / 1e9));
            if (progress != null) {
                progress.printf(Locale.ROOT, "epoch %2d/%d  train loss %.4f  test accuracy %.2f %%  %,.0f img/s%n",
                        epoch + 1, epochs, lossSum / Math.max(1, count), 100 * last.accuracy(),
                        count / ((System.nanoTime() - start) / 1e9));
            }
        }
        return new Result(driver, report, last, trainNanos / 1e9, images);
    }

    private static void setGradients(Worker w, float[] sum) {
        int at = 0;
        for (lanes.layers.nn.Parameter p : w.params) {
            p.grad.copyFrom(lanes.engine.Tensor.wrap(java.util.Arrays.copyOfRange(sum, at, at + p.grad.size()),
                    p.grad.shape()));
            at += p.grad.size();
        }
    }

    static float[] add(float[] a, float[] b) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    /** The array every task reads: a Spark broadcast, or the array itself where the run has no Spark. */
    static final class Shared implements java.io.Serializable {
        private final Broadcast<float[]> broadcast;
        private final transient float[] local;

        private Shared(Broadcast<float[]> broadcast, float[] local) {
            this.broadcast = broadcast;
            this.local = local;
        }

        static Shared of(JavaSparkContext sc, float[] v) {
            return sc == null ? new Shared(null, v) : new Shared(sc.broadcast(v.clone()), null);
        }

        float[] value() {
            return broadcast != null ? broadcast.value() : local;
        }

        void destroy() {
            if (broadcast != null) {
                broadcast.destroy();
            }
        }
    }
}
