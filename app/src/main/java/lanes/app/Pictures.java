package lanes.app;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Mosaics of small pictures: a first layer's kernels or weights as images, a layer's feature maps. Each tile is
 * scaled on its own from its smallest value (black, or blue where values have both signs) to its largest (white,
 * or red), so that its pattern shows whatever its range; 3-channel tiles are drawn in colour.
 */
public final class Pictures {
    private Pictures() {
    }

    /**
     * One row of the mosaic: a title and its tiles, each {@code channels x height x width} values.
     *
     * @param title what the row shows
     * @param tiles the tiles' values, row-major
     * @param channels 1 (grey or signed) or 3 (RGB)
     * @param height rows of a tile
     * @param width columns of a tile
     */
    public record Row(String title, List<float[]> tiles, int channels, int height, int width) {
    }

    /**
     * Draws the rows one under another, each tile enlarged to about {@code tilePixels} on its longer side, at most
     * {@code perLine} tiles to a line.
     *
     * @param title the picture's title
     * @param rows the rows
     * @param tilePixels the tiles' size on screen
     * @param perLine the most tiles on one line
     * @return the picture
     */
    public static BufferedImage mosaic(String title, List<Row> rows, int tilePixels, int perLine) {
        int gap = 6;
        int width = 20;
        int height = 36;
        int[] scales = new int[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            scales[r] = Math.max(1, tilePixels / Math.max(row.height(), row.width()));
            int across = Math.min(perLine, row.tiles().size());
            int lines = (row.tiles().size() + perLine - 1) / perLine;
            width = Math.max(width, 20 + across * (row.width() * scales[r] + gap));
            height += 22 + lines * (row.height() * scales[r] + gap);
        }
        BufferedImage image = new BufferedImage(Math.max(width, 480), height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, 10, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int y = 36;
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            int s = scales[r];
            g.setColor(Color.DARK_GRAY);
            g.drawString(row.title(), 10, y + 14);
            y += 22;
            for (int t = 0; t < row.tiles().size(); t++) {
                int x0 = 10 + (t % perLine) * (row.width() * s + gap);
                int y0 = y + (t / perLine) * (row.height() * s + gap);
                draw(image, row.tiles().get(t), row.channels(), row.height(), row.width(), x0, y0, s);
            }
            y += ((row.tiles().size() + perLine - 1) / perLine) * (row.height() * s + gap);
        }
        g.dispose();
        return image;
    }

    private static void draw(BufferedImage image, float[] v, int channels, int h, int w, int x0, int y0, int s) {
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float f : v) {
            if (Float.isFinite(f)) {
                min = Math.min(min, f);
                max = Math.max(max, f);
            }
        }
        boolean signed = channels == 1 && min < 0 && max > 0;
        float bound = Math.max(Math.abs(min), Math.abs(max));
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                int rgb;
                if (channels == 3) {
                    int[] c = new int[3];
                    for (int k = 0; k < 3; k++) {
                        c[k] = level(v[(k * h + i) * w + j], min, max);
                    }
                    rgb = new Color(c[0], c[1], c[2]).getRGB();
                } else if (signed) {
                    float f = v[i * w + j] / bound;                 // blue below 0, white at 0, red above
                    int fade = (int) (255 * (1 - Math.min(1, Math.abs(f))));
                    rgb = f >= 0 ? new Color(255, fade, fade).getRGB() : new Color(fade, fade, 255).getRGB();
                } else {
                    int l = level(v[i * w + j], min, max);
                    rgb = new Color(l, l, l).getRGB();
                }
                for (int a = 0; a < s; a++) {
                    for (int b = 0; b < s; b++) {
                        image.setRGB(x0 + j * s + b, y0 + i * s + a, rgb);
                    }
                }
            }
        }
    }

    private static int level(float v, float min, float max) {
        return max > min ? Math.round(255 * (v - min) / (max - min)) : 128;
    }
}
