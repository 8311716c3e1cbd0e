package lanes.reference;

import java.util.Random;
import lanes.engine.pool.PoolSpec;

/**
 * Pooling geometries that the property tests and {@code lanes fuzz} both draw from a seed: windows of 1 to 4,
 * strides of 1 to 3, padding up to half the window, ceil mode and count_include_pad either way.
 */
public final class PoolCases {
    private PoolCases() {
    }

    /**
     * A 2-D geometry drawn from {@code r} (any without an output is drawn again, from the same stream).
     *
     * @param r the source
     * @return a geometry
     */
    public static PoolSpec random(Random r) {
        while (true) {
            try {
                int k = 1 + r.nextInt(4);
                int stride = 1 + r.nextInt(3);
                int pad = r.nextInt(k / 2 + 1);
                return PoolSpec.pool2d(1 + r.nextInt(3), 1 + r.nextInt(5), k + r.nextInt(30), k + r.nextInt(30), k, k,
                        stride, stride, pad, pad, r.nextBoolean(), r.nextBoolean());
            } catch (IllegalArgumentException e) {
                // no output at this geometry: draw again
            }
        }
    }
}
