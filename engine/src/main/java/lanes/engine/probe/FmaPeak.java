package lanes.engine.probe;

import static lanes.engine.Simd.LANES;
import static lanes.engine.Simd.SPECIES;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Measures the FP32 fused-multiply-add peak this JVM reaches: the "physical limit" every benchmark reports
 * against.
 *
 * <p>The loop keeps ten independent accumulator chains (FMA latency 4 cycles x 2 FMA units needs at least 8 in
 * flight) and issues 20 FMAs per iteration, each chain's accumulator as the addend ({@code x.fma(y, acc)}), over
 * an {@code int}-counted loop. Every FMA is {@code 2 * LANES} FLOPs.
 */
public final class FmaPeak {
    /** FMAs per loop iteration in {@link #chains}. */
    static final int FMAS_PER_ITERATION = 20;

    private FmaPeak() {
    }

    /** One measurement: GFLOP/s over a number of threads, each timed run lasting about {@code millis}. */
    public record Result(int threads, double gflops) {
    }

    /**
     * Measures the peak with {@code threads} threads, each running the FMA loop at once; returns the best of
     * {@code repeats} timed runs after a warm-up that lets C2 compile the loop.
     */
    public static Result measure(int threads, int repeats) {
        if (threads < 1 || repeats < 1) {
            throw new IllegalArgumentException("measure: threads = " + threads + " and repeats = " + repeats
                    + " must both be >= 1");
        }
        int iterations = 2_000_000;   // 20 FMAs x 2M ~ 40M FMA instructions, ~20 ms per thread at peak
        for (int w = 0; w < 30; w++) {
            sink += chains(iterations / 10, 1f + w * 1e-7f);
        }
        double best = 0;
        for (int r = 0; r < repeats; r++) {
            best = Math.max(best, timed(threads, iterations));
        }
        return new Result(threads, best);
    }

    static volatile float sink;

    /** GFLOP/s of {@code threads} threads each running {@code iterations} iterations, started together. */
    private static double timed(int threads, int iterations) {
        if (threads == 1) {
            long t0 = System.nanoTime();
            sink += chains(iterations, 1.0000001f);
            long t1 = System.nanoTime();
            return flops(iterations) / (t1 - t0);
        }
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        CyclicBarrier end = new CyclicBarrier(threads + 1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            float seed = 1.0000001f + t * 1e-7f;
            Thread worker = new Thread(() -> {
                try {
                    chains(iterations / 10, seed);   // warm this thread's caches and TLB before the start line
                    start.await();
                    sink += chains(iterations, seed);
                    end.await();
                } catch (Exception e) {
                    throw new IllegalStateException("FMA probe worker failed", e);
                }
            }, "lanes-fma-probe-" + t);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        try {
            start.await();
            long t0 = System.nanoTime();
            end.await();
            long t1 = System.nanoTime();
            for (Thread w : workers) {
                w.join();
            }
            return threads * flops(iterations) / (t1 - t0);
        } catch (Exception e) {
            throw new IllegalStateException("FMA probe interrupted", e);
        }
    }

    private static double flops(int iterations) {
        return (double) iterations * FMAS_PER_ITERATION * 2 * LANES;
    }

    // 10 independent chains acc_k = x*y + acc_k, 20 FMAs per iteration; returns a value that depends on all.
    static float chains(int iterations, float seed) {
        FloatVector x = FloatVector.broadcast(SPECIES, seed);
        FloatVector y = FloatVector.broadcast(SPECIES, 1e-9f);
        FloatVector a0 = FloatVector.broadcast(SPECIES, 0f);
        FloatVector a1 = FloatVector.broadcast(SPECIES, 1f);
        FloatVector a2 = FloatVector.broadcast(SPECIES, 2f);
        FloatVector a3 = FloatVector.broadcast(SPECIES, 3f);
        FloatVector a4 = FloatVector.broadcast(SPECIES, 4f);
        FloatVector a5 = FloatVector.broadcast(SPECIES, 5f);
        FloatVector a6 = FloatVector.broadcast(SPECIES, 6f);
        FloatVector a7 = FloatVector.broadcast(SPECIES, 7f);
        FloatVector a8 = FloatVector.broadcast(SPECIES, 8f);
        FloatVector a9 = FloatVector.broadcast(SPECIES, 9f);
        for (int i = 0; i < iterations; i++) {
            a0 = x.fma(y, a0);
            a1 = x.fma(y, a1);
            a2 = x.fma(y, a2);
            a3 = x.fma(y, a3);
            a4 = x.fma(y, a4);
            a5 = x.fma(y, a5);
            a6 = x.fma(y, a6);
            a7 = x.fma(y, a7);
            a8 = x.fma(y, a8);
            a9 = x.fma(y, a9);
            a0 = x.fma(y, a0);
            a1 = x.fma(y, a1);
            a2 = x.fma(y, a2);
            a3 = x.fma(y, a3);
            a4 = x.fma(y, a4);
            a5 = x.fma(y, a5);
            a6 = x.fma(y, a6);
            a7 = x.fma(y, a7);
            a8 = x.fma(y, a8);
            a9 = x.fma(y, a9);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9)
                .reduceLanes(VectorOperators.ADD);
    }
}
