package lanes.engine.probe;

import static lanes.engine.Simd.SPECIES;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures the FP32 fused-multiply-add peak this JVM reaches: the "physical limit" every benchmark reports
 * against.
 *
 * <p>The loop keeps ten independent accumulator chains (FMA latency 4 cycles x 2 FMA units needs at least 8 in
 * flight) and issues 20 FMAs per iteration, each chain's accumulator as the addend ({@code x.fma(y, acc)}), over
 * an {@code int}-counted loop. Every FMA is {@code 2 * lanes} FLOPs.
 *
 * <p>The peak is measured for the preferred species (what the kernels use) and, for comparison with AVX2-only
 * machines and with native code built for them, for 256-bit vectors.
 */
public final class FmaPeak {
    private static final VectorSpecies<Float> SPECIES_256 = FloatVector.SPECIES_256;
    /** FMAs per loop iteration in {@link #chains}. */
    static final int FMAS_PER_ITERATION = 20;

    private FmaPeak() {
    }

    /** One measurement: GFLOP/s of {@code threads} threads together, with vectors of {@code bits} bits. */
    public record Result(int threads, int bits, double gflops) {
    }

    /** The vector width to measure. */
    public enum Width {
        /** {@link lanes.engine.Simd#SPECIES}: the width every kernel uses. */
        PREFERRED(SPECIES),
        /** 256-bit vectors (AVX2), whatever the hardware prefers. */
        BITS_256(FloatVector.SPECIES_256);

        final VectorSpecies<Float> species;

        Width(VectorSpecies<Float> species) {
            this.species = species;
        }

        /** Bits per vector. */
        public int bits() {
            return species.vectorBitSize();
        }
    }

    /** {@link #measure(Width, int, int)} with the preferred width. */
    public static Result measure(int threads, int repeats) {
        return measure(Width.PREFERRED, threads, repeats);
    }

    /**
     * Measures the peak with {@code threads} threads, each running the FMA loop at once; returns the best of
     * {@code repeats} timed runs after a warm-up that lets C2 compile the loop.
     */
    public static Result measure(Width width, int threads, int repeats) {
        if (threads < 1 || repeats < 1) {
            throw new IllegalArgumentException("measure: threads = " + threads + " and repeats = " + repeats
                    + " must both be >= 1");
        }
        int iterations = 2_000_000;   // 20 FMAs x 2M ~ 40M FMA instructions, ~20 ms per thread at peak
        for (int w = 0; w < 30; w++) {
            sink += run(width, iterations / 10, 1f + w * 1e-7f);
        }
        double best = 0;
        for (int r = 0; r < repeats; r++) {
            best = Math.max(best, timed(width, threads, iterations));
        }
        return new Result(threads, width.bits(), best);
    }

    private static float run(Width width, int iterations, float seed) {
        return width == Width.PREFERRED ? chains(iterations, seed) : chains256(iterations, seed);
    }

    static volatile float sink;

    /** GFLOP/s of {@code threads} threads each running {@code iterations} iterations, started together. */
    private static double timed(Width width, int threads, int iterations) {
        double flops = (double) iterations * FMAS_PER_ITERATION * 2 * width.species.length();
        if (threads == 1) {
            long t0 = System.nanoTime();
            sink += run(width, iterations, 1.0000001f);
            long t1 = System.nanoTime();
            return flops / (t1 - t0);
        }
        // Each worker times itself: on a machine with as many cores as workers, a coordinating thread may not
        // be scheduled until a worker finishes, so it cannot hold the clock.
        CyclicBarrier start = new CyclicBarrier(threads);
        long[] began = new long[threads];
        long[] ended = new long[threads];
        Throwable[] failed = new Throwable[1];
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            float seed = 1.0000001f + t * 1e-7f;
            Thread worker = new Thread(() -> {
                try {
                    run(width, iterations / 10, seed);   // warm this thread up before the start line
                    start.await();
                    began[id] = System.nanoTime();
                    sink += run(width, iterations, seed);
                    ended[id] = System.nanoTime();
                } catch (Exception e) {
                    failed[0] = e;
                }
            }, "lanes-fma-probe-" + t);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        try {
            for (Thread w : workers) {
                w.join();
            }
            if (failed[0] != null) {
                throw new IllegalStateException("FMA probe worker failed", failed[0]);
            }
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (int t = 0; t < threads; t++) {
                first = Math.min(first, began[t]);
                last = Math.max(last, ended[t]);
            }
            return threads * flops / (last - first);
        } catch (Exception e) {
            throw new IllegalStateException("FMA probe interrupted", e);
        }
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

    // The same loop over 256-bit vectors. A separate method, not a species parameter: C2 only intrinsifies
    // vector operations whose species is a constant where the loop is compiled.
    static float chains256(int iterations, float seed) {
        FloatVector x = FloatVector.broadcast(SPECIES_256, seed);
        FloatVector y = FloatVector.broadcast(SPECIES_256, 1e-9f);
        FloatVector a0 = FloatVector.broadcast(SPECIES_256, 0f);
        FloatVector a1 = FloatVector.broadcast(SPECIES_256, 1f);
        FloatVector a2 = FloatVector.broadcast(SPECIES_256, 2f);
        FloatVector a3 = FloatVector.broadcast(SPECIES_256, 3f);
        FloatVector a4 = FloatVector.broadcast(SPECIES_256, 4f);
        FloatVector a5 = FloatVector.broadcast(SPECIES_256, 5f);
        FloatVector a6 = FloatVector.broadcast(SPECIES_256, 6f);
        FloatVector a7 = FloatVector.broadcast(SPECIES_256, 7f);
        FloatVector a8 = FloatVector.broadcast(SPECIES_256, 8f);
        FloatVector a9 = FloatVector.broadcast(SPECIES_256, 9f);
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
