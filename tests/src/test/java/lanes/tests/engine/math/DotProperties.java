package lanes.tests.engine.math;

import static lanes.tests.Compare.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import lanes.engine.Tensor;
import lanes.engine.math.Dot;
import lanes.reference.Indexing;
import lanes.reference.Level1Reference;
import lanes.reference.Tolerance;
import lanes.tests.Gen.Layout;
import lanes.tests.Gen.Strided;
import lanes.tests.Gen;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class DotProperties {

    record Pair(Strided x, Strided y) {
    }

    @Provide
    Arbitrary<Pair> pairs() {
        return Gen.lengths().flatMap(n -> Combinators.combine(Gen.strided(n, true), Gen.strided(n, true)).as(Pair::new));
    }

    @Property
    void dotMatchesReferenceWithinSummationBound(@ForAll("pairs") Pair p) {
        Strided x = p.x();
        Strided y = p.y();
        float[] xBefore = x.data().clone();
        float[] yBefore = y.data().clone();
        float actual = Dot.dot(x.n(), x.data(), x.off(), x.inc(), y.data(), y.off(), y.inc());
        double expected = Level1Reference.dot(x.n(), x.data(), x.off(), x.inc(), y.data(), y.off(), y.inc());
        double tol = Tolerance.dot(x.n(), Level1Reference.dotMagnitude(x.n(), x.data(), x.off(), x.inc(),
                y.data(), y.off(), y.inc()));
        assertClose("dot(x=" + x + ", y=" + y + ")", new double[] {expected}, new float[] {actual}, new double[] {tol});
        lanes.tests.Compare.assertBitwiseEqual("dot must not modify x", xBefore, x.data());
        lanes.tests.Compare.assertBitwiseEqual("dot must not modify y", yBefore, y.data());
    }

    record Views(Layout x, Layout y) {
    }

    @Provide
    Arbitrary<Views> views() {
        return Gen.shapes().flatMap(shape -> Combinators.combine(Gen.layouts(shape, true), Gen.layouts(shape, true))
                .as(Views::new));
    }

    @Property
    void tensorDotMatchesReferenceOverAnyViews(@ForAll("views") Views v) {
        Tensor x = v.x().make();
        Tensor y = v.y().make();
        float[] xs = Indexing.elements(x);
        float[] ys = Indexing.elements(y);
        double expected = Level1Reference.dot(xs.length, xs, 0, 1, ys, 0, 1);
        // Rows are summed by the kernel, then the row sums added: at most size + rows roundings on any path.
        long terms = xs.length + (x.rank() == 0 ? 1 : xs.length / Math.max(1, x.shape(x.rank() - 1))) + 1;
        double tol = Tolerance.dot(terms, Level1Reference.dotMagnitude(xs.length, xs, 0, 1, ys, 0, 1));
        assertClose("dot(" + v.x() + ", " + v.y() + ")", new double[] {expected},
                new float[] {Dot.dot(x, y)}, new double[] {tol});
    }

    /**
     * Dot sums its accumulator's lanes itself, in the order that {@code Reduce.sum} writes out too (a vector handed
     * to a method is boxed when C2 does not inline it): over one vector, x . 1 is Reduce's sum of x bit for bit.
     * Magnitudes spread over twelve decades, so that another order rounds differently (200 seeds). On the plain
     * path, {@code lanes.scalar}, Dot has no vector to sum.
     */
    @Example
    void dotAddsOneVectorsLanesInReduceOrder() {
        if (lanes.engine.Simd.SCALAR) {
            return;
        }
        int n = lanes.engine.Simd.LANES;
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        for (long seed = 0; seed < 200; seed++) {
            java.util.Random r = new java.util.Random(seed);
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (r.nextFloat() + 0.5f) * (float) Math.pow(10, r.nextInt(12) - 6) * (r.nextBoolean() ? 1 : -1);
            }
            float dot = Dot.dot(n, x, 0, 1, ones, 0, 1);
            float reduced = lanes.engine.simd.Reduce.sum(x, 0);
            long s = seed;
            assertEquals(Float.floatToRawIntBits(reduced), Float.floatToRawIntBits(dot),
                    () -> "x . 1 = " + dot + " but Reduce.sum(x) = " + reduced + " for x = "
                            + java.util.Arrays.toString(x) + " (seed " + s + ")");
        }
    }

    @Example
    void dotOfEmptyVectorsIsZero() {
        assertEquals(0f, Dot.dot(0, new float[0], 0, 1, new float[0], 0, 1));
        assertEquals(0f, Dot.dot(Tensor.zeros(0), Tensor.zeros(0)));
    }

    @Example
    void dotRejectsVectorsThatRunPastTheirArrays() {
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> Dot.dot(5, new float[8], 0, 2, new float[8], 0, 1));
        assertMentions(e.getMessage(), "dot", "x", "0..8", "length 8");
        assertThrows(IllegalArgumentException.class, () -> Dot.dot(-1, new float[8], 0, 1, new float[8], 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Dot.dot(2, new float[8], 0, -1, new float[8], 0, 1));
        IllegalArgumentException shapes = assertThrows(IllegalArgumentException.class,
                () -> Dot.dot(Tensor.zeros(3), Tensor.zeros(4)));
        assertMentions(shapes.getMessage(), "[3]", "[4]");
    }

    static void assertMentions(String message, String... parts) {
        for (String part : List.of(parts)) {
            if (!message.contains(part)) {
                throw new AssertionError("message \"" + message + "\" does not mention \"" + part + "\"");
            }
        }
    }
}
