package lanes.tests.engine.math;

import static lanes.tests.Compare.assertClose;
import static lanes.tests.Compare.assertBitwiseEqual;
import static lanes.tests.engine.math.DotProperties.assertMentions;
import static org.junit.jupiter.api.Assertions.assertThrows;

import lanes.engine.Tensor;
import lanes.engine.math.Elementwise;
import lanes.reference.Indexing;
import lanes.reference.Level1Reference;
import lanes.tests.Compare;
import lanes.tests.Gen.Layout;
import lanes.tests.Gen.Strided;
import lanes.tests.Gen;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * add, mul and scale round once per element, so they must equal the reference bit for bit; axpy is one fused
 * multiply-add, within half an ulp of the exact value. Every raw-array form must leave the padding untouched.
 */
class ElementwiseProperties {

    record Triple(Strided a, Strided b, Strided out) {
    }

    @Provide
    Arbitrary<Triple> triples() {
        return Gen.lengths().flatMap(n -> Combinators.combine(Gen.strided(n, true), Gen.strided(n, true),
                Gen.strided(n, false)).as(Triple::new));
    }

    @Property
    void axpyIsOneRoundingOfTheExactValueAndTouchesNothingElse(@ForAll("triples") Triple t,
                                                               @ForAll float alpha) {
        Strided x = t.a();
        Strided y = t.out();
        if (!Float.isFinite(alpha) || Math.abs(alpha) > 1e6f) {
            alpha = 0.75f;
        }
        float[] expected = y.data().clone();
        Level1Reference.axpy(y.n(), alpha, x.data(), x.off(), x.inc(), expected, y.off(), y.inc());
        float[] actual = y.data().clone();
        Elementwise.axpy(y.n(), alpha, x.data(), x.off(), x.inc(), actual, y.off(), y.inc());
        double[] tol = new double[expected.length];
        for (int i = 0; i < tol.length; i++) {
            tol[i] = Math.ulp(expected[i]);      // the reference rounds twice (double, then float): allow one ulp
        }
        for (int i = 0; i < tol.length; i++) {
            if (!isElement(i, y)) {
                tol[i] = 0;                       // padding must not move at all
            }
        }
        assertClose("axpy(alpha=" + alpha + ", x=" + x + ", y=" + y + ")", Compare.widen(expected), actual, tol);
    }

    @Property
    void scaleEqualsReferenceBitForBit(@ForAll("triples") Triple t, @ForAll float alpha) {
        Strided x = t.out();
        float[] expected = x.data().clone();
        Level1Reference.scale(x.n(), alpha, expected, x.off(), x.inc());
        float[] actual = x.data().clone();
        Elementwise.scale(x.n(), alpha, actual, x.off(), x.inc());
        assertBitwiseEqual("scale(alpha=" + alpha + ", x=" + x + ")", expected, actual);
    }

    @Property
    void addEqualsReferenceBitForBit(@ForAll("triples") Triple t) {
        float[] expected = t.out().data().clone();
        Level1Reference.add(t.a().n(), t.a().data(), t.a().off(), t.a().inc(), t.b().data(), t.b().off(),
                t.b().inc(), expected, t.out().off(), t.out().inc());
        float[] actual = t.out().data().clone();
        Elementwise.add(t.a().n(), t.a().data(), t.a().off(), t.a().inc(), t.b().data(), t.b().off(), t.b().inc(),
                actual, t.out().off(), t.out().inc());
        assertBitwiseEqual("add(" + t + ")", expected, actual);
    }

    @Property
    void mulEqualsReferenceBitForBit(@ForAll("triples") Triple t) {
        float[] expected = t.out().data().clone();
        Level1Reference.mul(t.a().n(), t.a().data(), t.a().off(), t.a().inc(), t.b().data(), t.b().off(),
                t.b().inc(), expected, t.out().off(), t.out().inc());
        float[] actual = t.out().data().clone();
        Elementwise.mul(t.a().n(), t.a().data(), t.a().off(), t.a().inc(), t.b().data(), t.b().off(), t.b().inc(),
                actual, t.out().off(), t.out().inc());
        assertBitwiseEqual("mul(" + t + ")", expected, actual);
    }

