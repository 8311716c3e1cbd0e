package lanes.tests.engine.gemm.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import lanes.engine.gemm.tiles.GeneratedTiles;
import lanes.engine.gemm.tiles.MicroKernel;
import lanes.engine.gemm.tiles.ReferenceTile;
import lanes.engine.gemm.tiles.Tiles;
import lanes.engine.tune.TileTable;
import lanes.engine.tune.Tuning;
import lanes.tests.Compare;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The micro-kernel contract, for every generated SGEMM tile at every vector width, whatever this machine's own width
 * (the Vector API runs any species anywhere; the widths this machine lacks run slowly in Java): each tile gives the
 * same bits as {@link ReferenceTile}, which itself stays within the error bound of a double-precision sum.
 */
class MicroKernelContractProperties {
    private static final MicroKernel[] TILES = GeneratedTiles.all();

    /**
     * One call: which tile, which method (packed A or A's rows in place, lda = kc + padA), the depth, the live part
     * of the tile, scalars and layout.
     */
    record Case(int tile, boolean add, boolean directA, int kc, int rows, int cols, float alpha, float beta,
                int padA, int padB, int padC, int aOff, int bOff, int cOff, long seed) {
        @Override
        public String toString() {
            MicroKernel k = TILES[tile];
            return k.getClass().getSimpleName() + (add ? ".computeAdd" : ".compute") + (directA ? "DirectA" : "")
                    + "(kc=" + kc + ", rows=" + rows + ", cols=" + cols + ", alpha=" + alpha + ", beta=" + beta
                    + (directA ? ", lda=kc+" + padA : "") + ", ldb=NR+" + padB + ", ldc=NR+" + padC + ", aOff="
                    + aOff + ", bOff=" + bOff + ", cOff=" + cOff + ", seed=" + seed + ")";
        }

        int lda() {
            return kc + padA;
        }

        /** Floats the A operand spans: a packed panel (kc, MR), or MR rows lda apart. */
        int aLength(int mr) {
            return aOff + (directA ? (mr - 1) * lda() + kc : kc * mr);
        }
    }

    @Provide
    Arbitrary<Case> calls() {
        Arbitrary<Integer> tile = Arbitraries.integers().between(0, TILES.length - 1);
        return tile.flatMap(t -> {
            MicroKernel k = TILES[t];
            Arbitrary<Boolean> add = Arbitraries.of(false, false, true);
            Arbitrary<Integer> kc = Arbitraries.integers().between(1, 40).edgeCases(e -> e.includeOnly(1, 2, 40));
            Arbitrary<Integer> rows = Arbitraries.integers().between(1, k.mr()).edgeCases(e -> e.includeOnly(1, k.mr()));
            Arbitrary<Integer> cols = Arbitraries.integers().between(1, k.nr()).edgeCases(e -> e.includeOnly(1, k.nr()));
            Arbitrary<Float> alpha = Arbitraries.of(1f, 1f, -0.5f, 2.25f);
            Arbitrary<Float> beta = Arbitraries.of(0f, 0f, 1f, -1.5f, 0.75f);
            Arbitrary<Integer> pad = Arbitraries.integers().between(0, 5);
            Arbitrary<Integer> off = Arbitraries.integers().between(0, 9);
            Arbitrary<Long> seed = Arbitraries.longs();
            Arbitrary<Boolean> direct = Arbitraries.of(false, true);
            return Combinators.combine(add, kc, rows, cols, alpha, beta, pad, pad).flatAs(
                    (a, d, r, c, al, be, pb, pc) -> Combinators.combine(direct, pad, off, off, off, seed).as(
                            (da, pa, ao, bo, co, s) -> a
                                    ? new Case(t, true, da, d, k.mr(), k.nr(), 1f, 1f, pa, pb, pc, ao, bo, co, s)
                                    : new Case(t, false, da, d, da ? k.mr() : r, c, al, be, pa, pb, pc, ao, bo, co,
                                            s)));
        });
    }

    @Property
    void everyGeneratedTileGivesTheReferenceTilesBits(@ForAll("calls") Case call) {
        MicroKernel kernel = TILES[call.tile];
        int mr = kernel.mr();
        int nr = kernel.nr();
        int ldb = nr + call.padB;
        int ldc = nr + call.padC;
        Random r = new Random(call.seed);
        float[] a = random(r, call.aLength(mr));
        float[] bp = random(r, call.bOff + (call.kc - 1) * ldb + nr);
        float[] c = random(r, call.cOff + (mr - 1) * ldc + nr + r.nextInt(3));
        if (call.beta == 0f && r.nextBoolean()) {
            Arrays.fill(c, Float.NaN);          // beta = 0: C must not be read
        }
        float[] expected = c.clone();
        float[] actual = c.clone();
        run(new ReferenceTile(mr, nr), call, a, bp, ldb, expected, ldc);
        run(kernel, call, a, bp, ldb, actual, ldc);
        Compare.assertBitwiseEqual(call.toString(), expected, actual);
    }

