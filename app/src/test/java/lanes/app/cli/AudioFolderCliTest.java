package lanes.app.cli;

import static lanes.app.cli.CliTest.lanes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder of WAV files by class (DIR/welcome/*.wav, DIR/other/*.wav: the keyword set's own utterances, 8 kHz
 * mu-law) is a data set for {@code lanes train} and {@code lanes eval}, as an image folder is.
 */
class AudioFolderCliTest {
    @Test
    void aFolderOfRecordingsByClassTrainsAndEvaluates(@TempDir Path dir) throws IOException {
        Path utterances = Path.of(System.getProperty("lanes.data", "../data"), "speech", "utterances");
        Path data = dir.resolve("words");
        Files.createDirectories(data.resolve("welcome"));
        Files.createDirectories(data.resolve("other"));
        try (Stream<Path> voices = Files.list(utterances)) {
            for (Path voice : voices.sorted().toList()) {
                try (Stream<Path> files = Files.list(voice)) {
                    for (Path f : files.sorted().toList()) {
                        String name = f.getFileName().toString();
                        String to = name.startsWith("welcome") ? "welcome" : name.matches("(hello|seven|water|"
                                + "morning|coffee|table)\\.wav") ? "other" : null;
                        if (to != null) {
                            Files.copy(f, data.resolve(to).resolve(voice.getFileName() + "-" + name));
                        }
                    }
                }
            }
        }
        Path model = dir.resolve("words.lanes");
        CliTest.Run train = lanes("train", "--data", data.toString(), "--model", "kws", "--epochs", "8", "--batch",
                "16", "--quiet", "--save", model.toString(), "--plot", dir.resolve("p.png").toString());
        assertEquals(0, train.status(), train::toString);
        assertTrue(train.out().contains("audio folder: 2 classes"), train.out());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Test accuracy ([0-9.]+) %").matcher(train.out());
        assertTrue(m.find(), train.out());
        double accuracy = Double.parseDouble(m.group(1));
        assertTrue(accuracy > 80, () -> "welcome against six other words: " + train.out());
        CliTest.Run eval = lanes("eval", "--model", model.toString(), "--data", data.toString());
        assertEquals(0, eval.status(), eval::toString);
        assertTrue(eval.out().contains(String.format(java.util.Locale.ROOT, "test accuracy %.2f %%", accuracy)),
                eval.out());
    }
}
