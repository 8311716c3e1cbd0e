package lanes.engine.conv;

import static lanes.engine.Simd.LANES;
import static lanes.engine.Simd.SPECIES;
import static lanes.engine.conv.ConvBlocks.BLOCK;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import lanes.engine.Simd;
import lanes.engine.tune.Tuning;

/**
 * One thread's scratch for the direct convolution passes: the zero-padded image, the tile, tap offsets, packed
 * weights and weight-gradient partials, grown as needed and reused, so that a warm call allocates nothing.
 */
final class ConvScratch {
    /** Numbers each kernel call, so that a padded image is never reused across calls (its source may change). */
    private static final AtomicLong CALLS = new AtomicLong();
    private static final ThreadLocal<ConvScratch> MINE = ThreadLocal.withInitial(ConvScratch::new);

    /** This thread's scratch. */
    static ConvScratch get() {
        return MINE.get();
    }

    /** A new call's number (see {@link #padImage}). */
    static long nextCall() {
        return CALLS.incrementAndGet();
    }

    float[] image = new float[0];
    float[] packed = new float[0];
    float[] stage = new float[0];
    float[] tile = new float[Tuning.current().tiles().maxConvRows() * BLOCK];   // the largest tile's rows
    float[] transposed = new float[LANES * LANES];
    float[] panel = new float[0];
    float[] panelTile = new float[PanelTiles.maxRows() * BLOCK];  // the micro-kernel's write-back of a short tile
    int[] panelRuns = new int[2 * PanelTiles.maxRows()];           // a panel's runs of positions (PanelTiles.pack)
    int[] off = new int[0];
    // the image held in `image` (call, n, tag), so that consecutive parts of one image pad it once
    private long imageCall = -1;
    private int imageN = -1;
    private int imageG = -1;
    // the layout whose borders (and slack) `image` holds as zeros, and the buffer they were zeroed in
    private final int[] layout = new int[7];     // channels, h, w, top, bottom, left, right
    private float[] zeroedImage;
    // the tap offsets of the last geometry asked for
    private int[] taps = new int[0];
    private ConvSpec tapSpec;
    private int tapChannels;
    private int tapH;
    private int tapW;
    // the calling thread's per-call buffers: packed weights and weight-gradient partials (zeroed on loan),
    // and the stride-phase tables of the last backward-data geometry
    float[] weights = new float[0];
    float[] partial = new float[0];
    ConvSpec phaseSpec;
    PhaseTaps phaseTaps;

    float[] weights(int size) {
        if (weights.length < size) {
            weights = new float[size];
        } else {
            Arrays.fill(weights, 0, size, 0f);
        }
        return weights;
    }

    float[] partial(int size) {
        if (partial.length < size) {
            partial = new float[size];
        } else {
            Arrays.fill(partial, 0, size, 0f);
        }
        return partial;
    }

    float[] image(int size) {
        if (image.length < size) {
            image = new float[size];
        }
        return image;
    }

    float[] packed(int size) {
        if (packed.length < size) {
            packed = new float[size];
        }
        return packed;
    }

    float[] panel(int size) {
        if (panel.length < size) {
            panel = new float[size];
        }
        return panel;
    }

    float[] stage(int size) {
        if (stage.length < size) {
            stage = new float[size];
        }
        return stage;
    }

    int[] off(int size) {
        if (off.length < size) {
            off = new int[size];
        }
        return off;
    }

    /**
     * off[k] for k = (c, kh, kw): where tap k of channel c sits in a padded image of hp x wp planes. Kept until the
     * geometry changes: every image of a call, and every call of a layer, asks for the same table.
     */
    int[] tapOffsets(ConvSpec s, int cg, int hp, int wp) {
        if (s == tapSpec && cg == tapChannels && hp == tapH && wp == tapW) {
            return taps;
        }
        int size = cg * s.kernelH * s.kernelW;
        if (taps.length < size) {
            taps = new int[size];
        }
        int k = 0;
        for (int c = 0; c < cg; c++) {
            for (int kh = 0; kh < s.kernelH; kh++) {
                for (int kw = 0; kw < s.kernelW; kw++) {
                    taps[k++] = c * hp * wp + kh * s.dilationH * wp + kw * s.dilationW;
                }
            }
        }
        tapSpec = s;         // specs are immutable: the same object means the same geometry
        tapChannels = cg;
        tapH = hp;
        tapW = wp;
        return taps;
    }

    /**
     * Copies {@code channels} planes of {@code h x w} from {@code src[srcOff..]} into the thread's image scratch
     * with the given zero borders, unless the scratch already holds that image (same call, n and tag).
     */
    float[] padImage(long call, float[] src, int srcOff, int channels, int h, int w, int top, int bottom, int left,
                     int right, int n, int tag) {
        int hp = h + top + bottom;
        int wp = w + left + right;
        int size = channels * hp * wp;
        float[] dst = image(size + BLOCK);        // slack: position tiles read whole vectors past a row's end
        if (imageCall == call && imageN == n && imageG == tag) {
            return dst;
        }
        // the interior is overwritten below and nothing writes the borders, so they need zeroing only when the
        // layout changes (or the buffer was reallocated)
        int[] layout = this.layout;
        if (zeroedImage != dst || layout[0] != channels || layout[1] != h || layout[2] != w || layout[3] != top
                || layout[4] != bottom || layout[5] != left || layout[6] != right) {
            Arrays.fill(dst, 0, size + BLOCK, 0f);
            layout[0] = channels;
            layout[1] = h;
            layout[2] = w;
            layout[3] = top;
            layout[4] = bottom;
            layout[5] = left;
            layout[6] = right;
            zeroedImage = dst;
        }
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < h; i++) {
                int from = srcOff + (c * h + i) * w;
                int to = (c * hp + i + top) * wp + left;
                // rows are short (10..100): vector copies beat a System.arraycopy call per row, and whole vectors
                // with one masked tail run at twice the speed of a mask on every vector
                int j = 0;
                for (; j < Simd.loopBound(w); j += LANES) {
                    FloatVector.fromArray(SPECIES, src, from + j).intoArray(dst, to + j);
                }
                if (j < w) {
                    if (Simd.fits(from + j, src.length)) {
                        VectorMask<Float> m = SPECIES.indexInRange(j, w);
                        FloatVector.fromArray(SPECIES, src, from + j, m).intoArray(dst, to + j, m);
                    } else {
                        System.arraycopy(src, from + j, dst, to + j, w - j);
                    }
                }
            }
        }
        imageCall = call;
        imageN = n;
        imageG = tag;
        return dst;
    }
}
