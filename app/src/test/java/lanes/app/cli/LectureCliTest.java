package lanes.app.cli;

import static lanes.app.cli.CliTest.lanes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import lanes.layers.io.JsonText;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The course at the command line: models in PyTorch's words, summary, gd, gradcheck, toy data with decision
 * regions, a diverging rate, early stopping, pictures of filters and maps; and one clear line for every bad input.
 */
class LectureCliTest {
    @TempDir
    static Path dir;
    static Path lenet;
    static Path digit;

    /** A LeNet-5 trained one epoch on 512 digits, and one digit as a PNG. */
    @BeforeAll
    static void trainALeNet() throws IOException {
        Path tiny = Files.createDirectories(dir.resolve("tiny"));
        Path digits = Path.of(System.getProperty("lanes.data", "../data"), "digits");
        for (String f : new String[] {"train-images-idx3-ubyte", "t10k-images-idx3-ubyte"}) {
            CliTest.writeIdx(tiny.resolve(f), CliTest.gunzip(digits.resolve(f + ".gz")), 16, 512 * 784, 0x803, 512,
                    28, 28);
        }
        for (String f : new String[] {"train-labels-idx1-ubyte", "t10k-labels-idx1-ubyte"}) {
            CliTest.writeIdx(tiny.resolve(f), CliTest.gunzip(digits.resolve(f + ".gz")), 8, 512, 0x801, 512);
        }
        lenet = dir.resolve("lenet.lanes");
        CliTest.Run r = lanes("train", "--data", tiny.toString(), "--epochs", "1", "--quiet", "--save",
                lenet.toString(), "--plot", dir.resolve("lenet.png").toString());
        assertEquals(0, r.status(), r.all());
        digit = dir.resolve("digit.png");
        CliTest.writeFirstDigit(tiny.resolve("t10k-images-idx3-ubyte"), digit);
    }

    @Test
    void aModelInPyTorchsWordsTrainsAndTheModelFileKeepsItsText() throws IOException {
        Path saved = dir.resolve("mlp.lanes");
        CliTest.Run r = lanes("train", "--data", "toy:blobs:3", "--model", "Linear(16), ReLU(), Linear(3)",
                "--epochs", "20", "--quiet", "--save", saved.toString(), "--plot", dir.resolve("b.png").toString());
        assertEquals(0, r.status(), r.all());
        assertTrue(r.out().contains("Training Linear(16), ReLU(), Linear(3) on toy:blobs:3"), r.out());
        CliTest.Run s = lanes("summary", "--model", saved.toString());
        assertEquals(0, s.status(), s.all());
        assertTrue(s.out().contains("Linear(2, 16)") && s.out().contains("Linear(16, 3)")
                && s.out().contains("99 parameters"), s.out());
    }

