package lanes.reference;

import java.util.List;
import java.util.Random;
import lanes.engine.conv.ConvSpec;

/**
 * Convolution cases that the property tests and {@code lanes fuzz} both draw: the real layer shapes (wide channel
 * blocks, the vector edge, every tile row count) and random geometries from a seed (1-D or 2-D, stride, padding,
 * dilation, groups), so that a campaign and the default run cover the same ground.
 */
public final class ConvCases {
    /** Real layer shapes at batch 1..2. */
    public static final List<ConvSpec> LAYERS = List.of(
            ConvSpec.conv2d(2, 64, 12, 13, 64, 3, 3).withPadding(1),
            ConvSpec.conv2d(1, 64, 32, 32, 128, 3, 3).withStride(2).withPadding(1),
            ConvSpec.conv2d(2, 6, 14, 14, 16, 5, 5),
            ConvSpec.conv2d(2, 1, 28, 28, 6, 5, 5).withPadding(2),
            ConvSpec.conv2d(1, 40, 9, 11, 33, 3, 2).withStride(3, 2).withPadding(1, 2, 0, 1).withDilation(2, 1),
            ConvSpec.conv2d(2, 48, 10, 10, 48, 3, 3).withPadding(1).withGroups(48),
            ConvSpec.conv1d(2, 40, 100, 64, 5),
            ConvSpec.conv1d(1, 17, 57, 35, 4).withStride(3).withPadding(0, 0, 3, 1).withDilation(2));

    private ConvCases() {
    }

    /**
     * A random geometry drawn from {@code r}: one in three 1-D; any that has no output is drawn again.
     *
     * @param r the source
     * @return a geometry
     */
    public static ConvSpec random(Random r) {
        while (true) {
            try {
                return draw(r);
            } catch (IllegalArgumentException e) {
                // an output size below 1: draw again, from the same stream
            }
        }
    }

    private static ConvSpec draw(Random r) {
        int groups = 1 + (r.nextInt(4) == 0 ? r.nextInt(3) : 0);
        int c = groups * (1 + r.nextInt(8));
        int oc = groups * (1 + r.nextInt(r.nextBoolean() ? 4 : 20));
        int batch = 1 + r.nextInt(4);
        int kw = 1 + r.nextInt(7);
        int sw = 1 + r.nextInt(r.nextBoolean() ? 1 : 4);
        int dw = 1 + (r.nextInt(4) == 0 ? r.nextInt(3) : 0);
        int w = 1 + r.nextInt(40);
        int pl = r.nextInt(kw);
        int pr = r.nextInt(kw);
        if (r.nextInt(3) == 0) {
            return ConvSpec.conv1d(batch, c, w, oc, kw, sw, pl, pr, dw, groups);
        }
        int kh = 1 + r.nextInt(7);
        int sh = 1 + r.nextInt(r.nextBoolean() ? 1 : 4);
        int dh = 1 + (r.nextInt(4) == 0 ? r.nextInt(3) : 0);
        int h = 1 + r.nextInt(40);
        return ConvSpec.conv2d(batch, c, h, w, oc, kh, kw, sh, sw, r.nextInt(kh), r.nextInt(kh), pl, pr, dh, dw,
                groups);
    }
}