    record Views(Layout a, Layout b, Layout out) {
    }

    @Provide
    Arbitrary<Views> views() {
        return Gen.shapes().flatMap(shape -> Combinators.combine(Gen.layouts(shape, true), Gen.layouts(shape, true),
                Gen.layouts(shape, false)).as(Views::new));
    }

    @Property
    void tensorAddAndMulMatchReferenceOverAnyViewsAndWriteOnlyTheOutput(@ForAll("views") Views v) {
        Tensor a = v.a().make();
        Tensor b = v.b().make();
        float[] as = Indexing.elements(a);
        float[] bs = Indexing.elements(b);
        float[] sum = new float[as.length];
        float[] product = new float[as.length];
        Level1Reference.add(as.length, as, 0, 1, bs, 0, 1, sum, 0, 1);
        Level1Reference.mul(as.length, as, 0, 1, bs, 0, 1, product, 0, 1);

        Tensor out = v.out().make();
        float[] untouched = out.data().clone();
        Elementwise.add(a, b, out);
        assertBitwiseEqual("add(" + v + ")", sum, Indexing.elements(out));
        Compare.assertOnlyViewChanged("add", out, untouched);

        Elementwise.mul(a, b, out);
        assertBitwiseEqual("mul(" + v + ")", product, Indexing.elements(out));
    }

    @Property
    void tensorOpsInPlaceOrOverlappingReadTheirInputsFirst(@ForAll("views") Views v) {
        Tensor a = v.a().make();
        Tensor b = v.b().make();
        float[] as = Indexing.elements(a);
        float[] bs = Indexing.elements(b);
        float[] expected = new float[as.length];
        Level1Reference.add(as.length, as, 0, 1, bs, 0, 1, expected, 0, 1);
        // out is a over the same array: in place when a is writable, else a second view that overlaps a.
        Tensor out = isWritable(a) ? a : Tensor.zeros(a.shape());
        Elementwise.add(a, b, out);
        assertBitwiseEqual("add in place (" + v + ")", expected, Indexing.elements(out));

        // Shifted views of one array: out[i] = x[i+1] + x[i] must read x before writing.
        int n = as.length;
        Tensor x = Tensor.wrap(java.util.Arrays.copyOf(as, n + 1), n + 1);
        float[] xs = Indexing.elements(x);
        float[] shifted = new float[n];
        Level1Reference.add(n, xs, 1, 1, xs, 0, 1, shifted, 0, 1);
        Elementwise.add(x.slice(0, 1, n + 1), x.slice(0, 0, n), x.slice(0, 0, n));
        assertBitwiseEqual("add over overlapping views of one array (n=" + n + ")", shifted,
                Indexing.elements(x.slice(0, 0, n)));
    }

    @Example
    void tensorOpsRejectMismatchedShapesAndBroadcastOutputs() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Elementwise.add(Tensor.zeros(2, 3), Tensor.zeros(3, 2), Tensor.zeros(2, 3)));
        assertMentions(e.getMessage(), "[2, 3]", "[3, 2]");
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                () -> Elementwise.scale(2f, Tensor.zeros(1, 3).expand(4, 3)));
        assertMentions(b.getMessage(), "scale", "broadcast", "[4, 3]");
        assertThrows(IllegalArgumentException.class,
                () -> Elementwise.axpy(3, 1f, new float[3], 0, 1, new float[3], 0, 0));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Elementwise.mul(3, new float[3], 1, 1, new float[3], 0, 1, new float[3], 0, 1));
    }

    private static boolean isElement(int i, Strided s) {
        int k = i - s.off();
        return s.n() > 0 && k >= 0 && k % s.inc() == 0 && k / s.inc() < s.n();
    }

    private static boolean isWritable(Tensor t) {
        for (int d = 0; d < t.rank(); d++) {
            if (t.stride(d) == 0 && t.shape(d) > 1) {
                return false;
            }
        }
        return true;
    }
}
