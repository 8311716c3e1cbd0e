package lanes.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import lanes.engine.Tensor;
import lanes.layers.nn.Linear;
import org.junit.jupiter.api.Test;

/**
 * The example as a user runs it, in a JVM of its own: as a module, where requiring lanes.layers brings the Vector
 * API with it, and on the class path, where the JVM needs {@code --add-modules jdk.incubator.vector}.
 */
class ClassifyBlobsTest {
    @Test
    void asAModuleItTrainsSavesLoadsAndPredictsFromFourThreads() throws Exception {
        String out = run("--module-path", path(), "-m", "lanes.example/" + ClassifyBlobs.class.getName());
        assertTrue(out.contains("right from 4 threads"), out);
    }

    @Test
    void onTheClassPathItRunsWithAddModules() throws Exception {
        String out = run("--add-modules", "jdk.incubator.vector", "-cp", path(), ClassifyBlobs.class.getName());
        assertTrue(out.contains("right from 4 threads"), out);
    }

    // the example's classes and the Lanes jars it was built against
    private static String path() throws URISyntaxException {
        return String.join(File.pathSeparator, where(ClassifyBlobs.class), where(Linear.class), where(Tensor.class));
    }

    private static String run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + out);
        System.out.print(out);
        return out;
    }

    private static String where(Class<?> c) throws URISyntaxException {
        return new File(c.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
    }
}
