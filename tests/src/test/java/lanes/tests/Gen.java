package lanes.tests;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;
import lanes.engine.Parallel;
import lanes.engine.Simd;
import lanes.engine.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators shared by the property tests. Each draws the size first, then the layout, then a seed for the
 * content, so that a failing case prints small, readable numbers and replays from them.
 */
public final class Gen {
    /** Floats per vector on this machine. */
    public static final int L = Simd.LANES;

    private Gen() {
    }

    /** Vector lengths: the edges on purpose (0, 1, lane count +- 1, multiples of the unroll), then small and large. */
    public static Arbitrary<Integer> lengths() {
        Arbitrary<Integer> edges = Arbitraries.of(0, 1, 2, 3, L - 1, L, L + 1, 2 * L - 1, 2 * L, 2 * L + 1,
                3 * L + 1, 4 * L - 1, 4 * L, 4 * L + 1, 5 * L - 1, 8 * L, 8 * L + 3, 16 * L - 1, 16 * L + 5);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, edges),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 300)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(300, 5000)));
    }

    /** Values in [-1, 1) from a seed, with a few exact zeros and integers mixed in. */
    public static float[] floats(long seed, int length) {
        Random r = new Random(seed);
        float[] a = new float[length];
        for (int i = 0; i < length; i++) {
            int kind = r.nextInt(16);
            a[i] = kind == 0 ? 0f : kind == 1 ? r.nextInt(5) - 2 : r.nextFloat() * 2 - 1;
        }
        return a;
    }

    /** {@code n} elements at {@code data[off + i*inc]}; the rest of {@code data} is padding that must not change. */
    public record Strided(int n, int off, int inc, float[] data) {
        @Override
        public String toString() {
            return "Strided[n=" + n + ", offset=" + off + ", increment=" + inc + ", array length=" + data.length + "]";
        }
    }

    /** A strided vector of length {@code n}; inputs may have increment 0, outputs start at 1. */
    public static Arbitrary<Strided> strided(int n, boolean input) {
        Arbitrary<Integer> incs = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.just(1)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(input ? 0 : 1, 5)));
        return Combinators.combine(Arbitraries.integers().between(0, 9), incs,
                Arbitraries.integers().between(0, 7), Arbitraries.longs().withoutEdgeCases()).as((off, inc, slack, seed) -> {
                    int length = off + (n == 0 ? 0 : (n - 1) * inc + 1) + slack;
                    return new Strided(n, off, inc, floats(seed, length));
                });
    }

    /**
     * How to lay a tensor of a given shape over a larger array: the view is cut from a bigger row-major base by
     * slicing every dimension with a start and a step, then permuted; inputs may also broadcast (stride 0) along
     * some dimensions.
     */
    public record Layout(int[] shape, int[] starts, int[] steps, int[] extras, int[] perm, int lead,
                         boolean[] broadcast, long seed) {
        /** A fresh view with this layout over a new array filled from the seed. */
        public Tensor make() {
            int rank = shape.length;
            int[] inner = new int[rank];        // the shape before permuting, with broadcast dims at 1
            for (int d = 0; d < rank; d++) {
                inner[perm[d]] = broadcast[d] ? 1 : shape[d];
            }
            int[] base = new int[rank];
            for (int d = 0; d < rank; d++) {
                base[d] = starts[d] + (inner[d] == 0 ? 0 : (inner[d] - 1) * steps[d] + 1) + extras[d];
            }
            int baseSize = Arrays.stream(base).reduce(1, (a, b) -> a * b);
            float[] data = floats(seed, lead + baseSize);
            int[] rowMajor = new int[rank];
            for (int d = rank - 1, s = 1; d >= 0; d--) {
                rowMajor[d] = s;
                s *= Math.max(base[d], 1);
            }
            Tensor v = baseSize == 0 ? Tensor.zeros(base) : Tensor.view(data, lead, base, rowMajor);
            for (int d = 0; d < rank; d++) {
                int end = starts[d] + (inner[d] == 0 ? 0 : (inner[d] - 1) * steps[d] + 1);
                v = v.slice(d, starts[d], end, steps[d]);
            }
            v = v.permute(perm);
            return v.expand(shape);
        }

        @Override
        public String toString() {
            return "Layout[shape=" + Arrays.toString(shape) + ", starts=" + Arrays.toString(starts) + ", steps="
                    + Arrays.toString(steps) + ", perm=" + Arrays.toString(perm) + ", lead=" + lead + ", broadcast="
                    + Arrays.toString(broadcast) + ", seed=" + seed + "]";
        }
    }

    /** Shapes of rank 0..4 with extents 0..7 (mostly at least 1). */
    public static Arbitrary<int[]> shapes() {
        Arbitrary<Integer> extent = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(1)),
                net.jqwik.api.Tuple.of(12, Arbitraries.integers().between(2, 7)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(8, 3 * L + 1)));
        return Arbitraries.integers().between(0, 4)
                .flatMap(rank -> extent.array(int[].class).ofSize(rank));
    }

    /** A layout of {@code shape}; {@code input} layouts may broadcast. */
    public static Arbitrary<Layout> layouts(int[] shape, boolean input) {
        int rank = shape.length;
        Arbitrary<int[]> starts = Arbitraries.integers().between(0, 2).array(int[].class).ofSize(rank);
        Arbitrary<int[]> steps = Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(3, Arbitraries.just(1)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(2, 3)))
                .array(int[].class).ofSize(rank);
        Arbitrary<int[]> extras = Arbitraries.integers().between(0, 2).array(int[].class).ofSize(rank);
        Arbitrary<int[]> perm = Arbitraries.shuffle(range(rank))
                .map(list -> list.stream().mapToInt(Integer::intValue).toArray());
        Arbitrary<boolean[]> broadcast = input
                ? Arbitraries.integers().between(0, 5).list().ofSize(rank).map(bits -> {
                    boolean[] b = new boolean[rank];
                    for (int d = 0; d < rank; d++) {
                        b[d] = bits.get(d) == 0;
                    }
                    return b;
                })
                : Arbitraries.just(new boolean[rank]);
        return Combinators.combine(starts, steps, extras, perm, Arbitraries.integers().between(0, 5), broadcast,
                        Arbitraries.longs().withoutEdgeCases())
                .as((st, sp, ex, pm, lead, bc, seed) -> new Layout(shape, st, sp, ex, pm, lead, bc, seed));
    }

    private static java.util.List<Integer> range(int n) {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }

    /** Elements of a tensor of this shape. */
    public static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Runs {@code body} with the thread team set to {@code threads}, then restores it. */
    public static <T> T onThreads(int threads, Supplier<T> body) {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            return body.get();
        } finally {
            Parallel.setThreads(before);
        }
    }
}
