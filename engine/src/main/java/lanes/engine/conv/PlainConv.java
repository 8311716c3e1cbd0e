package lanes.engine.conv;

import lanes.engine.gemm.Epilogue;

/**
 * The plain path of the three convolution passes ({@code -Dlanes.scalar=true}): the definition's loop nest over
 * dense arrays, one fma chain per result in the order the loops name, no Vector API code. {@link Conv} calls it
 * in place of the direct kernels; it is slow, and it is there to debug with and for a JVM whose Vector API is slow.
 *
 * <pre>
 *   y[n,o,oh,ow] = b[o] + sum_{c,kh,kw} w[o,c,kh,kw] * x[n, g*C/G + c, oh*sh + kh*dh - pt, ow*sw + kw*dw - pl]
 * </pre>
 *
 * Arrays are dense row-major (N,C,H,W), (OC,C/G,KH,KW), (N,OC,OH,OW); a 1-D spec has H = KH = 1.
 */
final class PlainConv {
    private PlainConv() {
    }

    // x (N,C,H,W), w (OC,C/G,KH,KW), bias (OC) or null -> y (N,OC,OH,OW), then the epilogue on each image's
    // OC x (OH*OW) matrix
    static void forward(ConvSpec s, float[] y, int yOff, float[] x, int xOff, float[] w, int wOff, float[] bias,
                        int bOff, Epilogue epilogue) {
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        int plane = s.outH * s.outW;
        for (int n = 0; n < s.batch; n++) {
            for (int o = 0; o < s.outChannels; o++) {
                int c0 = o / og * cg;
                for (int oh = 0; oh < s.outH; oh++) {
                    for (int ow = 0; ow < s.outW; ow++) {
                        float sum = 0f;
                        for (int c = 0; c < cg; c++) {
                            for (int kh = 0; kh < s.kernelH; kh++) {
                                int ih = oh * s.strideH + kh * s.dilationH - s.padTop;
                                if (ih < 0 || ih >= s.inH) {
                                    continue;
                                }
                                for (int kw = 0; kw < s.kernelW; kw++) {
                                    int iw = ow * s.strideW + kw * s.dilationW - s.padLeft;
                                    if (iw >= 0 && iw < s.inW) {
                                        sum = Math.fma(w[wOff + weight(s, o, c, kh, kw)],
                                                x[xOff + input(s, n, c0 + c, ih, iw)], sum);
                                    }
                                }
                            }
                        }
                        y[yOff + (n * s.outChannels + o) * plane + oh * s.outW + ow] =
                                bias == null ? sum : sum + bias[bOff + o];
                    }
                }
            }
            if (epilogue != null) {
                epilogue.apply(y, yOff + n * s.outChannels * plane, plane, 0, 0, s.outChannels, plane);
            }
        }
    }

    // dy (N,OC,OH,OW), w (OC,C/G,KH,KW) -> dx (N,C,H,W) +=: each forward term w*x gives dx its w*dy
    static void backwardData(ConvSpec s, float[] dx, int dxOff, float[] dy, int dyOff, float[] w, int wOff) {
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        for (int n = 0; n < s.batch; n++) {
            for (int o = 0; o < s.outChannels; o++) {
                int c0 = o / og * cg;
                for (int oh = 0; oh < s.outH; oh++) {
                    for (int ow = 0; ow < s.outW; ow++) {
                        float g = dy[dyOff + output(s, n, o, oh, ow)];
                        for (int c = 0; c < cg; c++) {
                            for (int kh = 0; kh < s.kernelH; kh++) {
                                int ih = oh * s.strideH + kh * s.dilationH - s.padTop;
                                if (ih < 0 || ih >= s.inH) {
                                    continue;
                                }
                                for (int kw = 0; kw < s.kernelW; kw++) {
                                    int iw = ow * s.strideW + kw * s.dilationW - s.padLeft;
                                    if (iw >= 0 && iw < s.inW) {
                                        int i = dxOff + input(s, n, c0 + c, ih, iw);
                                        dx[i] = Math.fma(w[wOff + weight(s, o, c, kh, kw)], g, dx[i]);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // dy (N,OC,OH,OW), x (N,C,H,W) -> dw (OC,C/G,KH,KW) +=, db (OC) += (db may be null)
    static void backwardWeights(ConvSpec s, float[] dw, int dwOff, float[] db, int dbOff, float[] dy, int dyOff,
                                float[] x, int xOff) {
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        for (int o = 0; o < s.outChannels; o++) {
            int c0 = o / og * cg;
            for (int c = 0; c < cg; c++) {
                for (int kh = 0; kh < s.kernelH; kh++) {
                    for (int kw = 0; kw < s.kernelW; kw++) {
                        float sum = 0f;
                        for (int n = 0; n < s.batch; n++) {
                            for (int oh = 0; oh < s.outH; oh++) {
                                int ih = oh * s.strideH + kh * s.dilationH - s.padTop;
                                if (ih < 0 || ih >= s.inH) {
                                    continue;
                                }
                                for (int ow = 0; ow < s.outW; ow++) {
                                    int iw = ow * s.strideW + kw * s.dilationW - s.padLeft;
                                    if (iw >= 0 && iw < s.inW) {
                                        sum = Math.fma(dy[dyOff + output(s, n, o, oh, ow)],
                                                x[xOff + input(s, n, c0 + c, ih, iw)], sum);
                                    }
                                }
                            }
                        }
                        dw[dwOff + weight(s, o, c, kh, kw)] += sum;
                    }
                }
            }
            if (db != null) {
                float sum = 0f;
                for (int n = 0; n < s.batch; n++) {
                    for (int p = 0; p < s.outH * s.outW; p++) {
                        sum += dy[dyOff + (n * s.outChannels + o) * s.outH * s.outW + p];
                    }
                }
                db[dbOff + o] += sum;
            }
        }
    }

    private static int input(ConvSpec s, int n, int c, int h, int w) {
        return ((n * s.inChannels + c) * s.inH + h) * s.inW + w;
    }

    private static int weight(ConvSpec s, int o, int c, int kh, int kw) {
        return ((o * s.inPerGroup() + c) * s.kernelH + kh) * s.kernelW + kw;
    }

    private static int output(ConvSpec s, int n, int o, int oh, int ow) {
        return ((n * s.outChannels + o) * s.outH + oh) * s.outW + ow;
    }
}
