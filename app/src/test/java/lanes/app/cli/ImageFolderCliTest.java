package lanes.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import lanes.layers.data.Normalization;
import lanes.layers.io.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lanes train --data DIR} on an RGB image folder, then eval and predict with what the model file keeps. */
class ImageFolderCliTest {
    @TempDir
    Path dir;

    /** One folder of red and of blue 20 x 20 images (a square of the colour on a dark ground), split by train. */
    private Path colours() throws Exception {
        Random r = new Random(2);
        for (String c : new String[] {"blue", "red"}) {
            Path folder = Files.createDirectories(dir.resolve("colours").resolve(c));
            for (int i = 0; i < 20; i++) {
                BufferedImage im = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
                Color colour = c.equals("red") ? new Color(200 + r.nextInt(56), 0, 30) : new Color(0, 30, 200);
                int side = 6 + r.nextInt(8);
                int x = r.nextInt(20 - side);
                int y = r.nextInt(20 - side);
                for (int yy = y; yy < y + side; yy++) {
                    for (int xx = x; xx < x + side; xx++) {
                        im.setRGB(xx, yy, colour.getRGB());
                    }
                }
                ImageIO.write(im, i % 2 == 0 ? "png" : "jpg", folder.resolve(i + (i % 2 == 0 ? ".png" : ".jpg"))
                        .toFile());
            }
        }
        return dir.resolve("colours");
    }

    @Test
    void anRgbFolderTrainsEvaluatesAndPredictsWithItsNormalisationAndClassNames() throws Exception {
        Path data = colours();
        Path model = dir.resolve("colours.lanes");
        CliTest.Run r = CliTest.lanes("train", "--data", data.toString(), "--model", "lenet5", "--epochs", "4",
                "--batch", "8", "--quiet", "--save", model.toString(), "--plot", dir.resolve("p.png").toString(),
                "--test-fraction", "0.25");
        assertEquals(0, r.status(), r.all());
        assertTrue(r.out().contains("Training lenet5:3-2 on " + data + " (image folder: 2 classes, 30 train / 10 test, "
                + "3 x 28 x 28)"), r.out());
        String accuracy = r.out().replaceAll("(?s).*Test accuracy ([0-9.]+ %).*", "$1");
        ModelFile.Loaded loaded = ModelFile.read(model);
        Normalization n = Normalization.of(loaded.metadata());
        assertEquals(3, n.mean().length, loaded.metadata().toString());
        assertEquals("[\"blue\", \"red\"]", loaded.metadata().get("lanes.classes"));
        r = CliTest.lanes("eval", "--model", model.toString(), "--data", data.toString(), "--test-fraction", "0.25");
        assertEquals(0, r.status(), r.all());
        assertTrue(r.out().contains("test accuracy " + accuracy), accuracy + " in: " + r.out());
        r = CliTest.lanes("predict", "--model", model.toString(), data.resolve("red/4.png").toString());
        assertEquals(0, r.status(), r.all());
        assertTrue(r.out().matches("(?s).*4\\.png: class [01] \\((blue|red)\\), probability [01]\\.\\d{4}.*"), r.out());
    }

    @Test
    void aBrokenImageIsOneLineNamingIt() throws Exception {
        Path data = colours();
        Path bad = data.resolve("red/6.png");
        byte[] png = Files.readAllBytes(bad);
        Files.write(bad, java.util.Arrays.copyOf(png, png.length / 3));
        CliTest.Run r = CliTest.lanes("train", "--data", data.toString(), "--epochs", "1", "--quiet", "--plot",
                dir.resolve("p.png").toString());
        assertEquals(1, r.status(), r.all());
        String err = r.err().strip();
        assertTrue(err.contains(bad + ": a malformed or truncated image"), err);
        assertFalse(err.contains("\n"), "one line: " + err);
        r = CliTest.lanes("train", "--data", data.toString(), "--channels", "2", "--epochs", "1", "--quiet");
        assertEquals(1, r.status(), r.all());
        assertTrue(r.err().contains("2 channels; 1 (grey) or 3 (RGB)"), r.err());
    }
}
