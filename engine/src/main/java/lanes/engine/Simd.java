package lanes.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import lanes.engine.tune.Tuning;

/**
 * The one vector shape every kernel uses: the widest the hardware prefers (256 bits, 8 floats, on AVX2; 512 bits
 * on AVX-512). Held in {@code static final} fields so that C2 treats it as a constant.
 */
public final class Simd {
    /** {@link FloatVector#SPECIES_PREFERRED}. */
    public static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector. */
    public static final int LANES = SPECIES.length();
    /**
     * {@code -Dlanes.scalar=true} ({@link Tuning#scalar()}): every vector loop ends before it starts
     * ({@link #loopBound}) and no whole vector {@link #fits}, so each kernel runs its scalar code.
     */
    public static final boolean SCALAR = Tuning.current().scalar();

    private Simd() {
    }

    /**
     * True where a whole vector from {@code offset} lies inside an array of {@code length}. Masked loads and stores
     * are only fast there: one that reaches past the array's end (even with those lanes masked off) takes the
     * JDK's checked path, which is slow and allocates. Kernels test this for a row's last vector and finish the
     * row in scalar code where it fails. Always false under {@code lanes.scalar}.
     *
     * @param offset index of the vector's first lane
     * @param length the array's length
     * @return true if the whole vector lies inside
     */
    public static boolean fits(int offset, int length) {
        return !SCALAR && offset <= length - LANES;
    }

    /**
     * The end of the vector part of a loop over {@code n} elements, as in the one canonical vector loop
     * {@code for (i = 0; i < loopBound(n); i += LANES) ...vector...; for (; i < n; i++) ...scalar tail...}:
     * {@code SPECIES.loopBound(n)}, or 0 under {@code lanes.scalar}, where the tail does all.
     *
     * @param n elements
     * @return the largest multiple of {@link #LANES} at most n, or 0
     */
    public static int loopBound(int n) {
        return SCALAR ? 0 : SPECIES.loopBound(n);
    }
}
