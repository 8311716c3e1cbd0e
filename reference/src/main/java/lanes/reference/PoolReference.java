package lanes.reference;

import lanes.engine.pool.PoolSpec;

/**
 * Pooling written straight from its definition, in double precision: every window position of the padded input,
 * row-major, is visited and tested for being inside the input; padding never wins a max and adds zero to an
 * average. Arrays are dense row-major (N,C,H,W) and (N,C,OH,OW).
 */
public final class PoolReference {
    private PoolReference() {
    }

    /**
     * Max pooling: y, and the argmax within each (H,W) plane (first maximum; a NaN wins, a later NaN too).
     *
     * @param y      the maxima, exactly
     * @param argmax each maximum's index in its input plane
     */
    public record Max(double[] y, int[] argmax) {
    }

    /**
     * Max pooling of {@code x}: y and, per output, where its maximum lies.
     *
     * @param s the geometry
     * @param x the input, row-major
     * @return y, its bound and the argmax
     */
    public static Max maxForward(PoolSpec s, float[] x) {
        int outs = s.batch * s.channels * s.outH * s.outW;
        double[] y = new double[outs];
        int[] argmax = new int[outs];
        int o = 0;
        for (int p = 0; p < s.batch * s.channels; p++) {
            for (int oh = 0; oh < s.outH; oh++) {
                for (int ow = 0; ow < s.outW; ow++, o++) {
                    double max = Double.NEGATIVE_INFINITY;
                    int at = -1;
                    for (int kh = 0; kh < s.kernelH; kh++) {
                        for (int kw = 0; kw < s.kernelW; kw++) {
                            int ih = oh * s.strideH - s.padH + kh;
                            int iw = ow * s.strideW - s.padW + kw;
                            if (ih < 0 || ih >= s.inH || iw < 0 || iw >= s.inW) {
                                continue;
                            }
                            float v = x[(p * s.inH + ih) * s.inW + iw];
                            if (at < 0) {
                                at = ih * s.inW + iw;          // the window's first input element
                            }
                            if (v > max || Float.isNaN(v)) {
                                max = v;
                                at = ih * s.inW + iw;
                            }
                        }
                    }
                    y[o] = max;
                    argmax[o] = at;
                }
            }
        }
        return new Max(y, argmax);
    }

    /**
     * dy routed to argmax: dx and its error bound.
     *
     * @param s the geometry
     * @param dy the output gradient
     * @param argmax from {@link #maxForward}
     * @return dx and its bound
     */
    public static ConvReference.Result maxBackward(PoolSpec s, float[] dy, int[] argmax) {
        int plane = s.inH * s.inW;
        double[] dx = new double[s.batch * s.channels * plane];
        double[] mag = new double[dx.length];
        int[] count = new int[dx.length];
        int outPlane = s.outH * s.outW;
        for (int o = 0; o < dy.length; o++) {
            int i = o / outPlane * plane + argmax[o];
            dx[i] += dy[o];
            mag[i] += Math.abs(dy[o]);
            count[i]++;
        }
        return new ConvReference.Result(dx, bounds(mag, count));
    }

    /** The divisor of window (oh, ow), counted element by element. */
    static int divisor(PoolSpec s, int oh, int ow) {
        int n = 0;
        for (int kh = 0; kh < s.kernelH; kh++) {
            for (int kw = 0; kw < s.kernelW; kw++) {
                int ih = oh * s.strideH - s.padH + kh;
                int iw = ow * s.strideW - s.padW + kw;
                boolean inPadded = ih < s.inH + s.padH && iw < s.inW + s.padW;
                boolean inInput = ih >= 0 && ih < s.inH && iw >= 0 && iw < s.inW;
                if (s.countIncludePad ? inPadded : inInput) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Average pooling of {@code x}: y and its error bound.
     *
     * @param s the geometry
     * @param x the input, row-major
     * @return y and its bound
     */
    public static ConvReference.Result avgForward(PoolSpec s, float[] x) {
        double[] y = new double[s.batch * s.channels * s.outH * s.outW];
        double[] mag = new double[y.length];
        int[] count = new int[y.length];
        int o = 0;
        for (int p = 0; p < s.batch * s.channels; p++) {
            for (int oh = 0; oh < s.outH; oh++) {
                for (int ow = 0; ow < s.outW; ow++, o++) {
                    double sum = 0;
                    double abs = 0;
                    int terms = 0;
                    for (int kh = 0; kh < s.kernelH; kh++) {
                        for (int kw = 0; kw < s.kernelW; kw++) {
                            int ih = oh * s.strideH - s.padH + kh;
                            int iw = ow * s.strideW - s.padW + kw;
                            if (ih >= 0 && ih < s.inH && iw >= 0 && iw < s.inW) {
                                float v = x[(p * s.inH + ih) * s.inW + iw];
                                sum += v;
                                abs += Math.abs(v);
                                terms++;
                            }
                        }
                    }
                    int d = divisor(s, oh, ow);
                    y[o] = sum / d;
                    mag[o] = abs / d;
                    count[o] = terms + 1;                   // the sum's roundings and the division's
                }
            }
        }
        return new ConvReference.Result(y, bounds(mag, count));
    }

    /**
     * {@code dy} spread over each window's inputs: dx and its error bound.
     *
     * @param s the geometry
     * @param dy the output gradient, row-major
     * @return dx and its bound
     */
    public static ConvReference.Result avgBackward(PoolSpec s, float[] dy) {
        int plane = s.inH * s.inW;
        double[] dx = new double[s.batch * s.channels * plane];
        double[] mag = new double[dx.length];
        int[] count = new int[dx.length];
        int o = 0;
        for (int p = 0; p < s.batch * s.channels; p++) {
            for (int oh = 0; oh < s.outH; oh++) {
                for (int ow = 0; ow < s.outW; ow++, o++) {
                    double share = (double) dy[o] / divisor(s, oh, ow);
                    for (int kh = 0; kh < s.kernelH; kh++) {
                        for (int kw = 0; kw < s.kernelW; kw++) {
                            int ih = oh * s.strideH - s.padH + kh;
                            int iw = ow * s.strideW - s.padW + kw;
                            if (ih >= 0 && ih < s.inH && iw >= 0 && iw < s.inW) {
                                int i = p * plane + ih * s.inW + iw;
                                dx[i] += share;
                                mag[i] += Math.abs(share);
                                count[i] += 2;              // the division's rounding and the sum's
                            }
                        }
                    }
                }
            }
        }
        return new ConvReference.Result(dx, bounds(mag, count));
    }

    private static double[] bounds(double[] magnitude, int[] terms) {
        double[] t = new double[magnitude.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = Tolerance.dot(terms[i] + 1, magnitude[i]);
        }
        return t;
    }
}
