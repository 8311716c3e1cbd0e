package lanes.app.cli;

import static lanes.app.cli.CliTest.lanes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keyword set at the command line: {@code lanes train --data data/speech --model kws} learns "welcome" from the
 * training voices and finds it in held-out voices' clips, and {@code lanes eval} reads the model back to the same
 * accuracy.
 */
class SpeechCliTest {
    static final Path SPEECH = Path.of(System.getProperty("lanes.data", "../data"), "speech");

    @Test
    void theKeywordSpotterLearnsWelcomeAndEvalAgrees(@TempDir Path dir) {
        Path model = dir.resolve("kws.lanes");
        CliTest.Run train = lanes("train", "--data", SPEECH.toString(), "--model", "kws", "--epochs", "4", "--quiet",
                "--save", model.toString(), "--plot", dir.resolve("kws.png").toString());
        assertEquals(0, train.status(), train::toString);
        assertTrue(train.out().contains("adam lr 0.001"), () -> "a keyword set trains with Adam: " + train.out());
        double accuracy = accuracy(train.out());
        assertTrue(accuracy > 85, () -> "4 epochs on the training voices: " + accuracy + " % on held-out voices");
        CliTest.Run eval = lanes("eval", "--model", model.toString(), "--data", SPEECH.toString());
        assertEquals(0, eval.status(), eval::toString);
        assertEquals(accuracy, accuracy(eval.out()), 1e-9, eval.out());
    }

    private static double accuracy(String out) {
        Matcher m = Pattern.compile("[Tt]est accuracy ([0-9.]+) %").matcher(out);
        double last = Double.NaN;
        while (m.find()) {
            last = Double.parseDouble(m.group(1));
        }
        return last;
    }
}
