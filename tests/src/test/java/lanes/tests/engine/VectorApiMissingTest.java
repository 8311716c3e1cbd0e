package lanes.tests.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import lanes.engine.Tensor;
import lanes.engine.VectorApi;
import lanes.layers.nn.Linear;
import org.junit.jupiter.api.Test;

/**
 * A program on the class path that forgets {@code --add-modules jdk.incubator.vector} gets one line naming the
 * option at its first Lanes layer, not a {@code NoClassDefFoundError} from deep in a kernel: run in a child JVM
 * started without the module.
 */
class VectorApiMissingTest {
    /** The child: builds a layer and runs it, printing what it was told. */
    public static void main(String[] args) {
        Tensor x = Tensor.zeros(2, 3);              // tensors need no vectors
        try {
            System.out.println(new Linear(3, 4, true, 1).forward(x));
        } catch (IllegalStateException e) {
            System.out.println("refused: " + e.getMessage());
            System.exit(3);
        }
    }

    @Test
    void theFirstLayerWithoutTheModuleNamesTheOption() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String cp = String.join(File.pathSeparator, where(Tensor.class), where(Linear.class),
                where(VectorApiMissingTest.class));
        Process p = new ProcessBuilder(java, "-cp", cp, VectorApiMissingTest.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish: " + out);
        assertEquals(3, p.exitValue(), out);
        assertTrue(out.contains("refused: " + VectorApi.MISSING), out);
        assertFalse(out.contains("NoClassDefFoundError"), out);
        assertTrue(VectorApi.present(), "this JVM has the module: the guard must let it through");
    }

    private static String where(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
