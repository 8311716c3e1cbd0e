package lanes.tests.engine;

import static lanes.tests.Compare.assertBitwiseEqual;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import lanes.engine.Tensor;
import lanes.reference.Indexing;
import lanes.tests.Gen.Layout;
import lanes.tests.Gen;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The view algebra of {@link Tensor}, checked against addresses computed straight from offset and strides. */
class TensorViewProperties {

    @Provide
    Arbitrary<Layout> views() {
        return Gen.shapes().flatMap(shape -> Gen.layouts(shape, false));
    }

    @Provide
    Arbitrary<Layout> inputViews() {
        return Gen.shapes().flatMap(shape -> Gen.layouts(shape, true));
    }

    @Property
    void getReadsTheElementAtOffsetPlusIndexTimesStrides(@ForAll("inputViews") Layout layout) {
        Tensor t = layout.make();
        for (int[] idx : Indexing.allIndices(t.shape())) {
            assertEquals(t.data()[Indexing.address(t, idx)], t.get(idx), () -> layout + " at " + Arrays.toString(idx));
        }
    }

    @Property
    void transposeTwiceIsTheIdentity(@ForAll("views") Layout layout, @ForAll @IntRange(max = 3) int a,
                                     @ForAll @IntRange(max = 3) int b) {
        Tensor t = layout.make();
        Assume.that(t.rank() > 0);              // the dimensions are drawn from the view's own rank
        a %= t.rank();
        b %= t.rank();
        assertTrue(t.transpose(a, b).transpose(a, b).sameView(t), layout::toString);
    }

    @Property
    void transposeSwapsIndices(@ForAll("views") Layout layout, @ForAll @IntRange(max = 3) int a,
                               @ForAll @IntRange(max = 3) int b) {
        Tensor t = layout.make();
        Assume.that(t.rank() > 0);
        int da = a % t.rank();
        int db = b % t.rank();
        Tensor tt = t.transpose(da, db);
        for (int[] idx : Indexing.allIndices(t.shape())) {
            int[] swapped = idx.clone();
            swapped[da] = idx[db];
            swapped[db] = idx[da];
            assertEquals(t.get(idx), tt.get(swapped));
        }
    }

    @Property
    void permuteThenInversePermuteIsTheIdentity(@ForAll("views") Layout layout) {
        Tensor t = layout.make();
        int[] order = layout.perm();          // any permutation of the right rank will do
        int[] inverse = new int[order.length];
        for (int d = 0; d < order.length; d++) {
            inverse[order[d]] = d;
        }
        assertTrue(t.permute(order).permute(inverse).sameView(t), layout::toString);
    }

    record SliceCase(Layout layout, int dim, int s1, int e1, int k1, int s2, int e2, int k2) {
    }

    @Provide
    Arbitrary<SliceCase> slices() {
        return views().filter(l -> l.shape().length > 0).flatMap(layout -> {
            int rank = layout.shape().length;
            return Arbitraries.integers().between(0, rank - 1).flatMap(dim -> {
                int n = layout.shape()[dim];
                return Combinators.combine(Arbitraries.integers().between(0, n), Arbitraries.integers().between(0, n),
                        Arbitraries.integers().between(1, 3)).flatAs((x, y, k1) -> {
                            int s1 = Math.min(x, y);
                            int e1 = Math.max(x, y);
                            int m = (e1 - s1 + k1 - 1) / k1;
                            return Combinators.combine(Arbitraries.integers().between(0, m),
                                    Arbitraries.integers().between(0, m), Arbitraries.integers().between(1, 3))
                                    .as((p, q, k2) -> new SliceCase(layout, dim, s1, e1, k1, Math.min(p, q),
                                            Math.max(p, q), k2));
                        });
            });
        });
    }

