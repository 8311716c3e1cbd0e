package lanes.tests.engine.conv;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.Random;
import lanes.engine.Simd;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The channel tiles' contract, for every tile in each of its generated forms (stepped, and Step1 / Step2 for rows
 * one or two floats apart), whatever this machine's register file: which form a kernel call takes depends on
 * {@code TileTable}'s "fixed" column, so the convolution properties alone reach only one form per machine. Each lane of a tile is a
 * sequential sum of fused multiply-adds over k, so the tile must equal that loop written with {@link Math#fma} bit
 * for bit:
 *
 * <pre>
 *   tile[r*NB + j] = sum_{k < kLen} src[base + r*step + off[k]] * w[wOff + k*NB + j]      NB = V * LANES
 * </pre>
 *
 * The arrays end exactly at the last element the formula reads, so a tile that reads past it fails too.
 */
class ChannelTilesContractProperties {
    private static final int LANES = Simd.LANES;
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    /** One call: tile shape and form (fixed = 0: stepped, else the fixed step), depth, step, offsets, seed. */
    record Case(int rows, int vectors, int fixed, int kLen, int step, int base, int wOff, long seed) {
        @Override
        public String toString() {
            return "tile" + rows + "x" + vectors + "v" + (fixed > 0 ? "Step" + fixed : "") + "(kLen=" + kLen
                    + ", step=" + step + ", base=" + base + ", wOff=" + wOff + ", seed=" + seed + ")";
        }
    }

    @Provide
    Arbitrary<Case> calls() {
        Arbitrary<Integer> rows = Arbitraries.integers().between(1, 12).edgeCases(e -> e.includeOnly(1, 12));
        Arbitrary<Integer> vectors = Arbitraries.integers().between(1, 2);
        Arbitrary<Integer> fixed = Arbitraries.of(0, 1, 2);
        Arbitrary<Integer> kLen = Arbitraries.integers().between(1, 30).edgeCases(e -> e.includeOnly(1, 30));
        Arbitrary<Integer> step = Arbitraries.integers().between(1, 9);
        Arbitrary<Integer> small = Arbitraries.integers().between(0, 7);
        return Combinators.combine(rows, vectors, fixed, kLen, step, small, small, Arbitraries.longs())
                .as((r, v, f, k, s, b, o, seed) -> new Case(r, v, f, k, f > 0 ? f : s, b, o, seed));
    }

    @Property(tries = 400)
    void everyChannelTileMatchesItsFusedMultiplyAddLoopBitForBit(@ForAll("calls") Case c) throws Throwable {
        int nb = c.vectors() * LANES;
        Random random = new Random(c.seed());
        int[] off = new int[c.kLen()];
        int maxOff = 0;
        for (int k = 0; k < off.length; k++) {
            off[k] = random.nextInt(60);
            maxOff = Math.max(maxOff, off[k]);
        }
        float[] src = new float[c.base() + (c.rows() - 1) * c.step() + maxOff + 1];
        for (int i = 0; i < src.length; i++) {
            src[i] = random.nextFloat() * 2f - 1f;
        }
        float[] w = new float[c.wOff() + c.kLen() * nb];
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextFloat() * 2f - 1f;
        }
        float[] tile = new float[c.rows() * nb];
        java.util.Arrays.fill(tile, Float.NaN);              // every element must be written

        MethodHandle h = tile(c.rows(), c.vectors(), c.fixed());
        if (c.fixed() > 0) {
            h.invoke(src, c.base(), off, c.kLen(), w, c.wOff(), tile);
        } else {
            h.invoke(src, c.base(), c.step(), off, c.kLen(), w, c.wOff(), tile);
        }

        for (int r = 0; r < c.rows(); r++) {
            for (int j = 0; j < nb; j++) {
                float sum = 0f;
                for (int k = 0; k < c.kLen(); k++) {
                    sum = Math.fma(src[c.base() + r * c.step() + off[k]], w[c.wOff() + k * nb + j], sum);
                }
                TileBits.assertSameBits(c, tile, r, j, nb, sum);
            }
        }
    }

    // ChannelTiles is package-private in the engine; the tests run on the class path, where its tiles can be opened.
    private static MethodHandle tile(int rows, int vectors, int fixed) throws ReflectiveOperationException {
        Class<?> tiles = Class.forName("lanes.engine.conv.ChannelTiles");
        String name = "tile" + rows + "x" + vectors + "v" + (fixed > 0 ? "Step" + fixed : "");
        var method = fixed > 0
                ? tiles.getDeclaredMethod(name, float[].class, int.class, int[].class, int.class, float[].class,
                        int.class, float[].class)
                : tiles.getDeclaredMethod(name, float[].class, int.class, int.class, int[].class, int.class,
                        float[].class, int.class, float[].class);
        method.setAccessible(true);
        return LOOKUP.unreflect(method);
    }
}
