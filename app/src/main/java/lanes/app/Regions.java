package lanes.app;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import lanes.layers.data.Dataset;
import lanes.layers.infer.Predictor;
import lanes.layers.nn.Layer;

/**
 * The decision regions of a classifier of 2-D points, as the course's playground draws them: every pixel of the
 * plane coloured by the class the model predicts there, paler where it is less sure, and the test points on top in
 * their true class's colour (a point inside a region of another colour is a mistake).
 */
public final class Regions {
    /** One colour per class (up to 10), the playground's orange and blue first. */
    static final Color[] COLOURS = {new Color(245, 147, 34), new Color(8, 119, 189), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
        new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};

    private Regions() {
    }

    /**
     * The regions of {@code model} over the box that holds both sets' points (with a margin), and the test points.
     *
     * @param model a classifier of examples of shape (2); not changed
     * @param train the training points (they set the box)
     * @param test the test points (drawn)
     * @param side the picture's side in pixels
     * @return the picture
     */
    public static BufferedImage draw(Layer model, Dataset train, Dataset test, int side) {
        float[] box = box(train, test);
        Predictor predictor = new Predictor(model, 2);
        int plot = side - 60;
        BufferedImage image = new BufferedImage(side, side + 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        float[] row = new float[2 * plot];
        for (int py = 0; py < plot; py++) {
            for (int px = 0; px < plot; px++) {
                row[2 * px] = box[0] + (box[2] - box[0]) * (px + 0.5f) / plot;
                row[2 * px + 1] = box[3] - (box[3] - box[1]) * (py + 0.5f) / plot;
            }
            float[] p = predictor.predict(row, plot);
            int k = predictor.classes();
            for (int px = 0; px < plot; px++) {
                int best = 0;
                for (int c = 1; c < k; c++) {
                    if (p[px * k + c] > p[px * k + best]) {
                        best = c;
                    }
                }
                double sure = k == 1 ? 1 : (p[px * k + best] - 1.0 / k) / (1 - 1.0 / k);   // 0 at a tie, 1 sure
                image.setRGB(30 + px, 30 + py, pale(COLOURS[best % COLOURS.length], 0.25 + 0.5 * sure).getRGB());
            }
        }
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setStroke(new BasicStroke(1f));
        for (int i = 0; i < test.count; i++) {
            float[] xy = test.example(i);
            int px = 30 + Math.round((xy[0] - box[0]) / (box[2] - box[0]) * plot);
            int py = 30 + Math.round((box[3] - xy[1]) / (box[3] - box[1]) * plot);
            g.setColor(COLOURS[test.label(i) % COLOURS.length]);
            g.fillOval(px - 4, py - 4, 8, 8);
            g.setColor(Color.WHITE);
            g.drawOval(px - 4, py - 4, 8, 8);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(30, 30, plot, plot);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString("decision regions and the test points", 30, 20);
        g.drawString(String.format(java.util.Locale.ROOT, "x1 from %.1f to %.1f, x2 from %.1f to %.1f", box[0],
                box[2], box[1], box[3]), 30, side + 10);
        g.dispose();
        return image;
    }

    /**
     * The box that holds both sets' 2-D points, a tenth wider on each side.
     *
     * @param a points
     * @param b more points
     * @return min x1, min x2, max x1, max x2
     */
    public static float[] box(Dataset a, Dataset b) {
        float[] box = {Float.MAX_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
        for (Dataset d : new Dataset[] {a, b}) {
            for (int i = 0; i < d.count; i++) {
                float[] xy = d.example(i);
                box[0] = Math.min(box[0], xy[0]);
                box[1] = Math.min(box[1], xy[1]);
                box[2] = Math.max(box[2], xy[0]);
                box[3] = Math.max(box[3], xy[1]);
            }
        }
        float mx = Math.max(1e-3f, 0.1f * (box[2] - box[0]));
        float my = Math.max(1e-3f, 0.1f * (box[3] - box[1]));
        return new float[] {box[0] - mx, box[1] - my, box[2] + mx, box[3] + my};
    }

    private static Color pale(Color c, double strength) {
        double s = Math.max(0, Math.min(1, strength));
        return new Color((int) (255 - (255 - c.getRed()) * s), (int) (255 - (255 - c.getGreen()) * s),
                (int) (255 - (255 - c.getBlue()) * s));
    }
}