    @Property
    void aSliceOfASliceIsOneComposedSlice(@ForAll("slices") SliceCase c) {
        Tensor t = c.layout().make();
        Tensor twice = t.slice(c.dim(), c.s1(), c.e1(), c.k1()).slice(c.dim(), c.s2(), c.e2(), c.k2());
        boolean empty = c.e2() == c.s2();
        int start = empty ? c.s1() : c.s1() + c.s2() * c.k1();
        int end = empty ? c.s1() : c.s1() + (c.e2() - 1) * c.k1() + 1;
        Tensor once = t.slice(c.dim(), start, end, c.k1() * c.k2());
        assertArrayEquals(once.shape(), twice.shape(), c::toString);
        assertArrayEquals(once.strides(), twice.strides(), c::toString);
        if (once.size() > 0) {
            assertTrue(once.sameView(twice), () -> c + ": " + once + " vs " + twice);
        }
        assertBitwiseEqual(c.toString(), Indexing.elements(once), Indexing.elements(twice));
    }

    @Property
    void selectDropsOneDimensionAtTheChosenIndex(@ForAll("views") Layout layout, @ForAll @IntRange(max = 3) int dimSeed,
                                                 @ForAll @IntRange(max = 7) int indexSeed) {
        Tensor t = layout.make();
        Assume.that(t.rank() > 0 && t.shape(dimSeed % t.rank()) > 0);   // dimension and index from the shape
        int dim = dimSeed % t.rank();
        int index = indexSeed % t.shape(dim);
        Tensor s = t.select(dim, index);
        assertEquals(t.rank() - 1, s.rank());
        for (int[] idx : Indexing.allIndices(s.shape())) {
            int[] full = new int[t.rank()];
            for (int d = 0, k = 0; d < full.length; d++) {
                full[d] = d == dim ? index : idx[k++];
            }
            assertEquals(t.get(full), s.get(idx));
        }
    }

    @Property
    void contiguousEqualsTheViewElementByElementAndCopiesOnlyWhenNeeded(@ForAll("inputViews") Layout layout) {
        Tensor t = layout.make();
        Tensor c = t.contiguous();
        assertTrue(c.isContiguous());
        assertArrayEquals(t.shape(), c.shape());
        assertBitwiseEqual(layout.toString(), Indexing.elements(t), Indexing.elements(c));
        if (t.isContiguous()) {
            assertSame(t, c);
        } else {
            assertNotSame(t.data(), c.data());
        }
    }

    @Property
    void reshapeKeepsRowMajorOrderOrRefusesAndPointsToContiguous(@ForAll("inputViews") Layout layout,
                                                                 @ForAll("factorings") int seed) {
        Tensor t = layout.make();
        int[] target = refactor(t.size(), seed);
        float[] before = Indexing.elements(t);
        try {
            Tensor r = t.reshape(target);
            assertArrayEquals(target, r.shape());
            assertSame(t.data(), r.data());
            assertBitwiseEqual(layout + " reshaped to " + Arrays.toString(target), before, Indexing.elements(r));
        } catch (IllegalArgumentException e) {
            assertTrue(!t.isContiguous(), "a contiguous tensor must always reshape: " + e.getMessage());
            assertTrue(e.getMessage().contains("contiguous()"), e.getMessage());
            Tensor r = t.contiguous().reshape(target);
            assertBitwiseEqual(layout.toString(), before, Indexing.elements(r));
        }
    }

    @Provide
    Arbitrary<Integer> factorings() {
        return Arbitraries.integers().between(0, 1000);
    }

