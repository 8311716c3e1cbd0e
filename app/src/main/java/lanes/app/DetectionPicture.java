package lanes.app;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import lanes.layers.audio.KeywordDetector;

/**
 * {@code lanes detect --plot}: a recording's waveform, its log-mel spectrogram and the keyword's probability over
 * time on one time axis, the threshold and the detections marked.
 */
public final class DetectionPicture {
    /** The picture's width: one column of the scan per pixel. */
    public static final int WIDTH = 1400;
    /** The spectrogram's colours from quiet to loud (the studio's page uses the same five). */
    static final int[][] PALETTE = {{0, 0, 4}, {81, 18, 124}, {183, 55, 121}, {252, 137, 97}, {252, 253, 191}};

    private DetectionPicture() {
    }

    /**
     * Writes the picture of one scan.
     *
     * @param file a PNG, written atomically
     * @param r the scan, {@link #WIDTH} columns
     * @param keyword the keyword
     * @throws IOException if it cannot be written
     */
    public static void write(Path file, KeywordSpotter.Result r, String keyword) throws IOException {
        int columns = r.low().length;
        int bands = r.spectrogram().length == 0 ? 0 : r.spectrogram()[0].length;
        int bandPixels = 3;
        int wave = 20;                                   // panel tops
        int spec = 140;
        int prob = spec + bands * bandPixels + 40;
        int bottom = prob + 140;
        int h = bottom + 30;
        BufferedImage image = new BufferedImage(columns, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, columns, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(new Color(8, 119, 189));
        int mid = wave + 55;
        for (int c = 0; c < columns; c++) {
            g.drawLine(c, mid - Math.round(r.low()[c] * 50), c, mid - Math.round(r.high()[c] * 50));
        }
        byte[] levels = r.spectrogramLevels();
        for (int c = 0; c < columns; c++) {
            for (int b = 0; b < bands; b++) {
                int rgb = colour(levels[c * bands + b] & 0xff);
                for (int y = 0; y < bandPixels; y++) {
                    image.setRGB(c, spec + (bands - 1 - b) * bandPixels + y, rgb);
                }
            }
        }
        int top = prob;
        g.setColor(Color.LIGHT_GRAY);
        int line = bottom - (int) (r.threshold() * (bottom - top));
        g.drawLine(0, line, columns, line);
        g.setColor(new Color(214, 39, 40));
        int lastX = -1;
        int lastY = bottom;
        for (int t = 0; t < r.probabilities().length; t++) {
            int x = (int) (r.times()[t] / r.seconds() * columns);
            int y = bottom - (int) Math.round(r.probabilities()[t] * (bottom - top));
            if (lastX >= 0) {
                g.drawLine(lastX, lastY, x, y);
            }
            lastX = x;
            lastY = y;
        }
        g.setColor(new Color(44, 160, 44));
        for (KeywordDetector.Detection d : r.detections()) {
            int x = (int) (d.seconds() / r.seconds() * columns);
            g.drawLine(x, wave, x, spec - 4);
            g.drawLine(x, prob - 4, x, bottom);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawString(String.format(Locale.ROOT, "waveform, %.1f s", r.seconds()), 8, wave - 6);
        g.drawString("log-mel spectrogram, " + bands + " bands (low at the bottom), the loudest "
                + Math.round(KeywordSpotter.Result.SHOWN_RANGE * 10 / Math.log(10)) + " dB", 8, spec - 6);
        g.drawString("P(\"" + keyword + "\") of the window centred at each time; threshold " + r.threshold()
                + "; green: detections", 8, prob - 6);
        g.drawString("0 s", 2, h - 10);
        g.drawString(String.format(Locale.ROOT, "%.1f s", r.seconds()), columns - 60, h - 10);
        g.dispose();
        Plot.writePng(file, image);
    }

    // level 0..255 -> the palette, interpolated
    static int colour(int level) {
        double t = level / 255.0 * (PALETTE.length - 1);
        int i = Math.min(PALETTE.length - 2, (int) t);
        double f = t - i;
        int rgb = 0;
        for (int k = 0; k < 3; k++) {
            rgb = rgb << 8 | (int) Math.round(PALETTE[i][k] + f * (PALETTE[i + 1][k] - PALETTE[i][k]));
        }
        return rgb;
    }
}
