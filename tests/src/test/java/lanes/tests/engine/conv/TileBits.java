package lanes.tests.engine.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The register-tile contracts' one assertion: a tile element has the bits of its fused multiply-add loop. */
final class TileBits {
    private TileBits() {
    }

    /**
     * Fails unless {@code tile[r*nb + j]} has the bits of {@code want}, naming the call, the element, both values and
     * their difference (the tolerance is 0: the same operations in the same order).
     */
    static void assertSameBits(Object call, float[] tile, int r, int j, int nb, float want) {
        int at = r * nb + j;
        float got = tile[at];
        assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got), () -> call + ": tile[" + at + "] (row " + r
                + ", column " + j + ") is " + got + ", the fma loop gives " + want + ", difference "
                + Math.abs(got - want) + "; tolerance 0 (the same operations in the same order)");
    }
}
