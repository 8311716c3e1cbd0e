package lanes.tests.layers.data;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A small image set made on the spot: a red, green or blue square or cross (a plus sign) of random size and place
 * on a dark, slightly noisy ground, so that the class ("blue-cross", ...) depends on both colour and shape. (A disc
 * against a square at these sizes is a far harder problem: LeNet-5 does not learn it from a hundred images.)
 */
public final class ShapeImages {
    static final String[] COLOURS = {"red", "green", "blue"};
    static final String[] SHAPES = {"square", "cross"};

    private ShapeImages() {
    }

    /** The six class names in the order an image folder numbers them (by name). */
    public static List<String> classes() {
        List<String> out = new ArrayList<>();
        for (String c : COLOURS) {
            for (String s : SHAPES) {
                out.add(c + "-" + s);
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * Writes {@code perClass} PNGs of {@code size} x {@code size} for every class into {@code dir/<class>/}.
     *
     * @return the folder
     */
    public static Path write(Path dir, int perClass, int size, long seed) throws IOException {
        Random r = new Random(seed);
        for (int ci = 0; ci < COLOURS.length; ci++) {
            for (String shape : SHAPES) {
                Path folder = Files.createDirectories(dir.resolve(COLOURS[ci] + "-" + shape));
                for (int i = 0; i < perClass; i++) {
                    ImageIO.write(image(r, ci, shape.equals("cross"), size), "png",
                            folder.resolve(String.format("%04d.png", i)).toFile());
                }
            }
        }
        return dir;
    }

    static BufferedImage image(Random r, int colour, boolean cross, int size) {
        BufferedImage im = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int g = r.nextInt(12);
                im.setRGB(x, y, new Color(g, g, g).getRGB());
            }
        }
        int[] rgb = new int[3];
        for (int c = 0; c < 3; c++) {
            rgb[c] = c == colour ? 180 + r.nextInt(76) : r.nextInt(70);
        }
        int side = size * 9 / 20 + r.nextInt(size * 7 / 20 + 1);
        int x = r.nextInt(size - side + 1);
        int y = r.nextInt(size - side + 1);
        Graphics2D g = im.createGraphics();
        g.setColor(new Color(rgb[0], rgb[1], rgb[2]));
        if (cross) {
            int t = Math.max(2, side / 3);
            int a = (side - t) / 2;
            g.fillRect(x, y + a, side, t);
            g.fillRect(x + a, y, t, side);
        } else {
            g.fillRect(x, y, side, side);
        }
        g.dispose();
        return im;
    }
}