    @Test
    void spiralWithTwoTanhLayersOfEightReaches95PercentAndThePlotShowsItsRegions() throws IOException {
        Path plot = dir.resolve("spiral.png");
        CliTest.Run r = lanes("train", "--data", "toy:spiral", "--model",
                "Linear(8), Tanh(), Linear(8), Tanh(), Linear(2)", "--quiet", "--plot", plot.toString());
        assertEquals(0, r.status(), r.all());
        double accuracy = Double.parseDouble(r.out().replaceAll("(?s).*Test accuracy ([0-9.]+) %.*", "$1"));
        assertTrue(accuracy >= 95, "spiral test accuracy " + accuracy + " % (>= 95 expected): " + r.out());
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(plot.toFile());
        assertTrue(image.getWidth() > 1200, "the chart and the decision regions side by side: " + image.getWidth());
        CliTest.Run logistic = lanes("train", "--data", "toy:gauss", "--model", "logistic", "--quiet", "--plot",
                dir.resolve("gauss.png").toString());
        assertEquals(0, logistic.status(), logistic.all());
        assertTrue(logistic.out().contains("Training logistic:2 on toy:gauss"), logistic.out());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDivergingRateStillWritesItsPlotAndReportAndSaysWhatToTry() throws IOException {
        Path plot = dir.resolve("div.png");
        Path json = dir.resolve("div.json");
        CliTest.Run r = lanes("train", "--data", "toy:xor", "--model", "Linear(8), ReLU(), Linear(2)", "--lr", "50",
                "--quiet", "--plot", plot.toString(), "--json", json.toString());
        assertEquals(1, r.status(), r.all());
        assertTrue(r.err().contains("diverged at step") && r.err().contains("Try a smaller --lr"), r.err());
        assertFalse(r.err().strip().contains("\n"), r.err());
        assertTrue(Files.size(plot) > 1000, "the plot is written");
        Map<String, Object> report = (Map<String, Object>) JsonText.parse(Files.readString(json));
        Map<String, Object> diverged = (Map<String, Object>) report.get("diverged");
        assertTrue(((Double) diverged.get("step")) >= 1, report.toString());
        List<Object> steps = (List<Object>) report.get("per_step_loss");
        assertEquals(((Double) diverged.get("step")).intValue() - 1, steps.size(), "a loss for every step before");
    }

    @Test
    void aFullShortNameTrainsAsItSays() {
        CliTest.Run r = lanes("train", "--data", dir.resolve("tiny").toString(), "--model", "mlp:784-64-10",
                "--epochs", "1", "--quiet", "--plot", dir.resolve("mlp64.png").toString());
        assertEquals(0, r.status(), r.all());
        assertTrue(r.out().contains("Training mlp:784-64-10 on"), r.out());
    }

    @Test
    void trainStopsEarlyWhenAsked() {
        CliTest.Run r = lanes("train", "--data", "toy:gauss", "--model", "Linear(2)", "--early-stopping", "3",
                "--quiet", "--plot", dir.resolve("early.png").toString());
        assertEquals(0, r.status(), r.all());
        assertTrue(r.out().contains("Stopped early after epoch"), r.out());
    }

    @Test
    void summaryCountsParametersMultiplyAddsAndTheDenseAlternative() throws IOException {
        Path json = dir.resolve("summary.json");
        CliTest.Run r = lanes("summary", "--model", "lenet5", "--compare-dense", "--json", json.toString());
        assertEquals(0, r.status(), r.all());
        assertTrue(r.out().contains("61,706 parameters") && r.out().contains("416,520 multiply-adds"), r.out());
        assertTrue(r.out().contains("3,692,640"), "conv1 as a dense layer: " + r.out());
        assertTrue(Files.readString(json).contains("\"parameters\": 61706"));
        CliTest.Run tdnn = lanes("summary", "--model", "Conv1d(64, 5), ReLU(), Conv1d(64, 3, dilation=2), ReLU(), "
                + "AvgPool1d(90), Flatten(), Linear(2)", "--input", "40x98");
        assertEquals(0, tdnn.status(), tdnn.all());
        assertTrue(tdnn.out().contains("Conv1d(40, 64, kernel_size=5)") && tdnn.out().contains("9 "), tdnn.out());
    }

    @Test
    void gdFindsTheStableRateOfTheCoursesExampleOnBothSides() throws IOException {
        CliTest.Run r = lanes("gd", "--lr", "0.05,0.2,0.2450,0.2451,0.25", "--json", dir.resolve("gd.json")
                .toString(), "--plot", dir.resolve("gd.png").toString());
        assertEquals(0, r.status(), r.all());
        assertTrue(r.out().contains("2 / lambda_max = 0.245030"), r.out());
        assertTrue(r.out().contains("lr 0.05: converged") && r.out().contains("lr 0.2: converged"), r.out());
        assertTrue(r.out().contains("lr 0.245: crawled"), r.out());
        assertTrue(r.out().contains("lr 0.2451: diverged") && r.out().contains("lr 0.25: diverged"), r.out());
        assertTrue(Files.size(dir.resolve("gd.png")) > 1000);
        assertTrue(Files.readString(dir.resolve("gd.json")).contains("\"verdict\": \"crawled\""));
        CliTest.Run user = lanes("gd", "--hessian", "1,0,1", "--lr", "0.5,1.1");
        assertTrue(user.out().contains("lr 0.5: converged in 2 steps") && user.out().contains("lr 1.1: diverged"),
                user.out());
    }

    @Test
    void gradcheckPassesLayerByLayer() {
        CliTest.Run mlp = lanes("gradcheck", "--model", "Flatten(), Linear(16), Tanh(), Linear(3)", "--input", "2");
        assertEquals(0, mlp.status(), mlp.all());
        assertTrue(mlp.out().contains("the whole model") && mlp.out().contains("All within their bounds."),
                mlp.out());
        CliTest.Run lenet5 = lanes("gradcheck", "--model", "lenet5");
        assertEquals(0, lenet5.status(), lenet5.all());
        assertTrue(lenet5.out().contains("MaxPool2d(2)") && lenet5.out().contains("not counted"), lenet5.out());
    }

    @Test
    void showDrawsTheFiltersAndTheFeatureMaps() throws IOException {
        Path filters = dir.resolve("filters.png");
        CliTest.Run f = lanes("show", "filters", "--model", lenet.toString(), "--out", filters.toString());
        assertEquals(0, f.status(), f.all());
        assertTrue(javax.imageio.ImageIO.read(filters.toFile()).getWidth() >= 480);
        Path maps = dir.resolve("maps.png");
        CliTest.Run m = lanes("show", "maps", "--model", lenet.toString(), "--image", digit.toString(), "--out",
                maps.toString());
        assertEquals(0, m.status(), m.all());
        assertTrue(javax.imageio.ImageIO.read(maps.toFile()).getHeight() > 300);
        Path mlp = dir.resolve("weights.lanes");
        assertEquals(0, lanes("train", "--data", dir.resolve("tiny").toString(), "--model", "mlp", "--epochs", "1",
                "--quiet", "--save", mlp.toString(), "--plot", dir.resolve("m.png").toString()).status());
        CliTest.Run w = lanes("show", "filters", "--model", mlp.toString(), "--out", dir.resolve("w.png").toString());
        assertEquals(0, w.status(), w.all());
        assertTrue(w.out().contains("Picture:"), w.out());
    }

    @Test
    void everyBadInputIsOneClearLine() {
        one(lanes("train", "--model", "Linear(8", "--data", "toy:xor"), "at character 8");
        one(lanes("train", "--model", "Flatten(), Linear(400, 10)", "--data", "toy:xor"), "2 features, not 400");
        one(lanes("train", "--data", "toy:moons"), "unknown set \"moons\"");
        one(lanes("train", "--data", "toy:xor", "--noise", "2"), "noise 2.0");
        one(lanes("train", "--data", "toy:blobs:11"), "blobs:K takes K from 2 to 10");
        one(lanes("train", "--model", "Linear(1000000), Linear(1000000)", "--data", "toy:xor"), "the limit of");
        one(lanes("summary", "--model", "Conv2d(1, 6, 5), Linear(10)"), "put Flatten() before it");
        one(lanes("summary", "--model", "lenet5", "--input", "1x0x28"), "--input 1x0x28");
        one(lanes("gd", "--lr", "-1"), "--lr -1.0");
        one(lanes("gd", "--hessian", "1,2"), "--hessian takes three numbers");
        one(lanes("gradcheck", "--model", "Dense(3)", "--input", "2"), "unknown layer Dense");
        one(lanes("show", "maps", "--model", dir.resolve("missing.lanes").toString(), "--image", "x.png", "--out",
                "y.png"), "missing.lanes");
        one(lanes("train", "--data", "toy:xor", "--early-stopping", "0"), "--early-stopping 0");
    }

    private static void one(CliTest.Run r, String expected) {
        assertTrue(r.status() != 0, "non-zero exit status: " + r.all());
        String err = r.err().strip();
        assertTrue(err.contains(expected), "\"" + expected + "\" in: " + err);
        assertFalse(err.contains("\n"), "one line: " + err);
    }

    @Test
    void theKeywordSpottersReceptiveFieldIsGivenInMilliseconds() {
        CliTest.Run r = lanes("summary", "--model", "kws", "--input", "1x40x99", "--classes", "2");
        assertEquals(0, r.status(), r::toString);
        // 29 frames a step of 20 ms apart, each 32 ms long: 28 x 20 + 32 = 592 ms
        assertTrue(r.out().contains("In time (a frame every 20 ms, each 32 ms long):"), r.out());
        assertTrue(r.out().matches("(?s).*Conv1d\\(64, 2, kernel_size=1\\)\\s+29 frames =\\s+592\\.0 ms, a step of "
                + "20\\.0 ms.*"), r.out());
        CliTest.Run other = lanes("summary", "--model", "tdnn", "--input", "40x98", "--frame-ms", "10");
        assertTrue(other.out().contains("In time (a frame every 10 ms, each 10 ms long):"), other.out());
    }
}
