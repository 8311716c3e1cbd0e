package lanes.app.studio;

/**
 * A drawing made like MNIST's digits: the ink's bounding box scaled (area-averaged) so that its longer side is
 * 20/28 of the image, then placed so that its centre of mass is the image's centre.
 */
final class Digit {
    private Digit() {
    }

    // pixels (h, w) in [0, 1], ink 1 -> image (rows, cols) in [0, 1]
    static float[] centred(float[] pixels, int w, int h, int rows, int cols) {
        int x0 = w;
        int y0 = h;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (pixels[y * w + x] > 0.05f) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
            }
        }
        float[] out = new float[rows * cols];
        if (x1 < 0) {
            return out;                                   // nothing drawn
        }
        int bw = x1 - x0 + 1;
        int bh = y1 - y0 + 1;
        double scale = 20.0 / 28 * Math.min(rows, cols) / Math.max(bw, bh);
        int sw = Math.max(1, (int) Math.round(bw * scale));
        int sh = Math.max(1, (int) Math.round(bh * scale));
        float[] small = new float[sw * sh];
        for (int y = 0; y < sh; y++) {                  // area average of the source box each target pixel covers
            double fy0 = y0 + y / scale;
            double fy1 = y0 + (y + 1) / scale;
            for (int x = 0; x < sw; x++) {
                double fx0 = x0 + x / scale;
                double fx1 = x0 + (x + 1) / scale;
                double sum = 0;
                double area = 0;
                for (int sy = (int) fy0; sy < Math.min(h, Math.ceil(fy1)); sy++) {
                    double oy = Math.min(sy + 1, fy1) - Math.max(sy, fy0);
                    for (int sx = (int) fx0; sx < Math.min(w, Math.ceil(fx1)); sx++) {
                        double ox = Math.min(sx + 1, fx1) - Math.max(sx, fx0);
                        if (oy > 0 && ox > 0) {
                            sum += pixels[sy * w + sx] * oy * ox;
                            area += oy * ox;
                        }
                    }
                }
                small[y * sw + x] = area > 0 ? (float) Math.min(1, sum / area) : 0;
            }
        }
        double mass = 0;
        double mx = 0;
        double my = 0;
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < sw; x++) {
                mass += small[y * sw + x];
                mx += (x + 0.5) * small[y * sw + x];
                my += (y + 0.5) * small[y * sw + x];
            }
        }
        int left = (int) Math.round(cols / 2.0 - (mass > 0 ? mx / mass : sw / 2.0));
        int top = (int) Math.round(rows / 2.0 - (mass > 0 ? my / mass : sh / 2.0));
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < sw; x++) {
                int ty = top + y;
                int tx = left + x;
                if (ty >= 0 && ty < rows && tx >= 0 && tx < cols) {
                    out[ty * cols + tx] = small[y * sw + x];
                }
            }
        }
        return out;
    }
}