    @Property
    void readingARowsInPlaceGivesThePackedPanelsBits(@ForAll("calls") Case call) {
        MicroKernel kernel = TILES[call.tile];
        int mr = kernel.mr();
        int nr = kernel.nr();
        int ldb = nr + call.padB;
        int ldc = nr + call.padC;
        Case direct = new Case(call.tile, call.add, true, call.kc, mr, call.cols, call.alpha, call.beta, call.padA,
                call.padB, call.padC, call.aOff, call.bOff, call.cOff, call.seed);
        Case packed = new Case(call.tile, call.add, false, call.kc, mr, call.cols, call.alpha, call.beta, call.padA,
                call.padB, call.padC, 0, call.bOff, call.cOff, call.seed);
        Random r = new Random(call.seed);
        float[] a = random(r, direct.aLength(mr));
        float[] bp = random(r, call.bOff + (call.kc - 1) * ldb + nr);
        float[] c = random(r, call.cOff + (mr - 1) * ldc + nr);
        float[] ap = new float[call.kc * mr];
        for (int i = 0; i < mr; i++) {
            for (int p = 0; p < call.kc; p++) {
                ap[p * mr + i] = a[call.aOff + i * direct.lda() + p];
            }
        }
        float[] expected = c.clone();
        float[] actual = c.clone();
        run(kernel, packed, ap, bp, ldb, expected, ldc);
        run(kernel, direct, a, bp, ldb, actual, ldc);
        Compare.assertBitwiseEqual(direct + " against the packed panel", expected, actual);
    }

    // the method call names, on kernel
    private static void run(MicroKernel kernel, Case call, float[] a, float[] bp, int ldb, float[] c, int ldc) {
        float[] tile = new float[kernel.mr() * kernel.nr()];
        if (call.directA && call.add) {
            kernel.computeAddDirectA(call.kc, a, call.aOff, call.lda(), bp, call.bOff, ldb, c, call.cOff, ldc);
        } else if (call.directA) {
            kernel.computeDirectA(call.kc, a, call.aOff, call.lda(), bp, call.bOff, ldb, c, call.cOff, ldc, call.cols,
                    call.alpha, call.beta, tile);
        } else if (call.add) {
            kernel.computeAdd(call.kc, a, call.aOff, bp, call.bOff, ldb, c, call.cOff, ldc);
        } else {
            kernel.compute(call.kc, a, call.aOff, bp, call.bOff, ldb, c, call.cOff, ldc, call.rows, call.cols,
                    call.alpha, call.beta, tile);
        }
    }

    @Property
    void referenceTileStaysWithinTheErrorBoundOfADoubleSum(@ForAll("calls") Case call) {
        MicroKernel kernel = TILES[call.tile];
        int mr = kernel.mr();
        int nr = kernel.nr();
        int ldb = nr + call.padB;
        int ldc = nr + call.padC;
        Random r = new Random(call.seed);
        float[] ap = random(r, call.aOff + call.kc * mr);
        float[] bp = random(r, call.bOff + (call.kc - 1) * ldb + nr);
        float[] c = random(r, call.cOff + (mr - 1) * ldc + nr);
        double[] expected = new double[c.length];
        double[] tolerance = new double[c.length];
        double unit = Math.ulp(1f);
        for (int at = 0; at < c.length; at++) {
            expected[at] = c[at];
        }
        for (int i = 0; i < call.rows; i++) {
            for (int j = 0; j < call.cols; j++) {
                double sum = 0;
                double magnitude = 0;
                for (int p = 0; p < call.kc; p++) {
                    double t = (double) ap[call.aOff + p * mr + i] * bp[call.bOff + p * ldb + j];
                    sum += t;
                    magnitude += Math.abs(t);
                }
                int at = call.cOff + i * ldc + j;
                expected[at] = call.alpha * sum + call.beta * (double) c[at];
                // kc roundings of the sum, then alpha and beta: gamma_(kc+2) times the terms' magnitude
                tolerance[at] = (call.kc + 2) * unit * (Math.abs(call.alpha) * magnitude
                        + Math.abs(call.beta * (double) c[at]));
            }
        }
        float[] actual = c.clone();
        new ReferenceTile(mr, nr).compute(call.kc, ap, call.aOff, bp, call.bOff, ldb, actual, call.cOff, ldc,
                call.rows, call.cols, call.alpha, call.beta, new float[mr * nr]);
        Compare.assertClose("ReferenceTile" + mr + "x" + nr + " for " + call, expected, actual, tolerance);
    }

    @Example
    void everyWidthHasATileForEveryRowCountTheTableNames() {
        Set<String> have = new HashSet<>();
        for (MicroKernel k : TILES) {
            have.add(k.vectorBits() + "/" + k.mr() + "x" + k.nr());
        }
        for (int bits : new int[] {128, 256, 512}) {
            for (int registers : new int[] {16, 32}) {
                TileTable.Row row = TileTable.lookup(bits, registers);
                int nr = 2 * bits / 32;
                assertTrue(have.contains(bits + "/" + row.gemmRows() + "x" + nr),
                        "no generated " + row.gemmRows() + "x" + nr + " tile for " + bits + " bits, " + registers
                                + " registers; generated: " + have);
                for (int edge : row.gemmEdgeRows()) {
                    assertTrue(have.contains(bits + "/" + edge + "x" + nr), "no edge tile " + edge + "x" + nr
                            + " for " + bits + " bits; generated: " + have);
                }
            }
        }
    }

    @Example
    void thisMachineRunsAGeneratedTileNotTheReference() {
        MicroKernel main = Tiles.main();
        assertEquals(Tuning.current().tiles().gemmRows(), main.mr(), "main tile rows");
        assertTrue(!(main instanceof ReferenceTile), "this machine's width (" + TileTable.describe(Tuning.current().tiles())
                + ") fell back to the reference tile");
    }

    private static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian());
        }
        return x;
    }
}
