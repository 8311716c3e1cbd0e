package lanes.tests.layers.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import lanes.layers.data.ImageFolder;
import lanes.layers.data.Normalization;
import lanes.layers.models.Architecture;
import lanes.layers.nn.Sequential;
import lanes.layers.optim.LrSchedule;
import lanes.layers.optim.Sgd;
import lanes.layers.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image folders: the layout, 1 or 3 channels, the normalisation, colour models that learn, and bad files named. */
class ImageFolderTest {
    @TempDir
    Path dir;

    private Path shapes(int train, int test) throws IOException {
        ShapeImages.write(dir.resolve("shapes/train"), train, 32, 1);
        ShapeImages.write(dir.resolve("shapes/test"), test, 32, 2);
        return dir.resolve("shapes");
    }

    @Test
    void threeChannelModelsLearnColouredShapesToNinetyFivePercent() throws Exception {
        Path folder = shapes(160, 30);
        for (String name : new String[] {"lenet5", "alexnet"}) {
            int size = name.equals("lenet5") ? 28 : 32;
            ImageFolder f = ImageFolder.read(folder, new ImageFolder.Options(0, size, size, 0.2, 1, null));
            assertEquals(3, f.train().channels, "colour found in the images");
            assertEquals(ShapeImages.classes(), f.classes());
            assertEquals(6 * 160, f.train().count);
            Architecture arch = Architecture.forImages(name, 3, size, size, 6);
            Sequential model = arch.build(3);
            Trainer t = new Trainer(model, new Sgd(model.parameters(), 0.02f, 0.9f, 0f, 5e-4f, false), 32, 5)
                    .withSchedule(LrSchedule.cosine(0.02f, 20, 0f));
            t.fit(f.train(), 20, null);
            Trainer.Evaluation e = t.evaluate(f.test());
            System.out.printf("%s on 6 classes of coloured shapes (%d train / %d test, %d x %d): %s%n", arch.text(),
                    f.train().count, f.test().count, size, size, e);
            assertTrue(e.accuracy() >= 0.95, arch + ": " + e);
        }
    }

    @Test
    void theNormalisationIsMeasuredOnTheTrainingImagesAndAppliedToBoth() throws Exception {
        Path folder = shapes(6, 3);
        ImageFolder raw = ImageFolder.read(folder, new ImageFolder.Options(3, 8, 8, 0.2, 1,
                new Normalization(new float[] {0, 0, 0}, new float[] {1, 1, 1})));
        Normalization measured = ImageFolder.read(folder, new ImageFolder.Options(3, 8, 8, 0.2, 1, null))
                .normalization();
        float[] pixels = new float[raw.train().count * 3 * 64];
        for (int i = 0; i < raw.train().count; i++) {
            System.arraycopy(raw.train().example(i), 0, pixels, i * 192, 192);
        }
        assertEquals(Normalization.measure(pixels, 3, 64), measured);
        ImageFolder f = ImageFolder.read(folder, new ImageFolder.Options(3, 8, 8, 0.2, 1, null));
        float[] x = raw.test().example(0);
        float[] y = f.test().example(0);
        for (int i = 0; i < x.length; i++) {
            int c = i / 64;
            assertEquals((x[i] - measured.mean()[c]) / measured.std()[c], y[i], 1e-6, "test pixel " + i);
        }
        Map<String, String> meta = new java.util.HashMap<>();
        measured.store(meta);
        assertEquals(measured, Normalization.of(meta));
    }

    @Test
    void oneFolderIsSplitPerClassBySeedAndGreyImagesGiveOneChannel() throws Exception {
        Path grey = dir.resolve("grey");
        for (String c : new String[] {"a", "b"}) {
            Files.createDirectories(grey.resolve(c));
            for (int i = 0; i < 10; i++) {
                BufferedImage im = new BufferedImage(5, 7, BufferedImage.TYPE_BYTE_GRAY);
                im.getRaster().setSample(i % 5, 3, 0, c.equals("a") ? 255 : 128);
                ImageIO.write(im, "png", grey.resolve(c + "/" + i + ".png").toFile());
            }
        }
        Files.writeString(grey.resolve("a/README.txt"), "not an image: skipped");
        ImageFolder f = ImageFolder.read(grey, new ImageFolder.Options(0, 7, 5, 0.3, 4, null));
        assertEquals(1, f.train().channels);
        assertEquals(14, f.train().count);
        assertEquals(6, f.test().count);
        ImageFolder again = ImageFolder.read(grey, new ImageFolder.Options(0, 7, 5, 0.3, 4, null));
        assertArrayEquals(f.test().example(5), again.test().example(5), "the split is the seed's");
        assertTrue(ImageFolder.looksLike(grey));
        assertTrue(!ImageFolder.looksLike(dir.resolve("grey/a")));
    }

    @Test
    void aBadImageOrLayoutIsNamed() throws Exception {
        Path folder = shapes(3, 2);
        Path victim = folder.resolve("train/red-cross/0001.png");
        byte[] png = Files.readAllBytes(victim);
        Files.write(victim, java.util.Arrays.copyOf(png, png.length / 2));
        expect(folder, victim + ": a malformed or truncated image");
        Files.writeString(victim, "this is text, not a PNG");
        expect(folder, victim + ": not an image this JVM decodes");
        Files.delete(victim);
        Files.createDirectories(folder.resolve("test/purple-star"));
        expect(folder, "test/purple-star: a class folder without images");
        Files.writeString(folder.resolve("test/purple-star/x.png"), "");
        expect(folder, "train/ has classes [blue-cross,");
        Path one = dir.resolve("one/only");
        ShapeImages.write(dir.resolve("tmp"), 2, 8, 1);
        Files.createDirectories(one);
        Files.move(dir.resolve("tmp/red-cross/0000.png"), one.resolve("0.png"));
        Files.move(dir.resolve("tmp/red-cross/0001.png"), one.resolve("1.png"));
        expect(dir.resolve("one"), "1 class folder with images; a classifier needs at least 2");
    }

    private static void expect(Path folder, String message) {
        IOException e = assertThrows(IOException.class,
                () -> ImageFolder.read(folder, new ImageFolder.Options(3, 8, 8, 0.5, 1, null)));
        assertTrue(e.getMessage().contains(message), "expected \"" + message + "\" in: " + e.getMessage());
    }
}
