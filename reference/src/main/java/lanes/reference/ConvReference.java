package lanes.reference;

import lanes.engine.conv.ConvSpec;

/**
 * Convolution written straight from its definition: the lecture's seven-deep loop nest, in double precision, never
 * optimised. Each method also returns, per output element, the sum of the absolute values of its terms and the
 * number of terms, from which {@link Tolerance#dot} bounds the error of any float implementation.
 *
 * <pre>
 *   y[n,o,oh,ow] = b[o] + sum_{c,kh,kw} w[o,c,kh,kw] * x[n, g*C/G + c, oh*sh + kh*dh - pt, ow*sw + kw*dw - pl]
 * </pre>
 *
 * All arrays are dense row-major (N,C,H,W), (OC,C/G,KH,KW), (N,OC,OH,OW); 1-D specs have H = KH = 1.
 */
public final class ConvReference {
    private ConvReference() {
    }

    /**
     * A result with its error bound per element.
     *
     * @param value     the exact result, in double
     * @param tolerance the error bound of a float computation, per element
     */
    public record Result(double[] value, double[] tolerance) {
    }

    /**
     * x, w, bias (or null) -> y.
     *
     * @param s the geometry
     * @param x the input, row-major
     * @param w the weights, row-major
     * @param bias the bias or null
     * @return the result and its error bound per element
     */
    public static Result forward(ConvSpec s, float[] x, float[] w, float[] bias) {
        double[] y = new double[s.batch * s.outChannels * s.outH * s.outW];
        double[] mag = new double[y.length];
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        for (int n = 0; n < s.batch; n++) {
            for (int o = 0; o < s.outChannels; o++) {
                int g = o / og;
                for (int oh = 0; oh < s.outH; oh++) {
                    for (int ow = 0; ow < s.outW; ow++) {
                        double sum = bias == null ? 0 : bias[o];
                        double abs = Math.abs(sum);
                        for (int c = 0; c < cg; c++) {
                            for (int kh = 0; kh < s.kernelH; kh++) {
                                for (int kw = 0; kw < s.kernelW; kw++) {
                                    int ih = oh * s.strideH + kh * s.dilationH - s.padTop;
                                    int iw = ow * s.strideW + kw * s.dilationW - s.padLeft;
                                    if (ih < 0 || ih >= s.inH || iw < 0 || iw >= s.inW) {
                                        continue;
                                    }
                                    double term = (double) w[wIndex(s, o, c, kh, kw)]
                                            * x[xIndex(s, n, g * cg + c, ih, iw)];
                                    sum += term;
                                    abs += Math.abs(term);
                                }
                            }
                        }
                        int i = yIndex(s, n, o, oh, ow);
                        y[i] = sum;
                        mag[i] = abs;
                    }
                }
            }
        }
        return new Result(y, tolerances(mag, cg * s.kernelH * s.kernelW + 1));
    }

    /**
     * dy, w -> dx = conv^T(dy, w): every forward term w*x, with x replaced by dy's contribution to it.
     *
     * @param s the geometry
     * @param dy the output gradient, row-major
     * @param w the weights, row-major
     * @return the result and its error bound per element
     */
    public static Result backwardData(ConvSpec s, float[] dy, float[] w) {
        double[] dx = new double[s.batch * s.inChannels * s.inH * s.inW];
        double[] mag = new double[dx.length];
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        for (int n = 0; n < s.batch; n++) {
            for (int o = 0; o < s.outChannels; o++) {
                int g = o / og;
                for (int oh = 0; oh < s.outH; oh++) {
                    for (int ow = 0; ow < s.outW; ow++) {
                        for (int c = 0; c < cg; c++) {
                            for (int kh = 0; kh < s.kernelH; kh++) {
                                for (int kw = 0; kw < s.kernelW; kw++) {
                                    int ih = oh * s.strideH + kh * s.dilationH - s.padTop;
                                    int iw = ow * s.strideW + kw * s.dilationW - s.padLeft;
                                    if (ih < 0 || ih >= s.inH || iw < 0 || iw >= s.inW) {
                                        continue;
                                    }
                                    double term = (double) w[wIndex(s, o, c, kh, kw)] * dy[yIndex(s, n, o, oh, ow)];
                                    int i = xIndex(s, n, g * cg + c, ih, iw);
                                    dx[i] += term;
                                    mag[i] += Math.abs(term);
                                }
                            }
                        }
                    }
                }
            }
        }
        return new Result(dx, tolerances(mag, og * s.kernelH * s.kernelW));
    }

    /**
     * dy, x -> dw (OC,C/G,KH,KW) followed by db (OC): the sums over the batch and all positions.
     *
     * @param s the geometry
     * @param dy the output gradient, row-major
     * @param x the input, row-major
     * @return the result and its error bound per element
     */
    public static Result backwardWeights(ConvSpec s, float[] dy, float[] x) {
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        int wSize = s.outChannels * cg * s.kernelH * s.kernelW;
        double[] dw = new double[wSize + s.outChannels];
        double[] mag = new double[dw.length];
        for (int n = 0; n < s.batch; n++) {
            for (int o = 0; o < s.outChannels; o++) {
                int g = o / og;
                for (int oh = 0; oh < s.outH; oh++) {
                    for (int ow = 0; ow < s.outW; ow++) {
                        double d = dy[yIndex(s, n, o, oh, ow)];
                        dw[wSize + o] += d;
                        mag[wSize + o] += Math.abs(d);
                        for (int c = 0; c < cg; c++) {
                            for (int kh = 0; kh < s.kernelH; kh++) {
                                for (int kw = 0; kw < s.kernelW; kw++) {
                                    int ih = oh * s.strideH + kh * s.dilationH - s.padTop;
                                    int iw = ow * s.strideW + kw * s.dilationW - s.padLeft;
                                    if (ih < 0 || ih >= s.inH || iw < 0 || iw >= s.inW) {
                                        continue;
                                    }
                                    double term = d * x[xIndex(s, n, g * cg + c, ih, iw)];
                                    int i = wIndex(s, o, c, kh, kw);
                                    dw[i] += term;
                                    mag[i] += Math.abs(term);
                                }
                            }
                        }
                    }
                }
            }
        }
        return new Result(dw, tolerances(mag, (long) s.batch * s.outH * s.outW));
    }

    private static double[] tolerances(double[] magnitude, long terms) {
        double[] t = new double[magnitude.length];
        for (int i = 0; i < t.length; i++) {
            // one rounding to float of the result on top of the sum's bound
            t[i] = Tolerance.dot(terms + 1, magnitude[i]);
        }
        return t;
    }

    static int xIndex(ConvSpec s, int n, int c, int h, int w) {
        return ((n * s.inChannels + c) * s.inH + h) * s.inW + w;
    }

    static int wIndex(ConvSpec s, int o, int c, int kh, int kw) {
        return ((o * s.inPerGroup() + c) * s.kernelH + kh) * s.kernelW + kw;
    }

    static int yIndex(ConvSpec s, int n, int o, int h, int w) {
        return ((n * s.outChannels + o) * s.outH + h) * s.outW + w;
    }
}