    /** A shape of {@code size} elements chosen by {@code seed}: split the size into factors in some order. */
    static int[] refactor(int size, int seed) {
        java.util.Random r = new java.util.Random(seed);
        if (size == 0) {
            return r.nextBoolean() ? new int[] {0} : new int[] {2, 0, 3};
        }
        List<Integer> dims = new java.util.ArrayList<>();
        int left = size;
        for (int f = 2; f <= left; f++) {
            while (left % f == 0 && r.nextInt(3) != 0) {
                dims.add(f);
                left /= f;
            }
        }
        if (left > 1) {
            dims.add(left);
        }
        if (r.nextInt(4) == 0) {
            dims.add(r.nextInt(dims.size() + 1), 1);
        }
        // Merge some neighbours so that the rank varies.
        for (int i = 0; i + 1 < dims.size(); i++) {
            if (r.nextBoolean()) {
                dims.set(i, dims.get(i) * dims.remove(i + 1));
            }
        }
        java.util.Collections.shuffle(dims, r);
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    @Property
    void reshapeOfADenseBlockOfRowsSucceedsWithoutCopy(@ForAll @IntRange(min = 1, max = 6) int rows,
                                                       @ForAll @IntRange(min = 1, max = 6) int cols,
                                                       @ForAll @IntRange(min = 1, max = 3) int step) {
        // Every other row of a matrix: each row is dense, so splitting a row is a view, merging rows is not.
        Tensor m = Tensor.wrap(Gen.floats(rows * cols, rows * step * cols), rows * step, cols).slice(0, 0,
                rows * step, step);
        Tensor split = m.reshape(rows, 1, cols, 1);
        assertSame(m.data(), split.data());
        assertBitwiseEqual("split", Indexing.elements(m), Indexing.elements(split));
        if (step > 1 && rows > 1 && cols > 1) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> m.reshape(rows * cols));
        }
    }

    @Property
    void expandRepeatsTheSameElementsWithoutCopy(@ForAll("inputViews") Layout layout,
                                                 @ForAll @IntRange(min = 1, max = 3) int lead) {
        Tensor t = layout.make();
        int[] target = new int[t.rank() + 1];
        target[0] = lead;
        for (int d = 0; d < t.rank(); d++) {
            target[d + 1] = t.shape(d) == 1 ? 3 : t.shape(d);
        }
        Tensor e = t.expand(target);
        assertSame(t.data(), e.data());
        for (int[] idx : Indexing.allIndices(target)) {
            int[] src = new int[t.rank()];
            for (int d = 0; d < src.length; d++) {
                src[d] = t.shape(d) == 1 ? 0 : idx[d + 1];
            }
            assertEquals(t.get(src), e.get(idx));
        }
    }

    @Property
    void writesThroughAViewLandInItsElementsAndNowhereElse(@ForAll("views") Layout layout) {
        Tensor t = layout.make();
        float[] before = t.data().clone();
        List<int[]> all = Indexing.allIndices(t.shape());
        for (int i = 0; i < all.size(); i++) {
            t.set(1000f + i, all.get(i));
        }
        float[] expected = before.clone();
        for (int i = 0; i < all.size(); i++) {
            expected[Indexing.address(t, all.get(i))] = 1000f + i;
        }
        assertBitwiseEqual("set through " + layout, expected, t.data());

        t.fill(-7f);
        for (int[] idx : all) {
            expected[Indexing.address(t, idx)] = -7f;
        }
        assertBitwiseEqual("fill through " + layout, expected, t.data());
    }

    @Property
    void copyFromWorksBetweenAnyTwoLayoutsAndWritesOnlyTheDestination(@ForAll("views") Layout dst,
                                                                      @ForAll long seed) {
        Tensor to = dst.make();
        Tensor from = Tensor.wrap(Gen.floats(seed, to.size()), to.shape());
        float[] before = to.data().clone();
        to.copyFrom(from);
        assertBitwiseEqual("copyFrom into " + dst, Indexing.elements(from), Indexing.elements(to));
        lanes.tests.Compare.assertOnlyViewChanged("copyFrom", to, before);
    }

    @Property
    void copyFromAnOverlappingViewActsAsIfTheSourceWereReadFirst(@ForAll @IntRange(min = 1, max = 40) int n,
                                                                 @ForAll @IntRange(min = 1, max = 3) int shift,
                                                                 @ForAll long seed) {
        Tensor a = Tensor.wrap(Gen.floats(seed, n + shift), n + shift);
        float[] src = Indexing.elements(a.slice(0, 0, n));
        a.slice(0, shift, n + shift).copyFrom(a.slice(0, 0, n));
        assertBitwiseEqual("copyFrom shifted by " + shift, src, Indexing.elements(a.slice(0, shift, n + shift)));
    }
}
