package lanes.app.studio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lanes.app.Data;
import lanes.engine.signal.MelSettings;
import lanes.layers.audio.Audio;
import lanes.layers.audio.SpeechClips;
import lanes.layers.audio.WavFile;
import lanes.layers.io.ModelFile;
import lanes.layers.models.Architecture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audio page's API over loopback: the detector list, a scan's answer (its parts' sizes agree with the
 * recording and the detector's window; detections only where the probability passes the threshold), example
 * recordings, and every refusal naming its field. The detector is an untrained keyword spotter: these tests are
 * about the API (AudioBrowserTest and SpeechCliTest find the keyword with trained ones).
 */
class AudioApiTest {
    static final Path SPEECH = Path.of(System.getProperty("lanes.data", "../data"), "speech");
    static Path dir;
    static Studio studio;
    static Client client;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("lanes-audio-api-");
        Path spotter = dir.resolve("spotter.lanes");
        Architecture a = Architecture.forData("kws", new int[] {1, 40, 99}, 2);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(Data.CLASSES, "[\"other\", \"welcome\"]");
        ModelFile.write(spotter, a, a.build(3), meta);
        Path digits = dir.resolve("lenet.lanes");
        Architecture lenet = Architecture.forImages("lenet5", 1, 28, 28, 10);
        ModelFile.write(digits, lenet, lenet.build(1), Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Studio.start(
                new Studio.Settings("127.0.0.1", 0, Map.of(), 4, 60, List.of(digits))));
        assertTrue(e.getMessage().contains("lenet.lanes is not a keyword spotter"), e.getMessage());
        studio = Studio.start(new Studio.Settings("127.0.0.1", 0, Studio.folders(List.of(SPEECH)), 4, 60,
                List.of(spotter)));
        client = new Client(studio.port());
    }

    @AfterAll
    static void stop() {
        if (studio != null) {
            studio.close();
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void aScanHasAColumnOfPictureForEveryPixelAndAProbabilityForEveryWindow() throws Exception {
        Client.Answer list = client.get("/api/detectors");
        assertEquals(200, list.status(), list::toString);
        List<Map<String, Object>> detectors = (List<Map<String, Object>>) list.get("detectors");
        assertEquals("spotter.lanes", detectors.get(0).get("name"));
        assertEquals("welcome", detectors.get(0).get("keyword"));
        assertEquals("speech", list.get("speechData"));

        double seconds = 3.5;
        float[] x = new float[(int) (seconds * 22_050)];
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / 22_050.0) + 0.05 * r.nextGaussian());
        }
        byte[] wav = WavFile.encode(new Audio(x, 22_050), WavFile.Encoding.FLOAT_32);
        Client.Answer scan = client.postBytes("/api/detect?detector=spotter.lanes&threshold=0.5", wav, "audio/wav");
        assertEquals(200, scan.status(), scan::toString);
        Map<String, Object> j = scan.json();
        assertEquals(22_050, ((Number) j.get("rate")).intValue());
        assertEquals(seconds, ((Number) j.get("seconds")).doubleValue(), 1e-3);
        int columns = ((Number) j.get("columns")).intValue();
        assertEquals(AudioApi.COLUMNS, columns);
        assertEquals(columns, ((List<?>) j.get("low")).size());
        assertEquals(columns, ((List<?>) j.get("high")).size());
        assertEquals(columns * 40, Base64.getDecoder().decode((String) j.get("spectrogram")).length);
        MelSettings s = MelSettings.keywordSpotting();
        int frames = s.frames(Math.round(seconds * s.rate()));
        double window = ((Number) j.get("windowSeconds")).doubleValue();
        int field = (int) Math.round((window * s.rate() - s.nfft()) / s.hop()) + 1;
        List<Number> p = (List<Number>) j.get("probabilities");
        List<Number> times = (List<Number>) j.get("times");
        assertEquals(frames - field + 1, p.size(), "a probability for each whole window of " + field + " frames in "
                + frames);
        assertEquals(p.size(), times.size());
        assertEquals(window / 2, times.get(0).doubleValue(), 0.011, "the first window's middle");
        for (Map<String, Object> d : (List<Map<String, Object>>) j.get("detections")) {
            assertTrue(((Number) d.get("score")).doubleValue() > 0.5, d::toString);
        }
    }

    @Test
    void anExampleRecordingSaysWhereItsKeywordsAre() throws Exception {
        java.net.http.HttpResponse<byte[]> r = client.http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + client.port + "/api/audio/example?seconds=10&keywords=2"
                        + "&seed=4")).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals("audio/wav", r.headers().firstValue("Content-Type").orElseThrow());
        Audio audio = WavFile.decode(r.body());
        assertEquals(16_000, audio.rate());
        assertEquals(160_000, audio.samples().length);
        SpeechClips.Recording same = SpeechClips.recording(SPEECH, 10, 2, 4);
        String times = r.headers().firstValue("Lanes-Keyword-Seconds").orElseThrow();
        assertEquals(String.format(java.util.Locale.ROOT, "%.3f,%.3f", same.keywordSeconds()[0],
                same.keywordSeconds()[1]), times);
    }

    @Test
    void everyBadRequestIsRefusedNamingItsField() throws Exception {
        byte[] wav = WavFile.encode(new Audio(new float[16_000], 16_000), WavFile.Encoding.PCM_16);
        refused(client.postBytes("/api/detect?detector=nope", wav, "audio/wav"), 400, "detector");
        refused(client.postBytes("/api/detect", wav, "audio/wav"), 400, "detector");
        refused(client.postBytes("/api/detect?detector=spotter.lanes&threshold=1", wav, "audio/wav"), 400,
                "threshold");
        refused(client.postBytes("/api/detect?detector=spotter.lanes&threshold=x", wav, "audio/wav"), 400,
                "threshold");
        refused(client.postBytes("/api/detect?detector=spotter.lanes&loud=1", wav, "audio/wav"), 400, "loud");
        refused(client.postBytes("/api/detect?detector=spotter.lanes", wav, "text/plain"), 415, "Content-Type");
        refused(client.postBytes("/api/detect?detector=spotter.lanes", wav, null), 415, "Content-Type");
        refused(client.postBytes("/api/detect?detector=spotter.lanes", "RIFF....WAVEfmt ".getBytes(),
                "audio/wav"), 400, "audio");
        refused(client.postBytes("/api/detect?detector=spotter.lanes", java.util.Arrays.copyOf(wav, 30),
                "audio/wav"), 400, "audio");
        byte[] long8k = WavFile.encode(new Audio(new float[8_000 * 301], 8_000), WavFile.Encoding.MU_LAW);
        Client.Answer tooLong = client.postBytes("/api/detect?detector=spotter.lanes", long8k, "audio/wav");
        refused(tooLong, 400, "audio");
        assertTrue(tooLong.body().contains("301.0 s"), tooLong::toString);
        refused(client.postBytes("/api/detect?detector=spotter.lanes", new byte[AudioApi.MAX_AUDIO_BYTES + 1],
                "audio/wav"), 413, "body");
        refused(client.get("/api/detect?detector=spotter.lanes"), 405, null);
        refused(client.get("/api/audio/example?seconds=3"), 400, "seconds");
        refused(client.get("/api/audio/example?seconds=10&keywords=4"), 400, "keywords");
        refused(client.get("/api/audio/example?voice=x"), 400, "voice");
        refused(client.post("/api/detectors", "{}"), 400, "run");
        refused(client.post("/api/detectors", "{\"run\": \"999\"}"), 404, null);
        String playground = client.playground("{\"kind\": \"playground\"}");
        refused(client.post("/api/detectors", "{\"run\": \"" + playground + "\"}"), 409, "run");
        client.send("DELETE", "/api/runs/" + playground, null);
        refused(client.post("/api/detectors", "{\"run\": \"1\", \"name\": \"x\"}"), 400, "name");
    }

    @Test
    void withoutAKeywordSetThereIsNoExample() throws Exception {
        try (Studio bare = Studio.start(Studio.Settings.defaults())) {
            Client c = new Client(bare.port());
            Client.Answer a = c.get("/api/audio/example");
            refused(a, 409, null);
            assertTrue(a.body().contains("lanes studio --data data/speech"), a::toString);
            assertEquals("{\"detectors\": [], \"speechData\": null, \"maxAudioBytes\": " + AudioApi.MAX_AUDIO_BYTES
                    + ", \"maxAudioSeconds\": 300.0}", c.get("/api/detectors").body());
        }
    }

    private static void refused(Client.Answer a, int status, String field) {
        assertEquals(status, a.status(), a::toString);
        assertEquals(field, a.field(), a::toString);
    }
}
