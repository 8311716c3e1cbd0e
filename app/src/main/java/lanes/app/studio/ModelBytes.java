package lanes.app.studio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import lanes.layers.io.ModelFile;
import lanes.layers.models.Architecture;
import lanes.layers.nn.Sequential;

/** A model as the bytes of a Lanes model file, for a download: written by {@link ModelFile}, read back. */
final class ModelBytes {
    private ModelBytes() {
    }

    static byte[] of(Architecture architecture, Sequential model, Map<String, String> metadata) throws IOException {
        Path tmp = Files.createTempFile("lanes-studio-", ".lanes");
        try {
            ModelFile.write(tmp, architecture, model, metadata);
            return Files.readAllBytes(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
