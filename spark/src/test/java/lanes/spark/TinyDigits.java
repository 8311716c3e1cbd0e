package lanes.spark;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** The first digits of the set the project ships (data/digits), as a small MNIST-layout folder for Spark's tests. */
final class TinyDigits {
    private TinyDigits() {
    }

    /** Writes {@code train} training and {@code test} test digits, raw IDX, into {@code dir} (made); returns it. */
    static Path write(Path dir, int train, int test) throws IOException {
        Files.createDirectories(dir);
        Path digits = Path.of(System.getProperty("lanes.data", "../data"), "digits");
        file(digits, dir, "train-images-idx3-ubyte", 16, train * 784, 0x803, train, 28, 28);
        file(digits, dir, "t10k-images-idx3-ubyte", 16, test * 784, 0x803, test, 28, 28);
        file(digits, dir, "train-labels-idx1-ubyte", 8, train, 0x801, train);
        file(digits, dir, "t10k-labels-idx1-ubyte", 8, test, 0x801, test);
        return dir;
    }

    private static void file(Path digits, Path dir, String name, int header, int bytes, int magic, int... dims)
            throws IOException {
        byte[] all;
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(digits.resolve(name + ".gz")))) {
            all = in.readAllBytes();
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(all, header, bytes);
        Files.write(dir.resolve(name), b.toByteArray());
    }
}
