package lanes.reference;

/** Error bounds derived from floating-point error analysis, so that no test carries a magic constant. */
public final class Tolerance {
    /** Unit roundoff of float: half an ulp of 1, 2^-24. */
    public static final double U = 0x1p-24;

    private Tolerance() {
    }

    /**
     * gamma_n = n*u / (1 - n*u): the relative bound of a sum of n terms in any order (Higham, Accuracy and
     * Stability of Numerical Algorithms, 3.1), with or without fused multiply-adds.
     *
     * @param n the number of terms
     * @return gamma_n
     */
    public static double gamma(long n) {
        double nu = n * U;
        if (nu >= 0.5) {
            throw new IllegalArgumentException("gamma: n = " + n + " is too long for a float error bound");
        }
        return nu / (1 - nu);
    }

    /**
     * Bound on |computed - exact| for a dot product of length n whose products sum to {@code magnitude} in absolute
     * value.
     *
     * @param n the length
     * @param magnitude sum of |x_i y_i|
     * @return the bound
     */
    public static double dot(long n, double magnitude) {
        return gamma(n) * magnitude + Float.MIN_VALUE * n;
    }
}
