package lanes.tests.engine.conv;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.Arrays;
import java.util.Random;
import lanes.engine.Simd;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The sliding-window tiles' contract, for every generated tile (rows 1 to 12, kernel widths 3, 5 and 7), whatever
 * this machine's register file lets the forward pass run: each lane is the channel tile's sequential sum of fused
 * multiply-adds over the taps (c, kh, kw) in order, so the tile must equal that loop written with {@link Math#fma}
 * bit for bit:
 *
 * <pre>
 *   tile[r*LANES + j] = sum_{q < kRows} sum_{kw < W} src[base + off[q*W] + r + kw] * w[wOff + (q*W + kw)*LANES + j]
 * </pre>
 *
 * The arrays end exactly at the last element the formula reads, so a tile that reads past it fails too.
 */
class WindowTilesContractProperties {
    private static final int LANES = Simd.LANES;
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    /** One call: tile rows, kernel width, kernel rows, offsets, seed. */
    record Case(int rows, int kernelW, int kRows, int base, int wOff, long seed) {
        @Override
        public String toString() {
            return "tile" + rows + "x1vKw" + kernelW + "(kRows=" + kRows + ", base=" + base + ", wOff=" + wOff
                    + ", seed=" + seed + ")";
        }
    }

    @Provide
    Arbitrary<Case> calls() {
        Arbitrary<Integer> rows = Arbitraries.integers().between(1, 12).edgeCases(e -> e.includeOnly(1, 12));
        Arbitrary<Integer> kernelW = Arbitraries.of(3, 5, 7);
        Arbitrary<Integer> kRows = Arbitraries.integers().between(1, 12).edgeCases(e -> e.includeOnly(1, 12));
        Arbitrary<Integer> small = Arbitraries.integers().between(0, 7);
        return Combinators.combine(rows, kernelW, kRows, small, small, Arbitraries.longs()).as(Case::new);
    }

    @Property(tries = 300)
    void everyWindowTileMatchesTheChannelTilesFusedMultiplyAddLoopBitForBit(@ForAll("calls") Case c)
            throws Throwable {
        int kw = c.kernelW();
        Random random = new Random(c.seed());
        int[] off = new int[c.kRows() * kw];
        int maxOff = 0;
        for (int q = 0; q < c.kRows(); q++) {
            off[q * kw] = random.nextInt(60);
            maxOff = Math.max(maxOff, off[q * kw]);
            for (int t = 1; t < kw; t++) {
                off[q * kw + t] = -1;                     // the tile reads only each kernel row's first offset
            }
        }
        float[] src = new float[c.base() + maxOff + c.rows() + kw - 1];
        for (int i = 0; i < src.length; i++) {
            src[i] = random.nextFloat() * 2f - 1f;
        }
        float[] w = new float[c.wOff() + c.kRows() * kw * LANES];
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextFloat() * 2f - 1f;
        }
        float[] tile = new float[c.rows() * LANES];
        Arrays.fill(tile, Float.NaN);                      // every element must be written

        tile(c.rows(), kw).invoke(src, c.base(), off, c.kRows(), w, c.wOff(), tile);

        for (int r = 0; r < c.rows(); r++) {
            for (int j = 0; j < LANES; j++) {
                float sum = 0f;
                for (int q = 0; q < c.kRows(); q++) {
                    for (int t = 0; t < kw; t++) {
                        sum = Math.fma(src[c.base() + off[q * kw] + r + t], w[c.wOff() + (q * kw + t) * LANES + j],
                                sum);
                    }
                }
                TileBits.assertSameBits(c, tile, r, j, LANES, sum);
            }
        }
    }

    // WindowTiles is package-private in the engine; the tests run on the class path, where its tiles can be opened.
    private static MethodHandle tile(int rows, int kernelW) throws ReflectiveOperationException {
        var method = Class.forName("lanes.engine.conv.WindowTiles").getDeclaredMethod("tile" + rows + "x1vKw"
                + kernelW, float[].class, int.class, int[].class, int.class, float[].class, int.class, float[].class);
        method.setAccessible(true);
        return LOOKUP.unreflect(method);
    }
}
