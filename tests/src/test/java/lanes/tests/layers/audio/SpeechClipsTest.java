package lanes.tests.layers.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lanes.layers.audio.SpeechClips;
import lanes.layers.audio.SpeechClips.Options;
import lanes.layers.audio.SpeechClips.Placement;
import lanes.layers.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keyword set the project ships (data/speech), composed into clips: shapes, balance, repeatability, scale. */
class SpeechClipsTest {
    static final Path SPEECH = Path.of(System.getProperty("lanes.data", "../data"), "speech");

    @Test
    void theShippedSetComposesBalancedRepeatableNormalisedClips() throws IOException {
        assertTrue(SpeechClips.looksLike(SPEECH), SPEECH + " holds " + SpeechClips.MANIFEST);
        Options o = new Options(200, 100, Placement.ANYWHERE, Placement.ANYWHERE, 7);
        SpeechClips.Loaded a = SpeechClips.load(SPEECH, o);
        assertEquals(List.of("other", "welcome"), a.classes());
        Dataset train = a.data().train();
        Dataset test = a.data().test();
        assertArrayEquals(new int[] {1, 40, 99}, train.exampleShape(), "2 s: 99 frames of 40 bands");
        assertEquals(200, train.count);
        assertEquals(100, test.count);
        int hits = 0;
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < train.count; i++) {
            hits += train.label(i);
            for (float v : train.example(i)) {
                sum += v;
                squares += v * v;
            }
        }
        assertEquals(100, hits, "half the clips hold the keyword");
        double n = 200.0 * 40 * 99;
        assertEquals(0, sum / n, 1e-3, "the training features' mean is subtracted");
        assertEquals(1, Math.sqrt(squares / n), 1e-3, "and their deviation divided out");
        SpeechClips.Loaded b = SpeechClips.load(SPEECH, o);
        assertArrayEquals(a.data().test().example(37), b.data().test().example(37), "the same seed, the same clips");
        SpeechClips.Loaded c = SpeechClips.load(SPEECH, new Options(200, 100, Placement.FIRST_HALF,
                Placement.SECOND_HALF, 7));
        assertTrue(!java.util.Arrays.equals(a.data().test().example(1), c.data().test().example(1)),
                "the placement moves the keyword");
    }

    @Test
    void aBrokenManifestIsNamed(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(SpeechClips.MANIFEST), "{\"keyword\": \"welcome\", \"voices\": [\"a\"], "
                + "\"test_voices\": [\"b\"], \"clip_seconds\": 1.5}");
        IOException e = assertThrows(IOException.class, () -> SpeechClips.load(dir, Options.DEFAULT));
        assertTrue(e.getMessage().contains("test_voices (a subset of voices)"), e.getMessage());
        Files.writeString(dir.resolve(SpeechClips.MANIFEST), "{\"keyword\": \"welcome\", \"voices\": [\"a\"], "
                + "\"test_voices\": [\"a\"], \"clip_seconds\": 1.5}");
        e = assertThrows(IOException.class, () -> SpeechClips.load(dir, Options.DEFAULT));
        assertTrue(e.getMessage().contains("utterances/a: missing"), e.getMessage());
    }
}
