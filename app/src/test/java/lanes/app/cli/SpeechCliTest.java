package lanes.app.cli;

import static lanes.app.cli.CliTest.lanes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
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
    void theKeywordSpotterLearnsWelcomeAndEvalAgreesAndDetectFindsItInARecording(@TempDir Path dir)
            throws java.io.IOException {
        Path model = dir.resolve("kws.lanes");
        CliTest.Run train = lanes("train", "--data", SPEECH.toString(), "--model", "kws", "--quiet",
                "--save", model.toString(), "--plot", dir.resolve("kws.png").toString());
        assertEquals(0, train.status(), train::toString);
        assertTrue(train.out().contains("adam lr 0.001"), () -> "a keyword set trains with Adam: " + train.out());
        double accuracy = accuracy(train.out());
        assertTrue(accuracy >= 95, () -> "20 epochs on the training voices: " + accuracy + " % on held-out voices");
        CliTest.Run eval = lanes("eval", "--model", model.toString(), "--data", SPEECH.toString());
        assertEquals(0, eval.status(), eval::toString);
        assertEquals(accuracy, accuracy(eval.out()), 1e-9, eval.out());

        // 60 s of the held-out voices' words, "welcome" eight times among them
        lanes.layers.audio.SpeechClips.Recording r = lanes.layers.audio.SpeechClips.recording(SPEECH, 60, 8, 3);
        Path wav = dir.resolve("long.wav");
        lanes.layers.audio.WavFile.write(wav, r.audio(), lanes.layers.audio.WavFile.Encoding.PCM_16);
        CliTest.Run detect = lanes("detect", "--model", model.toString(), "--audio", wav.toString(), "--plot",
                dir.resolve("detect.png").toString());
        assertEquals(0, detect.status(), detect::toString);
        List<Double> found = new java.util.ArrayList<>();
        Matcher m = Pattern.compile("^\\s+([0-9.]+) s  welcome", Pattern.MULTILINE).matcher(detect.out());
        while (m.find()) {
            found.add(Double.parseDouble(m.group(1)));
        }
        String report = detect.out() + " (the keyword at " + java.util.Arrays.toString(r.keywordSeconds()) + ")";
        System.out.println(report);
        assertEquals(r.keywordSeconds().length, found.size(), report);
        for (int i = 0; i < found.size(); i++) {
            assertEquals(r.keywordSeconds()[i], found.get(i), 0.1, report);
        }

        // clips: the keyword cut from a recording (mu-law), faint noise (8 kHz, float); and a file that is not a WAV
        Path hit = dir.resolve("hit.wav");
        Path miss = dir.resolve("miss.wav");
        lanes.layers.audio.SpeechClips.Recording six = lanes.layers.audio.SpeechClips.recording(SPEECH, 6, 1, 5);
        int middle = (int) Math.round(six.keywordSeconds()[0] * 16_000);
        lanes.layers.audio.WavFile.write(hit, new lanes.layers.audio.Audio(java.util.Arrays.copyOfRange(
                six.audio().samples(), middle - 16_000, middle + 16_000), 16_000),
                lanes.layers.audio.WavFile.Encoding.MU_LAW);
        float[] hiss = new float[2 * 8_000];                // 2 s of faint noise at 8 kHz: nothing said
        java.util.Random random = new java.util.Random(6);
        for (int i = 0; i < hiss.length; i++) {
            hiss[i] = (float) (0.01 * random.nextGaussian());
        }
        lanes.layers.audio.WavFile.write(miss, new lanes.layers.audio.Audio(hiss, 8_000),
                lanes.layers.audio.WavFile.Encoding.FLOAT_32);
        Path json = dir.resolve("predict.json");
        CliTest.Run predict = lanes("predict", "--model", model.toString(), "--json", json.toString(),
                hit.toString(), miss.toString());
        assertEquals(0, predict.status(), predict::toString);
        assertTrue(predict.out().contains(hit + ": class 1 (welcome)"), predict::toString);
        assertTrue(predict.out().contains(miss + ": class 0 (other)"), predict::toString);
        String written = java.nio.file.Files.readString(json);
        assertTrue(written.contains("\"class\": \"welcome\"") && written.contains("\"probabilities\": ["), written);
        Path bad = java.nio.file.Files.writeString(dir.resolve("bad.wav"), "not audio at all");
        CliTest.Run refused = lanes("predict", "--model", model.toString(), bad.toString());
        assertEquals(1, refused.status(), refused::toString);
        assertEquals("lanes predict: " + bad + ": not a WAV file (it starts with \"not \", not RIFF....WAVE)",
                refused.err().strip());
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
