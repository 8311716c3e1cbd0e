package lanes.tests.layers;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.util.Random;
import lanes.engine.Parallel;
import lanes.engine.Tensor;
import lanes.layers.data.Dataset;
import lanes.layers.models.Models;
import lanes.layers.nn.Activation;
import lanes.layers.nn.Sequential;
import lanes.layers.optim.Sgd;
import lanes.layers.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * After warm-up, a training step allocates nothing on the heap, on 1 thread and on 2: the bytes the calling thread
 * and the kernel workers allocate, counted by the JVM, fall to (about) zero per step once the JIT has compiled the
 * vector code (before that, interpreted vectors are objects). A layer that allocates per step never gets there.
 */
class AllocationTest {
    /** Bytes per step that count as none: the JVM's counters move by a few bytes now and then. */
    static final double NONE = 16;
    /** How long a model may take to reach its steady state (the JIT compiles within a few seconds). */
    static final long WARM_UP_NANOS = 40_000_000_000L;

    @Test
    void aWarmLenet5StepAllocatesNothing() {
        for (int threads : new int[] {1, 2}) {
            assertNoAllocationOnceWarm("lenet5", Models.lenet5(false, 1), threads, 8, 1, 28, 28);
        }
    }

    @Test
    void aWarmMlpStepAllocatesNothing() {
        for (int threads : new int[] {1, 2}) {
            assertNoAllocationOnceWarm("mlp", Models.mlp(Activation::relu, 1, 784, 64, 32, 10), threads, 16,
                    784);
        }
    }

    /**
     * A whole epoch whose last batch is partial (51 images at batch 8: six of 8, one of 3) and an evaluation whose
     * last batch is partial too allocate nothing per step once warm: every batch size has its buffers, in the
     * trainer and in every layer, after the first epoch and evaluation.
     */
    @Test
    void aWarmEpochWithAPartialBatchAndAnEvaluationAllocateNothingPerStep() {
        for (int threads : new int[] {1, 2}) {
            int before = Parallel.threads();
            Parallel.setThreads(threads);
            try {
                Sequential model = Models.lenet5(false, 1);
                Trainer trainer = new Trainer(model, new Sgd(model.parameters(), 0.01f, 0.9f, 0f, 1e-4f, false), 8,
                        1);
                Dataset train = images(51, 5);
                Dataset small = images(29, 6);          // 3 batches of 8, one of 5
                Dataset large = images(77, 7);          // 9 batches of 8, one of 5
                trainer.fit(train, 1, QUIET);            // starts the workers, sizes every buffer
                long[] ids = threadIds();
                long deadline = System.nanoTime() + WARM_UP_NANOS;
                double[] perStepAndBatch;
                boolean allocates;
                String where;
                try (AllocationSites sites = new AllocationSites(ids)) {
                    do {
                        sites.reset();
                        perStepAndBatch = epochBytes(trainer, train, small, large, ids);
                        allocates = Math.max(perStepAndBatch[0], perStepAndBatch[1]) > NONE;
                    } while (allocates && System.nanoTime() < deadline);
                    where = allocates ? sites.report(5) : "";
                }
                if (allocates) {
                    fail("lenet5 on " + threads + " thread(s), batch 8, epochs of 51 images, evaluations of 29 and 77:"
                            + " still " + perStepAndBatch[0] + " bytes per training step and " + perStepAndBatch[1]
                            + " per evaluation batch after " + WARM_UP_NANOS / 1e9 + " s; at most " + NONE
                            + " expected. Sampled in the last try:\n" + where);
                }
            } finally {
                Parallel.setThreads(before);
            }
        }
    }

    /**
     * Bytes per training step over epochs of {@code train}, and per evaluation batch of {@code large} beyond
     * {@code small}'s, each as a difference of two runs that is free of the fixed cost of a call and of counting.
     */
    private static double[] epochBytes(Trainer trainer, Dataset train, Dataset small, Dataset large, long[] ids) {
        trainer.fit(train, 1, QUIET);
        long start = allocated(ids);
        trainer.fit(train, 4, QUIET);
        long four = allocated(ids) - start;
        start = allocated(ids);
        trainer.fit(train, 8, QUIET);
        double perTrainingStep = (allocated(ids) - start - four) / (4 * 7.0);     // 8 epochs less 4, 7 steps each
        trainer.evaluate(small);
        trainer.evaluate(large);
        long mid = allocated(ids);
        trainer.evaluate(small);
        long smallBytes = allocated(ids) - mid;
        mid = allocated(ids);
        trainer.evaluate(large);
        long largeBytes = allocated(ids) - mid;
        // the same per-call cost (the result, its confusion matrix) in both: the rest is per batch
        return new double[] {perTrainingStep, (largeBytes - smallBytes) / 6.0};
    }

    private static final Trainer.Listener QUIET = new Trainer.Listener() {
    };

    /** {@code count} random 1 x 28 x 28 images with labels 0..9. */
    private static Dataset images(int count, long seed) {
        float[] pixels = LayerGradientProperties.input(seed, 0, count, 1, 28, 28).data();
        int[] labels = new int[count];
        Random r = new Random(seed);
        for (int i = 0; i < count; i++) {
            labels[i] = r.nextInt(10);
        }
        return new Dataset(pixels, labels, 1, 28, 28, 10);
    }

    private static void assertNoAllocationOnceWarm(String name, Sequential model, int threads, int... shape) {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            Trainer trainer = new Trainer(model, new Sgd(model.parameters(), 0.01f, 0.9f, 0f, 1e-4f, false),
                    shape[0], 1);
            Tensor x = LayerGradientProperties.input(3, 0, shape);
            int[] y = new int[shape[0]];
            Random r = new Random(4);
            for (int i = 0; i < y.length; i++) {
                y[i] = r.nextInt(10);
            }
            trainer.trainStep(x, y);                     // starts the workers, sizes the buffers
            long[] ids = threadIds();
            long deadline = System.nanoTime() + WARM_UP_NANOS;
            double perStep;
            int steps = 200;
            String where;
            try (AllocationSites sites = new AllocationSites(ids)) {
                do {
                    sites.reset();
                    // the bytes of steps and 2 x steps steps: their difference is free of any fixed cost of counting
                    perStep = (bytesOf(trainer, x, y, 2 * steps, ids) - bytesOf(trainer, x, y, steps, ids)) / steps;
                } while (perStep > NONE && System.nanoTime() < deadline);
                where = perStep > NONE ? sites.report(5) : "";
            }
            if (perStep > NONE) {
                fail(name + " on " + threads + " thread(s), batch " + shape[0] + ": still " + perStep
                        + " bytes allocated per step after " + WARM_UP_NANOS / 1e9 + " s of steps; at most " + NONE
                        + " expected. Sampled in the last try:\n" + where);
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static double bytesOf(Trainer trainer, Tensor x, int[] y, int steps, long[] ids) {
        long start = allocated(ids);
        for (int i = 0; i < steps; i++) {
            trainer.trainStep(x, y);
        }
        return allocated(ids) - start;
    }

    /** This thread and the kernels' worker threads, found once: looking threads up allocates. */
    private static long[] threadIds() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(Thread.currentThread()),
                        Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("lanes-worker-")))
                .mapToLong(Thread::threadId).toArray();
    }

    /** Heap bytes allocated so far by the threads {@code ids}. */
    private static long allocated(long[] ids) {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long id : ids) {
            sum += bean.getThreadAllocatedBytes(id);
        }
        return sum;
    }
}
