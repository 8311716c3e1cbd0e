package lanes.bench.conv;

import java.util.Arrays;
import lanes.engine.conv.ConvSpec;
import lanes.engine.gemm.Gemm;

/**
 * The textbook baseline the direct kernels are measured against: im2col (one column per output position) followed
 * by a Lanes SGEMM, one image and group at a time, on contiguous NCHW arrays.
 *
 * <pre>
 *   col (K, P)        K = C/g * KH * KW, P = OH * OW
 *   forward           y_g (OC/g, P)  = w_g (OC/g, K) col
 *   backward-data     colGrad (K, P) = w_g^T dy_g,         dx += col2im(colGrad)
 *   backward-weights  dw_g (OC/g, K) += dy_g col^T,        db += row sums of dy_g
 * </pre>
 */
public final class Im2colConv {
    private final ConvSpec s;
    private final int threads;
    private final float[] col;
    private final int k;
    private final int p;

    /** A baseline for {@code spec}, with its column buffer, running its GEMMs on up to {@code threads} threads. */
    public Im2colConv(ConvSpec spec, int threads) {
        this.s = spec;
        this.threads = threads;
        this.k = spec.inPerGroup() * spec.kernelH * spec.kernelW;
        this.p = spec.outH * spec.outW;
        this.col = new float[k * p];
    }

    // x (N,C,H,W), w (OC,C/g,KH,KW), bias (OC) or null -> y (N,OC,OH,OW)
    public void forward(float[] y, float[] x, float[] w, float[] bias) {
        int og = s.outPerGroup();
        for (int n = 0; n < s.batch; n++) {
            for (int g = 0; g < s.groups; g++) {
                im2col(x, n, g);
                int yOff = (n * s.outChannels + g * og) * p;
                Gemm.sgemm(false, false, og, p, k, 1f, w, g * og * k, k, col, 0, p, 0f, y, yOff, p, null, threads);
                if (bias != null) {
                    for (int o = 0; o < og; o++) {
                        float b = bias[g * og + o];
                        for (int i = 0; i < p; i++) {
                            y[yOff + o * p + i] += b;
                        }
                    }
                }
            }
        }
    }

    // dy (N,OC,OH,OW), w -> dx (N,C,H,W) +=
    public void backwardData(float[] dx, float[] dy, float[] w) {
        int og = s.outPerGroup();
        for (int n = 0; n < s.batch; n++) {
            for (int g = 0; g < s.groups; g++) {
                Gemm.sgemm(true, false, k, p, og, 1f, w, g * og * k, k, dy, (n * s.outChannels + g * og) * p, p, 0f,
                        col, 0, p, null, threads);
                col2im(dx, n, g);
            }
        }
    }

    // dy (N,OC,OH,OW), x -> dw (OC,C/g,KH,KW) +=, db (OC) +=
    public void backwardWeights(float[] dw, float[] db, float[] dy, float[] x) {
        int og = s.outPerGroup();
        for (int n = 0; n < s.batch; n++) {
            for (int g = 0; g < s.groups; g++) {
                im2col(x, n, g);
                int dyOff = (n * s.outChannels + g * og) * p;
                Gemm.sgemm(false, true, og, k, p, 1f, dy, dyOff, p, col, 0, p, 1f, dw, g * og * k, k, null, threads);
                for (int o = 0; o < og; o++) {
                    float sum = 0f;
                    for (int i = 0; i < p; i++) {
                        sum += dy[dyOff + o * p + i];
                    }
                    db[g * og + o] += sum;
                }
            }
        }
    }

    private void im2col(float[] x, int n, int g) {
        int cg = s.inPerGroup();
        int row = 0;
        for (int c = 0; c < cg; c++) {
            int plane = (n * s.inChannels + g * cg + c) * s.inH * s.inW;
            for (int kh = 0; kh < s.kernelH; kh++) {
                for (int kw = 0; kw < s.kernelW; kw++, row++) {
                    int dst = row * p;
                    for (int oh = 0; oh < s.outH; oh++) {
                        int ih = oh * s.strideH + kh * s.dilationH - s.padTop;
                        if (ih < 0 || ih >= s.inH) {
                            Arrays.fill(col, dst + oh * s.outW, dst + (oh + 1) * s.outW, 0f);
                            continue;
                        }
                        for (int ow = 0; ow < s.outW; ow++) {
                            int iw = ow * s.strideW + kw * s.dilationW - s.padLeft;
                            col[dst + oh * s.outW + ow] = iw < 0 || iw >= s.inW ? 0f : x[plane + ih * s.inW + iw];
                        }
                    }
                }
            }
        }
    }

    private void col2im(float[] dx, int n, int g) {
        int cg = s.inPerGroup();
        int row = 0;
        for (int c = 0; c < cg; c++) {
            int plane = (n * s.inChannels + g * cg + c) * s.inH * s.inW;
            for (int kh = 0; kh < s.kernelH; kh++) {
                for (int kw = 0; kw < s.kernelW; kw++, row++) {
                    int src = row * p;
                    for (int oh = 0; oh < s.outH; oh++) {
                        int ih = oh * s.strideH + kh * s.dilationH - s.padTop;
                        if (ih < 0 || ih >= s.inH) {
                            continue;
                        }
                        for (int ow = 0; ow < s.outW; ow++) {
                            int iw = ow * s.strideW + kw * s.dilationW - s.padLeft;
                            if (iw >= 0 && iw < s.inW) {
                                dx[plane + ih * s.inW + iw] += col[src + oh * s.outW + ow];
                            }
                        }
                    }
                }
            }
        }
    }
}
