package lanes.engine.conv;

/**
 * Backward-data's kernel taps, phase by phase ({@link DirectBackwardData}): input rows (and columns) with the same
 * {@code (i + pad) mod stride} see the same kernel rows (columns), so phase (ph, pw) takes the taps
 * k' = (o, kh, kw) with {@code kh*dh = ph (mod sh)} and {@code kw*dw = pw (mod sw)}. Where each tap reads the
 * padded output gradient is given relative to the input position's own place in it. Depends only on the geometry,
 * so it is built once per geometry.
 *
 * <pre>
 *   start[q]           phase q's taps are k' in [start[q], start[q+1]) of the packed weights
 *   offsets[q][k]      tap k of phase q in (o, kh, kw) order, for channel tiles and panels
 *   rowOffsets[q][k]   the same taps in (kh, o, kw) order, for position tiles: kernel row j of the phase owns
 *                      k in [j*perRow[q], (j+1)*perRow[q]) and reads rowShift[q][j] gradient rows above
 * </pre>
 */
final class PhaseTaps {
    final int[] start;
    final int[][] offsets;
    final int[][] rowOffsets;
    final int[][] rowShift;
    final int[] perRow;

    PhaseTaps(ConvSpec s, int hq, int wq) {
        int sh = s.strideH;
        int sw = s.strideW;
        int og = s.outPerGroup();
        int phases = sh * sw;
        start = new int[phases + 1];
        offsets = new int[phases][];
        rowOffsets = new int[phases][];
        rowShift = new int[phases][];
        perRow = new int[phases];
        for (int ph = 0; ph < sh; ph++) {
            for (int pw = 0; pw < sw; pw++) {
                int q = ph * sw + pw;
                int rows = taps(s.kernelH, s.dilationH, sh, ph);
                int columns = taps(s.kernelW, s.dilationW, sw, pw);
                start[q + 1] = start[q] + og * rows * columns;
                perRow[q] = og * columns;
                int[] byChannel = new int[og * rows * columns];
                int[] byRow = new int[og * rows * columns];
                int[] shift = new int[rows];
                int k = 0;
                for (int o = 0; o < og; o++) {
                    int j = 0;
                    for (int kh = 0; kh < s.kernelH; kh++) {
                        if (kh * s.dilationH % sh != ph) {
                            continue;
                        }
                        int eh = (kh * s.dilationH - ph) / sh;
                        shift[j] = eh;
                        int c = 0;
                        for (int kw = 0; kw < s.kernelW; kw++) {
                            if (kw * s.dilationW % sw != pw) {
                                continue;
                            }
                            int ew = (kw * s.dilationW - pw) / sw;
                            int at = o * hq * wq - eh * wq - ew;
                            byChannel[k++] = at;
                            byRow[j * perRow[q] + o * columns + c++] = at;
                        }
                        j++;
                    }
                }
                offsets[q] = byChannel;
                rowOffsets[q] = byRow;
                rowShift[q] = shift;
            }
        }
    }

    /** Kernel taps {@code k} with {@code k*dilation = phase (mod stride)}. */
    static int taps(int kernel, int dilation, int stride, int phase) {
        int count = 0;
        for (int k = 0; k < kernel; k++) {
            if (k * dilation % stride == phase) {
                count++;
            }
        }
        return count;
    }
}
